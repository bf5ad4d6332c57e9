import { FitFailedError } from "../errors/data.js";
import { checkConvergence, type ConvergenceCheck } from "./convergence.js";
import type { DesignOptions, LmmDesign } from "./design.js";
import { estimatesAt, type Estimates } from "./estimates.js";
import { Fitter } from "./Fitter.js";
import { givenTheta, optimiseTheta, type OptimiseOptions, type OptimisationInfo } from "./optimise.js";
import { polishTheta } from "./polish.js";

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
   * Polish θ̂ with safeguarded Newton steps where lme4's checks (or a saddle on a bound) say BOBYQA
   * stopped short of a minimum. Default true; it runs only where the checks run.
   */
  polish?: boolean;
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
 * lme4's convergence checks when asked for. Where the checks find BOBYQA stopped short of a minimum
 * (a flat criterion, a saddle on a bound), the Newton polish continues from θ̂ with the checks'
 * derivatives, accepting only steps that lower the criterion. The fitter is left factored at θ̂.
 */
export function settle(fitter: Fitter, theta: Float64Array, info: OptimisationInfo, options: Pick<FitOptions, "checkConvergence" | "theta" | "polish"> = {}): FittedState {
  const { design } = fitter;
  let estimates = estimatesAt(fitter, theta);
  if (!Number.isFinite(estimates.objective)) throw new FitFailedError(design.formula, `the criterion is not finite at any θ tried (${info.reason})`);
  const check = options.checkConvergence ?? "auto";
  let convergence: ConvergenceCheck | null = null;
  let optimisation: OptimisationInfo = { ...info, polishSteps: 0 };
  if (check === true || (check === "auto" && !options.theta && design.frame.n < 10_000)) {
    const f = (t: Float64Array) => fitter.evaluate(t);
    convergence = checkConvergence(f, theta, design.theta.lower, estimates.objective);
    if (options.polish !== false && !options.theta) {
      const polished = polishTheta(f, theta, design.theta.lower, estimates.objective, convergence);
      if (polished.steps > 0) {
        convergence = polished.check;
        estimates = estimatesAt(fitter, polished.theta);
      }
      optimisation = polishedInfo(info, polished.steps, polished.evaluations, polished.stationary);
    }
    // The checks and the polish moved the blocked factor (one grouping factor): back to θ̂.
    fitter.factorAt(estimates.theta);
  }
  return { design, fitter, estimates, optimisation, convergence };
}

/** BOBYQA's account with the polish's steps and evaluations added; converged where the polish reached a minimum. */
function polishedInfo(info: OptimisationInfo, steps: number, evaluations: number, stationary: boolean): OptimisationInfo {
  if (steps === 0) return { ...info, polishSteps: 0 };
  const reason = `${info.reason}; then ${steps} Newton step(s) ${stationary ? "to a stationary point" : "lowered the criterion without reaching a stationary point"}`;
  return { ...info, evaluations: info.evaluations + evaluations, polishSteps: steps, converged: stationary, reason };
}
