// The likelihood-ratio test of two fits from sums (lme4's `anova(m0, m1)`), from the sums alone:
// REML fits are refitted by ML on their own cross-products, the same rows are recognised by nobs
// and Σy², and nesting is read off the fits' column and term names.
import { FitFailedError } from "../errors/data.js";
import { estimatesAt, type Estimates } from "../engine/estimates.js";
import { checkAndPolish } from "../engine/fit.js";
import { Fitter } from "../engine/Fitter.js";
import { optimiseTheta } from "../engine/optimise.js";
import { DifferentDataError, NotNestedError } from "../inference/errors.js";
import type { LikelihoodRatioRow } from "../inference/anova.js";
import { pchisqUpper } from "../numerics/distributions.js";
import { NotAggregableError } from "../errors/aggregate.js";
import { fitSumsOf, type AggregatedFit } from "./fit.js";

/** Relative difference of Σy² below which two fits' responses count as the same (summation order aside). */
const SAME_SUMS = 1e-10;

/**
 * The estimates of a fit from sums refitted by ML (started at its θ̂) on its own cross-products,
 * with lme4's convergence checks and polish as in the fit; the fit's own estimates if it is ML.
 *
 * @example
 * ```ts
 * refitAggregatedML(fit).logLik; // the ML log-likelihood of a REML fit's model
 * ```
 */
export function refitAggregatedML(fit: AggregatedFit, checks: { checkConvergence?: boolean | "auto" } = {}): Estimates {
  refuseDispersion(fit, "a refit by ML (likelihood-ratio tests, profiles)");
  if (!fit.reml) return fit.estimates;
  const { design, cross } = fitSumsOf(fit);
  const options = { ...fitSumsOf(fit).options, ...checks };
  const fitter = new Fitter(design, cross, false);
  const { theta, info } = optimiseTheta(fitter, { ...options, start: fit.theta });
  const first = estimatesAt(fitter, theta);
  if (!Number.isFinite(first.objective)) throw new FitFailedError(fit.formula, `the ML criterion is not finite at any θ tried (${info.reason})`);
  return checkAndPolish(fitter, first, info, fit.nobs, options).estimates;
}

/**
 * The likelihood-ratio table of two fits from sums: as `anova(m0, m1)` of the in-memory models.
 *
 * @example
 * ```ts
 * anovaAggregated(f0, f1).rows[1]; // { chisq, df, pValue, … }
 * ```
 */
export interface AggregatedLikelihoodRatioTest {
  /** Smaller model first (by npar). */
  rows: [LikelihoodRatioRow, LikelihoodRatioRow];
  /** Whether REML fits were refitted by ML. */
  refitted: boolean;
}

/**
 * Likelihood-ratio test between two nested fits from sums, as lme4's `anova(m0, m1)`: REML fits
 * refitted by ML from their sums (`refit: false` keeps the criteria as fitted), ordered by their
 * number of parameters, χ² = 2·max(0, ΔlogLik) on Δnpar df. Nesting is checked by name: every
 * fixed-effect column of the smaller fit among the larger's, and every random term's columns within
 * a term of the larger on the same grouping factor (a nesting only a reparametrisation reveals,
 * which the in-memory `anova` finds from the columns, is refused).
 *
 * @throws {@link DifferentDataError} when the fits used different numbers of rows or responses.
 * @throws {@link NotNestedError} naming the first column or term the larger fit does not contain.
 *
 * @example
 * ```ts
 * const f0 = await fitSql(engine, source, "y ~ x + (1 | g)");
 * const f1 = await fitSql(engine, source, "y ~ x + (x | g)");
 * anovaAggregated(f0, f1).rows[1].pValue;
 * ```
 */
export function anovaAggregated(f0: AggregatedFit, f1: AggregatedFit, options: { refit?: boolean } = {}): AggregatedLikelihoodRatioTest {
  for (const f of [f0, f1]) refuseDispersion(f, "a likelihood-ratio test");
  if (f0.nobs !== f1.nobs) throw new DifferentDataError(`${f0.nobs} and ${f1.nobs} observations were used (rows with missing values differ)`);
  const y0 = fitSumsOf(f0).yy, y1 = fitSumsOf(f1).yy;
  if (Math.abs(y0 - y1) > SAME_SUMS * Math.max(Math.abs(y0), Math.abs(y1))) throw new DifferentDataError(`the responses differ (Σy² = ${y0} and ${y1})`);
  const [small, large] = f0.estimates.dof <= f1.estimates.dof ? [f0, f1] : [f1, f0];
  checkNestedByName(small, large);
  const refit = (options.refit ?? true) && (small.reml || large.reml);
  const row = (fit: AggregatedFit): LikelihoodRatioRow => {
    const e = refit ? refitAggregatedML(fit) : fit.estimates;
    return { formula: fit.formula, npar: e.dof, AIC: e.AIC, BIC: e.BIC, logLik: e.logLik, deviance: -2 * e.logLik, chisq: NaN, df: NaN, pValue: NaN };
  };
  const first = row(small), second = row(large);
  second.chisq = 2 * Math.max(0, second.logLik - first.logLik);
  second.df = second.npar - first.npar;
  second.pValue = second.df === 0 ? NaN : pchisqUpper(second.chisq, second.df);
  return { rows: [first, second], refitted: refit };
}

function checkNestedByName(small: AggregatedFit, large: AggregatedFit): void {
  const fixed = new Set(large.fixef.map((f) => f.name));
  for (const f of small.fixef) if (!fixed.has(f.name)) throw new NotNestedError("fixed", f.name, small.formula, large.formula);
  for (const t of small.varCorr.terms) {
    const ok = large.varCorr.terms.some((u) => u.group === t.group && t.terms.every((c) => u.terms.includes(c)));
    if (!ok) throw new NotNestedError("random", `(${t.terms.join(" + ")} | ${t.group})`, small.formula, large.formula);
  }
}

/** Refits from sums re-estimate θ only: a fit with a dispersion formula (δ estimated too) is refused, not refitted wrongly. */
export function refuseDispersion(fit: AggregatedFit, what: string): void {
  if (fit.dispersion) throw new NotAggregableError(`${what} of a fit with a dispersion formula (${fit.dispersion.formula})`, "re-estimating δ from sums is not implemented yet");
}
