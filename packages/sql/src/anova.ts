// The likelihood-ratio test of two SQL fits: lme4's `anova(m0, m1)` from their sums.
import { anovaAggregated, type AggregatedLikelihoodRatioTest } from "@lmm/core/aggregate";
import type { SqlFit } from "./fit.js";

/**
 * Likelihood-ratio test between two nested fits of {@link fitSql} on the same source, as lme4's
 * `anova(m0, m1)`: REML fits are refitted by ML from their sums (no query runs), the smaller model
 * first, χ² on the difference in parameters. Refuses fits of different rows (`DifferentDataError`)
 * and fits not nested by their column and term names (`NotNestedError`).
 *
 * @example
 * ```ts
 * const f0 = await fitSql(engine, { table: "cells" }, "y ~ x + (1 | patient)");
 * const f1 = await fitSql(engine, { table: "cells" }, "y ~ x + (x | patient)");
 * anovaSql(f0, f1).rows[1]; // { chisq, df: 2, pValue, … }
 * ```
 */
export function anovaSql(f0: SqlFit, f1: SqlFit, options: { refit?: boolean } = {}): AggregatedLikelihoodRatioTest {
  return anovaAggregated(f0, f1, options);
}
