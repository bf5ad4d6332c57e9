import { FitFailedError } from "../errors/data.js";
import { checkConvergence, type ConvergenceCheck } from "./convergence.js";
import type { DesignOptions, LmmDesign } from "./design.js";
import { estimatesAt, type Estimates } from "./estimates.js";
import { Fitter } from "./Fitter.js";
import { givenTheta, optimiseTheta, type OptimiseOptions, type OptimisationInfo } from "./optimise.js";

/** Options of `lmm` and `refit`. */
export interface FitOptions extends DesignOptions, OptimiseOptions {
  /** REML (default, as lme4) or ML (`reml: false`). */
  reml?: boolean;
  /**
   * Take θ as given instead of optimising it (lme4's order): the model is evaluated at θ. Use it to
   * rebuild a model fitted elsewhere (a Web Worker, a saved result) in one evaluation.
   */
  theta?: ArrayLike<number>;
  /**
   * Run lme4's derivative-based convergence checks after the fit. Default `"auto"`: only below
   * 10,000 observations, as lme4's `calc.derivs` default (they cost 2n² + 1 evaluations).
   */
  checkConvergence?: boolean | "auto";
}

/**
 * A fit as the engine hands it to a model: the design, a fitter that belongs to this fit alone and
 * is factored at θ̂, the numbers there, and how the optimiser ended.
 */
export interface FittedState {
  design: LmmDesign;
  fitter: Fitter;
  estimates: Estimates;
  optimisation: OptimisationInfo;
  convergence: ConvergenceCheck | null;
}

/** Fits a prepared design to a response over the design's rows (the engine under `lmm` and `refit`). */
export function fitDesign(design: LmmDesign, y: Float64Array, options: FitOptions = {}): FittedState {
  const fitter = new Fitter(design, y, options.reml ?? true);
  const { theta, info } = options.theta ? givenTheta(fitter, options.theta) : optimiseTheta(fitter, options);
  return settle(fitter, theta, info, options);
}

/**
 * The state of a fit whose θ̂ is known: the estimates from the blocked factor (computed once), and
 * lme4's convergence checks when asked for. The fitter is left factored at θ̂.
 */
export function settle(fitter: Fitter, theta: Float64Array, info: OptimisationInfo, options: Pick<FitOptions, "checkConvergence" | "theta"> = {}): FittedState {
  const { design } = fitter;
  const estimates = estimatesAt(fitter, theta);
  if (!Number.isFinite(estimates.objective)) throw new FitFailedError(design.formula, `the criterion is not finite at any θ tried (${info.reason})`);
  const check = options.checkConvergence ?? "auto";
  let convergence: ConvergenceCheck | null = null;
  if (check === true || (check === "auto" && !options.theta && design.frame.n < 10_000)) {
    convergence = checkConvergence((t) => fitter.evaluate(t), theta, design.theta.lower, estimates.objective);
    // With one grouping factor the checks moved the blocked factor: back to θ̂ (a no-op otherwise).
    fitter.factorAt(theta);
  }
  return { design, fitter, estimates, optimisation: info, convergence };
}
