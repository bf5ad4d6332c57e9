import { LinearMixedModel } from "@lmm/core";
import { caterpillar } from "@lmm/plot";
import { reportData, type ReportData, type ReportDataOptions } from "./data.js";
import { formatNumber as num, formatPValue as pValue, significanceStars as stars } from "./format.js";
import { REPORT_CSS } from "./style.js";

/** Options of {@link report}. */
export interface ReportOptions extends ReportDataOptions {
  /** Document to build in (default the global one; pass a jsdom document in Node). */
  document?: Document;
  /** Plots to include: caterpillar plots of the conditional modes (default), or none. */
  plots?: ("caterpillar")[];
  /** Grouping factors with more levels than this get no caterpillar plot (default 60). */
  maxLevels?: number;
  /** More figures (elements) to append, e.g. from @lmm/plot views. */
  figures?: Element[];
}

/**
 * A self-contained report of a fitted model: fixed effects with df and p-values, variance
 * components, fit statistics, warnings (such as a singular fit) and plots. Styles are scoped in a
 * shadow root; every text from the data is set as text, never parsed as HTML.
 *
 * @example
 * ```ts
 * document.body.append(report(model, { title: "Sleep deprivation", ddf: "kenward-roger" }));
 * ```
 */
export function report(input: LinearMixedModel | ReportData, options: ReportOptions = {}): HTMLElement {
  const doc = options.document ?? globalThis.document;
  const data = input instanceof LinearMixedModel ? reportData(input, options) : input;
  const host = doc.createElement("div");
  host.className = "lmm-report-host";
  const root = host.attachShadow({ mode: "open" });
  renderInto(root, data, { ...options, document: doc });
  return host;
}

/**
 * Renders report data into a shadow root (as `report` and the `<lmm-report>` element do) or into an
 * element (as `reportHtml` does for a standalone page): its previous content is replaced.
 *
 * @example
 * ```ts
 * renderInto(element.attachShadow({ mode: "open" }), reportData(model), {});
 * ```
 */
export function renderInto(root: ShadowRoot | HTMLElement, data: ReportData, options: ReportOptions): void {
  const doc = options.document ?? root.ownerDocument;
  const el = <K extends keyof HTMLElementTagNameMap>(tag: K, text?: string, className?: string) => {
    const e = doc.createElement(tag);
    if (text !== undefined) e.textContent = text;
    if (className) e.className = className;
    return e;
  };
  root.replaceChildren();
  const style = el("style");
  style.textContent = REPORT_CSS;
  const main = el("section", undefined, "lmm-report");
  root.append(style, main);
  const m = data.model;

  main.append(el("h2", data.title ?? "Linear mixed model"));
  const formula = el("p");
  formula.append(el("span", m.formula, "formula"));
  main.append(formula);
  const groups = Object.entries(m.ngroups).map(([g, n]) => `${g}: ${n}`).join(", ");
  main.append(el("p", `Fitted by ${m.reml ? "REML" : "maximum likelihood"} on ${m.nobs} observations (${groups}).${droppedText(data)}`, "meta"));

  if (m.warnings.length) {
    const box = el("div", undefined, "warnings");
    box.setAttribute("role", "note");
    const list = el("ul");
    for (const w of m.warnings) list.append(el("li", w.message));
    box.append(el("strong", "Warnings"), list);
    main.append(box);
  }

  if (data.ddf === "none") {
    main.append(el("h3", "Fixed effects"));
    main.append(table(el, ["Term", "Estimate", "Std. Error", "t value"], data.coefficients.map((c) => [c.name, num(c.estimate), num(c.stdError), num(c.statistic, 3)])));
  } else {
    main.append(el("h3", `Fixed effects (${ddfLabel(data.ddf)} df)`));
    main.append(table(el, ["Term", "Estimate", "Std. Error", "df", "t value", "Pr(>|t|)", ""], data.coefficients.map((c) => [c.name, num(c.estimate), num(c.stdError), num(c.df), num(c.statistic, 3), pValue(c.pValue), stars(c.pValue)])));
  }

  main.append(el("h3", "Random effects"));
  const rows: string[][] = [];
  for (const t of m.varcorr) {
    t.terms.forEach((term, i) => {
      const corr = t.corr[i].slice(0, i).map((c) => (c === null ? "NA" : c.toFixed(2))).join("  ");
      rows.push([i === 0 ? t.name : "", term, num(t.sd[i] ** 2), num(t.sd[i]), corr]);
    });
  }
  rows.push(["Residual", "", num(m.sigma ** 2), num(m.sigma), ""]);
  main.append(table(el, ["Group", "Name", "Variance", "Std.Dev.", "Corr"], rows));

  main.append(el("h3", "Fit"));
  main.append(
    table(el, ["Statistic", "Value"], [
      [m.reml ? "REML criterion at convergence" : "Deviance", num(m.objective, 6)],
      ["log-likelihood", num(m.logLik, 6)],
      ["AIC", num(m.AIC, 6)],
      ["BIC", num(m.BIC, 6)],
      ["Residual sd (σ)", num(m.sigma)],
      ["Converged", m.converged ? "yes" : "no"],
      ["Singular", m.singular ? "yes" : "no"],
    ]),
  );

  const figures = el("div", undefined, "figures");
  if ((options.plots ?? ["caterpillar"]).includes("caterpillar")) {
    for (const modes of data.modes.filter((m) => m.levels.length <= (options.maxLevels ?? 60))) {
      figures.append(caterpillar({ ...modes, values: Float64Array.from(modes.values), sd: modes.sd }, { document: doc, response: "" }) as unknown as Element);
    }
  }
  for (const f of options.figures ?? []) figures.append(f);
  if (figures.childNodes.length) {
    main.append(el("h3", "Plots"), figures);
  }
}

/** " 12 rows with missing values were left out (grade: 5, time: 8)." — or nothing. */
function droppedText(data: ReportData): string {
  const count = data.model.droppedRows.count;
  if (!count) return "";
  const reasons = (data.missing ?? []).map((c) => `${c.column}: ${c.missing}`).join(", ");
  return ` ${count} row${count === 1 ? "" : "s"} with missing values ${count === 1 ? "was" : "were"} left out${reasons ? ` (missing ${reasons})` : ""}.`;
}

function ddfLabel(ddf: string): string {
  return ddf === "satterthwaite" ? "Satterthwaite" : ddf === "kenward-roger" ? "Kenward–Roger" : "residual";
}

function table(el: (tag: "table" | "thead" | "tbody" | "tr" | "th" | "td", text?: string, className?: string) => HTMLElement, header: string[], rows: string[][]): HTMLElement {
  const t = el("table");
  const head = el("thead");
  const hr = el("tr");
  for (const h of header) hr.append(el("th", h));
  head.append(hr);
  const body = el("tbody");
  for (const r of rows) {
    const tr = el("tr");
    r.forEach((cell, i) => tr.append(el("td", cell, i === 0 ? "text" : undefined)));
    body.append(tr);
  }
  t.append(head, body);
  return t;
}
