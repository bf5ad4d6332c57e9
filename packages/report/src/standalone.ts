import { LinearMixedModel } from "@lmm/core";
import { reportData, type ReportData } from "./data.js";
import { renderInto, type ReportOptions } from "./render.js";

/** The page around a standalone report: the widget's own styles apply to the body. */
const PAGE_CSS = `body { margin: 2em auto; max-width: 980px; padding: 0 1em; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; color: #1b1e23; }`;

/**
 * The report as one standalone HTML file (text): the same tables, warnings and plots as `report()`,
 * with its styles inline and the plots as inline SVG, so the file opens anywhere without scripts or
 * network. Every text from the model or data is set as text and escaped when the page is written.
 *
 * @example
 * ```ts
 * const html = reportHtml(model, { title: "Sleep deprivation", ddf: "kenward-roger" });
 * const url = URL.createObjectURL(new Blob([html], { type: "text/html" })); // a download link
 * ```
 */
export function reportHtml(input: LinearMixedModel | ReportData, options: ReportOptions = {}): string {
  const doc = options.document ?? globalThis.document;
  const data = input instanceof LinearMixedModel ? reportData(input, options) : input;
  const page = doc.implementation.createHTMLDocument(data.title ?? "Linear mixed model");
  const charset = page.createElement("meta");
  charset.setAttribute("charset", "utf-8");
  const style = page.createElement("style");
  style.textContent = PAGE_CSS;
  page.head.prepend(charset);
  page.head.append(style);
  // Plot draws in a document with a window (the caller's), then the nodes move to the page.
  const container = doc.createElement("div");
  container.className = "lmm-report-host";
  renderInto(container, data, { ...options, document: doc });
  page.body.append(page.adoptNode(container));
  return `<!doctype html>\n${page.documentElement.outerHTML}\n`;
}
