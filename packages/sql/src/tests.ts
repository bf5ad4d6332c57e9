// lmerTest's tests of an SQL fit from its sums (no query runs): t tests of the fixed effects and
// the type-III F table, with Satterthwaite's or Kenward–Roger's denominator df.
import { anovaTypeIIIAggregated, coefficientsAggregated, type AggregatedTestOptions } from "@lmm/core/aggregate";
import type { AnovaRow, CoefficientRow } from "@lmm/core";
import type { SqlFit } from "./fit.js";

/**
 * The fixed effects of an SQL fit with lmerTest's t tests, as `coefficients(model, { ddf })` of the
 * in-memory model of the same rows: Satterthwaite (default), Kenward–Roger (the adjusted standard
 * errors, as `summary(m, ddf = "Kenward-Roger")`) or residual df.
 *
 * @example
 * ```ts
 * coefficientsSql(await fitSql(engine, { table: "cells" }, "y ~ x + (1 | patient)"), { ddf: "kenward-roger" });
 * // [{ name: "(Intercept)", estimate, stdError, df, statistic, pValue }, { name: "x", … }]
 * ```
 */
export function coefficientsSql(fit: SqlFit, options: AggregatedTestOptions = {}): CoefficientRow[] {
  return coefficientsAggregated(fit, options);
}

/**
 * lmerTest's type-III table of an SQL fit (`anova(model, ddf = …)` of one model): an F test per
 * fixed-effect term with Satterthwaite's (default), Kenward–Roger's or the residual df, as
 * `anovaTypeIII(model, { ddf })` of the in-memory model of the same rows. The hypotheses are
 * lmerTest's; a hypothesis that depends on the rows (when the rows alias a column the fit dropped)
 * is refused with a `NotAggregableError` (fit it from rows for that table).
 *
 * @example
 * ```ts
 * const fit = await fitSql(engine, { table: "cells" }, "y ~ x * f + (1 | patient)");
 * anovaTypeIIISql(fit, { ddf: "kenward-roger" }); // [{ term: "x", sumSq, meanSq, numDf: 1, denDf, F, pValue }, { term: "f", … }, { term: "x:f", … }]
 * ```
 */
export function anovaTypeIIISql(fit: SqlFit, options: AggregatedTestOptions = {}): AnovaRow[] {
  return anovaTypeIIIAggregated(fit, fit.plan.fixedCoding, options);
}
