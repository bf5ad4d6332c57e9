/** Styles of the report; they live in its shadow root, so they neither leak out nor get overridden. */
export const REPORT_CSS = `
:host { display: block; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; color: #1b1e23; }
.lmm-report { max-width: 960px; }
h2 { font-size: 1.25em; margin: 0 0 .25em; }
h3 { font-size: 1em; margin: 1.2em 0 .4em; text-transform: uppercase; letter-spacing: .04em; color: #555; }
.formula { font-family: ui-monospace, "SFMono-Regular", Menlo, monospace; background: #f4f5f7; padding: .2em .4em; border-radius: 3px; }
table { border-collapse: collapse; font-variant-numeric: tabular-nums; }
th, td { padding: .25em .7em; text-align: right; border-bottom: 1px solid #e3e5e8; }
th:first-child, td:first-child { text-align: left; }
th { font-weight: 600; border-bottom: 1px solid #9aa0a6; }
td.text { text-align: left; }
.warnings { background: #fff7e0; border-left: 3px solid #e0a800; padding: .4em .8em; margin: .8em 0; }
.warnings li { margin: .2em 0; }
.meta { color: #555; }
.figures > * { margin: 1em 0; }
`;
