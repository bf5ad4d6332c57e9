// The notebooks' own styles (placeholders, stale results, errors, progress, downloads), added once.
const CSS = `
.lmm-pending { color: #6b7280; font-style: italic; display: flex; align-items: center; gap: .5em; }
.lmm-pending::before { content: ""; width: .8em; height: .8em; border: 2px solid #cbd5e1; border-top-color: #4e79a7; border-radius: 50%; animation: lmm-spin 1s linear infinite; }
@keyframes lmm-spin { to { transform: rotate(360deg); } }
.lmm-stale { opacity: .45; filter: grayscale(.6); transition: opacity .2s; position: relative; }
.lmm-stale::before { content: "updating…"; position: absolute; right: 0; top: 0; z-index: 1; font: 12px/1.6 var(--sans-serif, sans-serif); background: #fff7e0; border: 1px solid #e0a800; padding: 0 .5em; border-radius: 3px; }
.lmm-error { border-left: 3px solid #d62728; background: #fdf0f0; padding: .5em .8em; margin: .5em 0; font: 14px/1.45 var(--sans-serif, sans-serif); }
.lmm-error pre { margin: .3em 0 0; white-space: pre-wrap; font: 13px/1.4 var(--monospace, monospace); }
.lmm-note { color: #4b5563; font: 14px/1.45 var(--sans-serif, sans-serif); margin: .4em 0; }
.lmm-job { display: flex; align-items: center; gap: .6em; font: 14px/1.45 var(--sans-serif, sans-serif); margin: .5em 0; flex-wrap: wrap; }
.lmm-job progress { width: 260px; }
.lmm-downloads { display: flex; flex-wrap: wrap; gap: .4em; margin: .3em 0 1.2em; }
.lmm-downloads button, .lmm-button { font: 13px/1.2 var(--sans-serif, sans-serif); padding: .35em .7em; border: 1px solid #9aa0a6; border-radius: 4px; background: #f8f9fa; cursor: pointer; }
.lmm-downloads button:hover, .lmm-button:hover { background: #eef1f4; }
.lmm-button.primary { background: #4e79a7; border-color: #3b6290; color: white; }
.lmm-table-scroll { max-height: 420px; overflow: auto; border: 1px solid #e3e5e8; }
.lmm-table { border-collapse: collapse; font: 13px/1.35 var(--sans-serif, sans-serif); font-variant-numeric: tabular-nums; }
.lmm-table th, .lmm-table td { padding: .25em .6em; border-bottom: 1px solid #e3e5e8; text-align: left; white-space: nowrap; }
.lmm-table th { position: sticky; top: 0; background: #fff; border-bottom: 1px solid #9aa0a6; }
.lmm-table td.num { text-align: right; }
`;

let added = false;

/** Adds the stylesheet to the page once (a no-op outside a browser page). */
export function ensureStyles(): void {
  if (added || typeof document === "undefined" || !document.head) return;
  added = true;
  const style = document.createElement("style");
  style.dataset.lmm = "notebook-ui";
  style.textContent = CSS;
  document.head.append(style);
}
