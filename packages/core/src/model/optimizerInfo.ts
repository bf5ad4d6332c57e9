import type { LinearMixedModel } from "./LinearMixedModel.js";

/**
 * How the optimiser ended, with names as lme4's `optinfo`: criterion evaluations (BOBYQA's and
 * the Newton polish's, as lme4's `feval` counts the optimiser's; the convergence check's are not
 * counted), the polish's accepted steps, and the largest scaled gradient of lme4's convergence check
 * at θ̂ (`max|grad|` of its message; NaN where the check did not run, as above 10,000 observations).
 *
 * @example
 * ```ts
 * const m = lmm("Reaction ~ Days + (Days | Subject)", sleepstudy);
 * const { evaluations, polishSteps, maxGradient } = m.optimizer; // e.g. 33, 0, 1.2e-5
 * ```
 */
export interface OptimizerInfo {
  /** `"bobyqa"` (lme4's nloptwrap default), or `"none"` where θ was given. */
  name: string;
  evaluations: number;
  polishSteps: number;
  maxGradient: number;
}

/** The {@link OptimizerInfo} of a fitted model. */
export function optimizerInfo(m: Pick<LinearMixedModel, "optimisation" | "convergence">): OptimizerInfo {
  return {
    name: m.optimisation.optimizer,
    evaluations: m.optimisation.evaluations,
    polishSteps: m.optimisation.polishSteps ?? 0,
    maxGradient: m.convergence?.maxScaledGradient ?? NaN,
  };
}
