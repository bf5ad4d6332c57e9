// lmerTest's summary: the core summary with df and Pr(>|t|) columns (and, for Kenward–Roger, the
// adjusted standard error and t value, which lmerTest prints in place of lme4's).
import type { LinearMixedModel } from "../model/LinearMixedModel.js";
import type { SummaryColumns } from "../model/summary.js";
import { tTest, type TestOptions } from "./contrasts.js";

const METHOD_NAMES = { satterthwaite: "Satterthwaite's", "kenward-roger": "Kenward-Roger's", residual: "residual" } as const;

/**
 * The extra columns of the fixed-effects table for `model.summary(extra)`: `df` and `Pr(>|t|)`
 * (plus `KR Std. Error` and `KR t value` for Kenward–Roger).
 *
 * @example
 * ```ts
 * console.log(model.summary(testColumns(model, { ddf: "satterthwaite" })));
 * ```
 */
export function testColumns(model: LinearMixedModel, options: TestOptions = {}): SummaryColumns[] {
  const p = model.beta.length;
  const rows = model.fixefNames.map((_, j) => {
    const L = new Float64Array(p);
    L[j] = 1;
    return tTest(model, L, options);
  });
  const columns: SummaryColumns[] = [];
  if (options.ddf === "kenward-roger") {
    columns.push({ title: "KR Std. Error", values: rows.map((r) => r.stdError), format: (x) => x.toPrecision(4) });
    columns.push({ title: "KR t value", values: rows.map((r) => r.statistic), format: (x) => x.toFixed(3) });
  }
  columns.push({ title: "df", values: rows.map((r) => r.df), format: (x) => x.toFixed(3) });
  columns.push({ title: "Pr(>|t|)", values: rows.map((r) => r.pValue), format: formatPValue });
  return columns;
}

/**
 * lme4's summary with lmerTest's test columns: df and Pr(>|t|) for every fixed effect, the
 * method named in the title line.
 *
 * @example
 * ```ts
 * console.log(summaryWithTests(model)); // "... t-tests use Satterthwaite's method ..."
 * ```
 */
export function summaryWithTests(model: LinearMixedModel, options: TestOptions = {}): string {
  const text = model.summary(testColumns(model, options));
  const method = METHOD_NAMES[options.ddf ?? "satterthwaite"];
  return text.replace(/^(Linear mixed model fit by [^[\n]*?)\s*\['lmerMod'\]/, `$1. t-tests use ${method} method ['lmerModLmerTest']`);
}

/**
 * R's format.pval with 3 significant digits: values below machine epsilon print as "< 2e-16".
 *
 * @example
 * ```ts
 * formatPValueR(0.012345); // "0.0123" (exported from @lmm/core as formatPValueR)
 * formatPValueR(1e-20); // "< 2e-16"
 * ```
 */
export function formatPValue(p: number): string {
  if (Number.isNaN(p)) return "NA";
  if (p < 2.220446049250313e-16) return "< 2e-16";
  if (p < 1e-4) return p.toExponential(2).replace(/e([+-])(\d)$/, "e$10$2");
  return String(Number(p.toPrecision(3)));
}
