import { table as aqTable, type ColumnTable } from "arquero";
import { ranPars } from "../verbs/ranpars.js";
import type { FeatureFit } from "./types.js";

/** Columns of fitEach's tidy table, in order. */
export const EACH_TIDY_COLUMNS = ["feature", "effect", "group", "term", "estimate", "std.error", "statistic", "df", "p.value", "variance", "fraction", "design"] as const;

/**
 * One long tidy table over all features: per feature its fixed effects (broom.mixed's `fixed` rows
 * with std.error, statistic, df, p.value) and its random-effect parameters (`ran_pars` rows:
 * `sd__…` and `cor__…` per lme4 term, `Residual sd__Observation`). Rows that stand for a variance
 * (sd rows and the residual) also carry `variance` and `fraction` = variance / (sum of the
 * random-effect variances and the residual variance), variancePartition's fraction without fixed
 * effects. With a dispersion formula the residual's variance is pooled over its levels
 * (Σ n_g sd_g² / n) and one `Residual` row per level (term `sd__<level>`) carries its share
 * n_g sd_g² / n, so the level rows' fractions add up to the residual's. `design` says whether the feature used the shared design or a frame of its own.
 * Failed features have no rows (see the glance table's `error`).
 */
export function eachTidyTable(fits: readonly FeatureFit[]): ColumnTable {
  const c = {
    feature: [] as string[], effect: [] as string[], group: [] as (string | null)[], term: [] as string[],
    estimate: [] as number[], se: [] as number[], statistic: [] as number[], df: [] as number[], p: [] as number[],
    variance: [] as number[], fraction: [] as number[], design: [] as (string | null)[],
  };
  const push = (f: FeatureFit, effect: string, group: string | null, term: string, estimate: number, se: number, statistic: number, df: number, p: number, variance: number, fraction: number) => {
    c.feature.push(f.feature); c.effect.push(effect); c.group.push(group); c.term.push(term);
    c.estimate.push(estimate); c.se.push(se); c.statistic.push(statistic); c.df.push(df); c.p.push(p);
    c.variance.push(variance); c.fraction.push(fraction); c.design.push(f.design);
  };
  for (const f of fits) {
    if (f.error) continue;
    const fe = f.fixef;
    fe.names.forEach((name, j) => push(f, "fixed", null, name, fe.estimate[j], fe.se[j], fe.statistic[j], fe.df[j], fe.pValue[j], NaN, NaN));
    const pars = ranPars(f.varcorr, f.sigma, "sdcor", f.dispersion);
    // With a dispersion formula the residual counts once, pooled; its level rows break it down.
    const total = pars.reduce((s, p) => s + (p.level === null ? (p.share ?? 0) : 0), 0);
    for (const p of pars) push(f, "ran_pars", p.group, p.term, p.estimate, NaN, NaN, NaN, NaN, p.share ?? NaN, p.share === null ? NaN : p.share / total);
  }
  return aqTable(new Map<string, ArrayLike<unknown>>([
    ["feature", c.feature], ["effect", c.effect], ["group", c.group], ["term", c.term],
    ["estimate", Float64Array.from(c.estimate)], ["std.error", Float64Array.from(c.se)], ["statistic", Float64Array.from(c.statistic)],
    ["df", Float64Array.from(c.df)], ["p.value", Float64Array.from(c.p)],
    ["variance", Float64Array.from(c.variance)], ["fraction", Float64Array.from(c.fraction)], ["design", c.design],
  ]));
}

/**
 * One row per feature: `feature, design, nobs, sigma, logLik, AIC, BIC, REMLcrit` (REML fits),
 * `deviance` (ML fits), `df.residual, singular, converged, evaluations` and `error` (the message
 * of a feature that could not be fitted, else null).
 */
export function eachGlanceTable(fits: readonly FeatureFit[]): ColumnTable {
  const num = (f: (x: FeatureFit) => number) => Float64Array.from(fits, f);
  return aqTable(new Map<string, ArrayLike<unknown>>([
    ["feature", fits.map((f) => f.feature)],
    ["design", fits.map((f) => f.design)],
    ["nobs", num((f) => f.nobs)],
    ["sigma", num((f) => f.sigma)],
    ["logLik", num((f) => f.logLik)],
    ["AIC", num((f) => f.AIC)],
    ["BIC", num((f) => f.BIC)],
    ["REMLcrit", num((f) => (f.reml ? f.objective : NaN))],
    ["deviance", num((f) => (f.reml ? NaN : f.objective))],
    ["df.residual", num((f) => (f.error ? NaN : f.nobs - f.fixef.names.length))],
    ["singular", fits.map((f) => f.singular)],
    ["converged", fits.map((f) => f.converged)],
    ["evaluations", num((f) => f.evaluations)],
    ["error", fits.map((f) => f.error?.message ?? null)],
  ]));
}
