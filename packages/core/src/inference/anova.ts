// Analysis-of-variance tables: type-III F tests per fixed-effect term (lmerTest's
// `anova(model)`), and the likelihood-ratio test of two nested models (lme4's `anova(m0, m1)`,
// which refits REML fits by ML first).
import { designOf } from "../model/state.js";
import { fitModel } from "../model/lmm.js";
import type { LinearMixedModel } from "../model/LinearMixedModel.js";
import { pchisqUpper } from "../numerics/distributions.js";
import { fTest, type TestOptions } from "./contrasts.js";
import { checkNested, checkSameData } from "./nesting.js";
import { typeIIIContrasts } from "./typeIII.js";

/**
 * One row of a type-III table, as lmerTest prints it.
 *
 * @example
 * ```ts
 * const [row]: AnovaRow[] = anovaTypeIII(model); row.denDf;
 * ```
 */
export interface AnovaRow {
  term: string;
  sumSq: number;
  meanSq: number;
  numDf: number;
  denDf: number;
  F: number;
  pValue: number;
}

/**
 * Type-III F tests of every fixed-effect term (intercept excluded), with lmerTest's hypotheses
 * and Satterthwaite (default), Kenward–Roger or residual denominator df. Empty for a model whose
 * only fixed effect is the intercept.
 *
 * @example
 * ```ts
 * anovaTypeIII(model); // [{ term: "Days", sumSq, meanSq, numDf: 1, denDf: 17, F: 45.85, pValue: 3.3e-6 }]
 * ```
 */
export function anovaTypeIII(model: LinearMixedModel, options: TestOptions = {}): AnovaRow[] {
  return typeIIIContrasts(model)
    .filter((c) => c.rows > 0)
    .map((c) => ({ term: c.term, ...fTest(model, c.L, c.rows, options) }));
}

/**
 * One model's line of a likelihood-ratio table (lme4's `anova(m0, m1)`).
 *
 * @example
 * ```ts
 * const [, larger]: LikelihoodRatioRow[] = anova(m0, m1).rows; larger.chisq;
 * ```
 */
export interface LikelihoodRatioRow {
  formula: string;
  /** Number of parameters: fixed effects, θ and σ. */
  npar: number;
  AIC: number;
  BIC: number;
  logLik: number;
  deviance: number;
  /** 2 × (increase in logLik) over the previous row; NaN on the first row. */
  chisq: number;
  /** Difference in npar over the previous row; NaN on the first row. */
  df: number;
  /** Upper χ² tail probability; NaN on the first row or when df = 0. */
  pValue: number;
}

/**
 * The likelihood-ratio test of two nested models.
 *
 * @example
 * ```ts
 * const test: LikelihoodRatioTest = anova(m0, m1); test.refitted;
 * ```
 */
export interface LikelihoodRatioTest {
  /** Smaller model first, as lme4 orders them (by npar). */
  rows: [LikelihoodRatioRow, LikelihoodRatioRow];
  /** The fits the table is computed from (ML refits of REML fits when `refit`). */
  fits: [LinearMixedModel, LinearMixedModel];
  /** Whether REML fits were refitted by ML. */
  refitted: boolean;
}

/**
 * Likelihood-ratio test between two nested models, as lme4's `anova(m0, m1)`: REML fits are
 * refitted by ML first (`refit: false` keeps the criteria as fitted, meaningful only for models
 * with the same fixed effects), models are ordered by their number of parameters, and
 * χ² = 2·max(0, ΔlogLik) on Δnpar df.
 *
 * @throws {@link DifferentDataError} when the models were not fitted to the same rows and response.
 * @throws {@link NotNestedError} when the smaller model is not a special case of the larger.
 *
 * @example
 * ```ts
 * const m0 = lmm("Reaction ~ Days + (1 | Subject)", sleepstudy);
 * const m1 = lmm("Reaction ~ Days + (Days | Subject)", sleepstudy);
 * anova(m0, m1).rows[1]; // { chisq: 42.1, df: 2, pValue: 7e-10, … }
 * ```
 */
export function anova(m0: LinearMixedModel, m1: LinearMixedModel, options: { refit?: boolean } = {}): LikelihoodRatioTest {
  checkSameData(m0, m1);
  const [small, large] = m0.dof <= m1.dof ? [m0, m1] : [m1, m0];
  checkNested(small, large);
  const refit = options.refit ?? true;
  const toML = (m: LinearMixedModel) => (refit && m.reml ? fitModel(designOf(m), m.response, { reml: false, start: m.theta }) : m);
  const fits: [LinearMixedModel, LinearMixedModel] = [toML(small), toML(large)];
  const row = (m: LinearMixedModel): LikelihoodRatioRow => ({
    formula: m.formula,
    npar: m.dof,
    AIC: m.AIC,
    BIC: m.BIC,
    logLik: m.logLik,
    deviance: -2 * m.logLik,
    chisq: NaN,
    df: NaN,
    pValue: NaN,
  });
  const first = row(fits[0]), second = row(fits[1]);
  second.chisq = 2 * Math.max(0, second.logLik - first.logLik);
  second.df = second.npar - first.npar;
  second.pValue = second.df === 0 ? NaN : pchisqUpper(second.chisq, second.df);
  return { rows: [first, second], fits, refitted: fits[0] !== small || fits[1] !== large };
}
