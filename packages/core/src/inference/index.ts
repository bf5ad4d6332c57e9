// Inference on fitted models. This file fixes the public surface; the methods behind it live in
// their own files in this folder.
import { InvalidArgumentError } from "../errors/LmmError.js";
import type { LinearMixedModel } from "../model/LinearMixedModel.js";
import { pt2, qnorm } from "../stats/distributions.js";

/** Denominator degrees-of-freedom method for t and F tests of fixed effects. */
export type DdfMethod = "satterthwaite" | "kenward-roger" | "residual";

/** One fixed effect with its test, as lmerTest's summary table. */
export interface CoefficientRow {
  name: string;
  estimate: number;
  stdError: number;
  df: number;
  /** t value. */
  statistic: number;
  pValue: number;
}

/** A confidence interval, named as lme4's `confint` rows (`sd_(Intercept)|Subject`, `sigma`, fixed-effect names). */
export interface ConfidenceInterval {
  parameter: string;
  lower: number;
  upper: number;
}

/**
 * Fixed effects with denominator df and p-values (t tests). `"residual"` uses n − p.
 *
 * @example
 * ```ts
 * coefficients(model, { ddf: "satterthwaite" }); // [{ name, estimate, stdError, df, statistic, pValue }]
 * ```
 */
export function coefficients(model: LinearMixedModel, options: { ddf?: DdfMethod } = {}): CoefficientRow[] {
  const ddf = options.ddf ?? "satterthwaite";
  if (ddf !== "residual") throw new InvalidArgumentError("ddf", ddf, '"residual" (other methods are not implemented yet)');
  const df = model.nobs - model.beta.length;
  return model.fixef().map((f) => ({ name: f.name, estimate: f.estimate, stdError: f.stdError, df, statistic: f.tValue, pValue: pt2(f.tValue, df) }));
}

/**
 * Confidence intervals for fixed effects (and, by profile or bootstrap, variance parameters).
 *
 * @example
 * ```ts
 * confint(model, { method: "wald", level: 0.95 });
 * ```
 */
export function confint(model: LinearMixedModel, options: { method?: "wald" | "profile" | "boot"; level?: number } = {}): ConfidenceInterval[] {
  const method = options.method ?? "wald";
  const level = options.level ?? 0.95;
  if (method !== "wald") throw new InvalidArgumentError("method", method, '"wald" (other methods are not implemented yet)');
  const z = qnorm(1 - (1 - level) / 2);
  return model.fixef().map((f) => ({ parameter: f.name, lower: f.estimate - z * f.stdError, upper: f.estimate + z * f.stdError }));
}
