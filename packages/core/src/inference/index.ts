// Inference on fitted models: the public surface. The methods behind it live in their own files
// in this folder (satterthwaite, kenwardRoger, contrasts, typeIII, anova, profile, bootstrap).
import { InvalidArgumentError } from "../errors/LmmError.js";
import type { LinearMixedModel } from "../model/LinearMixedModel.js";
import { qnorm } from "../numerics/distributions.js";
import { tTest, type DdfMethod, type TestOptions } from "./contrasts.js";
import { bootstrapSync } from "./bootstrap.js";
import { profile, profileConfint } from "./profile.js";

export { contrastTest, type Contrast, type DdfMethod, type TestOptions, type TTest, type FTest } from "./contrasts.js";
export { anova, anovaTypeIII, type AnovaRow, type LikelihoodRatioRow, type LikelihoodRatioTest } from "./anova.js";
export { typeIIIContrasts, type TermContrast } from "./typeIII.js";
export { satterthwaiteState, EXACT_DERIVATIVES_MAX_Q, type SatterthwaiteState, type DerivativeMethod } from "./satterthwaite.js";
export { kenwardRogerAdjustment, type KenwardRogerAdjustment } from "./kenwardRoger.js";
export { MAX_DENSE_RANDOM_EFFECTS } from "./marginalCovariance.js";
export { profile, profileConfint, type ProfileOptions, type ParameterProfile, type ModelProfile } from "./profile.js";
export { dispersionConfint, type DispersionInterval } from "./dispersionProfile.js";
export { bootstrap, bootstrapSync, createBootstrapPool, type BootstrapOptions, type BootstrapResult, type BootstrapInterval, type BootstrapPool } from "./bootstrap.js";
export { varianceParameterNames } from "./profileParameters.js";
export { summaryWithTests, testColumns } from "./summary.js";
// As R's format.pval prints lmerTest's Pr(>|t|) (the report's `formatPValue` prints 4 decimals).
export { formatPValue as formatPValueR } from "./summary.js";
export { ModelTooLargeError, RemlRequiredError, ContrastError, DifferentDataError, NotNestedError } from "./errors.js";

/**
 * One fixed effect with its test, as lmerTest's summary table.
 *
 * @example
 * ```ts
 * const [days]: CoefficientRow[] = coefficients(model).slice(1); days.pValue;
 * ```
 */
export interface CoefficientRow {
  name: string;
  estimate: number;
  stdError: number;
  df: number;
  /** t value. */
  statistic: number;
  pValue: number;
}

/**
 * A confidence interval, named as lme4's `confint` rows (`sd_(Intercept)|Subject`, `sigma`, fixed-effect names).
 *
 * @example
 * ```ts
 * const ci: ConfidenceInterval = { parameter: "sigma", lower: 22.9, upper: 28.9 };
 * ```
 */
export interface ConfidenceInterval {
  parameter: string;
  lower: number;
  upper: number;
}

/**
 * Fixed effects with denominator df and p-values (t tests): `"satterthwaite"` (default, as
 * lmerTest's summary), `"kenward-roger"` (as `summary(m, ddf = "Kenward-Roger")`: the standard
 * error is the adjusted one) or `"residual"` (n − p).
 *
 * @example
 * ```ts
 * coefficients(model, { ddf: "satterthwaite" }); // [{ name, estimate, stdError, df, statistic, pValue }]
 * ```
 */
export function coefficients(model: LinearMixedModel, options: TestOptions = {}): CoefficientRow[] {
  checkDdf(options.ddf);
  const p = model.beta.length;
  return model.fixefNames.map((name, j) => {
    const L = new Float64Array(p);
    L[j] = 1;
    const t = tTest(model, L, options);
    return { name, estimate: t.estimate, stdError: t.stdError, df: t.df, statistic: t.statistic, pValue: t.pValue };
  });
}

/**
 * Options of {@link confint}.
 *
 * @example
 * ```ts
 * confint(model, { method: "boot", level: 0.9, nsim: 1000, seed: 7 } satisfies ConfintOptions);
 * ```
 */
export interface ConfintOptions {
  /** `"wald"` (default; fixed effects only, normal quantiles as lme4), `"profile"` or `"boot"`. */
  method?: "wald" | "profile" | "boot";
  /** Coverage, default 0.95. */
  level?: number;
  /** Bootstrap only: number of refits (default 500, as lme4) and seed (default 1). */
  nsim?: number;
  seed?: number;
}

/**
 * Confidence intervals as lme4's `confint`: Wald intervals of the fixed effects; profile-likelihood
 * intervals of every sd, correlation, sigma and fixed effect (`method: "profile"`, from the ML
 * deviance as lme4); or parametric-bootstrap percentile intervals (`method: "boot"`, run here in
 * this thread; use {@link bootstrap} for workers and progress).
 *
 * @example
 * ```ts
 * confint(model, { method: "wald", level: 0.95 });
 * confint(model, { method: "profile" }); // [{ parameter: "sd_(Intercept)|Subject", lower, upper }, …]
 * ```
 */
export function confint(model: LinearMixedModel, options: ConfintOptions = {}): ConfidenceInterval[] {
  const method = options.method ?? "wald";
  const level = options.level ?? 0.95;
  if (!(level > 0 && level < 1)) throw new InvalidArgumentError("level", level, "a number strictly between 0 and 1");
  if (method === "profile") return profileConfint(profile(model), level);
  if (method === "boot") return bootstrapSync(model, options.nsim ?? 500, { seed: options.seed ?? 1 }).intervals(level).map(({ parameter, percentile }) => ({ parameter, lower: percentile[0], upper: percentile[1] }));
  if (method !== "wald") throw new InvalidArgumentError("method", method, '"wald", "profile" or "boot"');
  const z = qnorm(1 - (1 - level) / 2);
  return model.fixef().map((f) => ({ parameter: f.name, lower: f.estimate - z * f.stdError, upper: f.estimate + z * f.stdError }));
}

function checkDdf(ddf: unknown): asserts ddf is DdfMethod | undefined {
  if (ddf !== undefined && ddf !== "satterthwaite" && ddf !== "kenward-roger" && ddf !== "residual") {
    throw new InvalidArgumentError("ddf", ddf, '"satterthwaite", "kenward-roger" or "residual"');
  }
}
