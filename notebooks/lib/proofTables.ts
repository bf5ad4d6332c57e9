// The harmonisation proof (`harmonisationProof` of @lmm/diagnostics) as two tables a reader can
// check: what should fall (the batch's share, a classifier's accuracy) and what should stay (the
// biological share, and the covariate's effects with their standard errors, before and after).
import { formatNumber } from "@lmm/report";
import { h } from "./ui/dom.js";

/** One row of the proof table, as `proof.objects()` gives it. */
export interface ProofRow {
  role: string;
  measure: string;
  feature: string | null;
  term: string | null;
  before: number;
  after: number;
  change: number;
  "se.before": number;
  "se.after": number;
}

const percent = (x: number) => `${(x * 100).toFixed(1)}%`;

function table(header: string[], rows: string[][], numeric: boolean[]): HTMLElement {
  return h(
    "table",
    { class: "lmm-table lmm-proof" },
    h("thead", {}, h("tr", {}, ...header.map((t) => h("th", {}, t)))),
    h("tbody", {}, ...rows.map((r) => h("tr", {}, ...r.map((c, i) => h("td", { class: numeric[i] ? "num" : "" }, c))))),
  );
}

/**
 * Per method: the classifier's accuracy (and chance), and the mean batch and signal shares of
 * variance, before and after.
 *
 * @example
 * ```js
 * display(proofSummary({ComBat: study.proof.combat, LMM: study.proof.lmm}));
 * ```
 */
export function proofSummary(byMethod: Record<string, ProofRow[]>): HTMLElement {
  const rows: string[][] = [];
  for (const [method, proof] of Object.entries(byMethod)) {
    for (const r of proof.filter((r) => r.feature === null)) rows.push([method, r.measure, percent(r.before), percent(r.after), `${r.change >= 0 ? "+" : "−"}${percent(Math.abs(r.change))}`]);
  }
  return table(["method", "measure", "before", "after", "change"], rows, [false, false, true, true, true]);
}

/**
 * The covariate's fixed effects per feature, before and after, each with its standard error, and
 * the change in units of the standard error before: biology kept means changes well under 1.
 *
 * @example
 * ```js
 * display(covariateEffects(study.proof.lmm));
 * ```
 */
export function covariateEffects(proof: ProofRow[]): HTMLElement {
  const rows = proof
    .filter((r) => r.role === "covariate")
    .map((r) => [r.feature ?? "", r.term ?? "", formatNumber(r.before), formatNumber(r["se.before"]), formatNumber(r.after), formatNumber(r["se.after"]), formatNumber(r.change / r["se.before"], 2)]);
  return h("div", { class: "lmm-table-scroll" }, table(["feature", "term", "before", "se before", "after", "se after", "change / se"], rows, [false, false, true, true, true, true, true]));
}

/** The largest |change| / se before over the covariate's effects: one number for the prose. */
export function largestCovariateShift(proof: ProofRow[]): number {
  return Math.max(...proof.filter((r) => r.role === "covariate").map((r) => Math.abs(r.change / r["se.before"])));
}
