// Profiles and profile intervals of an SQL fit: lme4's `profile()` and `confint(method = "profile")`
// with every refit on the fit's sums (no query runs).
import { confintAggregated, profileAggregated, type AggregatedConfintOptions } from "@lmm/core/aggregate";
import type { ModelProfile, ProfileOptions } from "@lmm/core";
import type { SqlFit } from "./fit.js";

/**
 * Profiles the ML deviance of an SQL fit in every parameter (sds, correlations, σ, fixed effects),
 * as `profile(model)` of the in-memory model of the same rows.
 *
 * @example
 * ```ts
 * const pr = profileSql(await fitSql(engine, { table: "cells" }, "y ~ x + (1 | patient)"));
 * pr.parameters.map((p) => p.parameter);
 * ```
 */
export function profileSql(fit: SqlFit, options: ProfileOptions = {}): ModelProfile {
  return profileAggregated(fit, options);
}

/**
 * Confidence intervals of an SQL fit, as `confint(model, …)`: Wald intervals of the fixed effects
 * (default), profile intervals of every parameter (`method: "profile"`), or parametric-bootstrap
 * percentile intervals (`method: "boot"`, `nsim` refits, `seed`; see {@link bootstrapSql}), from the sums.
 *
 * @example
 * ```ts
 * confintSql(fit, { method: "profile", level: 0.95 }); // [{ parameter: "sd_(Intercept)|patient", lower, upper }, …, { parameter: "x", lower, upper }]
 * ```
 */
export function confintSql(fit: SqlFit, options: AggregatedConfintOptions = {}): { parameter: string; lower: number; upper: number }[] {
  return confintAggregated(fit, options);
}
