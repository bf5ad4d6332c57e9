// The pre-specified hypotheses of an analysis plan's report, printed as the report widget prints
// its coefficients (the same digits; p-values as R prints them, `< 2e-16`, never 0).
import type { HypothesisResult } from "@lmm/diagnostics";
import { formatNumber, formatPValue, significanceStars } from "@lmm/report";
import { h } from "./ui/dom.js";

const DDF_LABEL: Record<string, string> = { satterthwaite: "Satterthwaite", "kenward-roger": "Kenward–Roger", residual: "residual" };

/**
 * @example
 * ```js
 * display(hypothesisTable(planReport));
 * ```
 */
export function hypothesisTable(report: { plan: { ddf: string; alpha: number }; hypotheses: HypothesisResult[] }): HTMLElement {
  const header = ["Hypothesis", "Estimate", "Std. Error", `df (${DDF_LABEL[report.plan.ddf] ?? report.plan.ddf})`, "t value", "Pr(>|t|)", "", `rejected at α = ${report.plan.alpha}`];
  const rows = report.hypotheses.map((r) => [r.name, formatNumber(r.estimate), formatNumber(r.se), formatNumber(r.df), formatNumber(r.t, 3), formatPValue(r.pValue), significanceStars(r.pValue), r.rejected ? "yes" : "no"]);
  return h(
    "table",
    { class: "lmm-table lmm-hypotheses" },
    h("thead", {}, h("tr", {}, ...header.map((t) => h("th", {}, t)))),
    h("tbody", {}, ...rows.map((r) => h("tr", {}, ...r.map((c, i) => h("td", { class: i === 0 || i === 6 || i === 7 ? "" : "num" }, c))))),
  );
}
