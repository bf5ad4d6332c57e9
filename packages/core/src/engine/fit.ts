import { FitFailedError } from "../errors/data.js";
import { InvalidArgumentError } from "../errors/LmmError.js";
import { checkConvergence, type ConvergenceCheck } from "./convergence.js";
import type { DesignOptions, LmmDesign } from "./design.js";
import { estimatesAt, type Estimates } from "./estimates.js";
import { Fitter, type FitterDesign } from "./Fitter.js";
import { designAtDispersion, hasDispersion } from "./dispersion.js";
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
   * With `theta` and a dispersion formula: δ per level of the dispersion factor (the reference's
   * first, 1), taken as given; without it the design's δ is used.
   */
  delta?: ArrayLike<number>;
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
  const reml = options.reml ?? true;
  if (hasDispersion(design)) {
    if (options.theta) {
      const fixed = options.delta ? designAtDispersion(design, checkedDelta(design.dispersion!.levels, options.delta)) : design;
      const fitter = new Fitter(fixed, y, reml);
      const { theta, info } = givenTheta(fitter, options.theta);
      return settle(fitter, theta, info, options);
    }
    const joint = new Fitter(design, y, reml, true);
    const { theta, info } = optimiseTheta(joint, options);
    return settle(atEstimatedDispersion(joint), theta, info, options);
  }
  const fitter = new Fitter(design, y, reml);
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
  const estimates = estimatesAt(fitter, theta);
  if (!Number.isFinite(estimates.objective)) throw new FitFailedError(design.formula, `the criterion is not finite at any θ tried (${info.reason})`);
  return { design, fitter, ...checkAndPolish(fitter, estimates, info, design.frame.n, options) };
}

/** The estimates, optimiser's account and convergence checks after {@link checkAndPolish}. */
export interface CheckedEstimates {
  estimates: Estimates;
  optimisation: OptimisationInfo;
  convergence: ConvergenceCheck | null;
}

/**
 * lme4's convergence checks at θ̂ when asked for (by default below 10,000 observations, as lme4's
 * `calc.derivs`), and the Newton polish where they find BOBYQA stopped short of a minimum. Needs
 * only the fitter's criterion, so a fitter of sums computed elsewhere (SQL) is checked and polished
 * exactly as one of rows. Leaves the fitter's blocked factor at the returned θ̂.
 */
export function checkAndPolish(fitter: Fitter<FitterDesign>, fitted: Estimates, info: OptimisationInfo, nobs: number, options: Pick<FitOptions, "checkConvergence" | "theta" | "polish"> = {}): CheckedEstimates {
  const { design } = fitter;
  let estimates = fitted;
  const check = options.checkConvergence ?? "auto";
  let convergence: ConvergenceCheck | null = null;
  let optimisation: OptimisationInfo = { ...info, polishSteps: 0 };
  if (check === true || (check === "auto" && !options.theta && nobs < 10_000)) {
    const f = (t: Float64Array) => fitter.evaluate(t);
    convergence = checkConvergence(f, estimates.theta, design.theta.lower, estimates.objective);
    if (options.polish !== false && !options.theta) {
      const polished = polishTheta(f, estimates.theta, design.theta.lower, estimates.objective, convergence);
      if (polished.steps > 0) {
        convergence = polished.check;
        estimates = estimatesAt(fitter, polished.theta);
      }
      optimisation = polishedInfo(info, polished.steps, polished.evaluations, polished.stationary);
    }
    // The checks and the polish moved the blocked factor (one grouping factor): back to θ̂.
    fitter.factorAt(estimates.theta);
  }
  return { estimates, optimisation, convergence };
}

/** BOBYQA's account with the polish's steps and evaluations added; converged where the polish reached a minimum. */
function polishedInfo(info: OptimisationInfo, steps: number, evaluations: number, stationary: boolean): OptimisationInfo {
  if (steps === 0) return { ...info, polishSteps: 0 };
  const reason = `${info.reason}; then ${steps} Newton step(s) ${stationary ? "to a stationary point" : "lowered the criterion without reaching a stationary point"}`;
  return { ...info, evaluations: info.evaluations + evaluations, polishSteps: steps, converged: stationary, reason };
}

/**
 * After optimising a fitter that estimates δ: a fitter of the design at δ̂ (its weights include
 * 1/δ̂²), which models and summaries read: every number at (θ̂, δ̂) then comes from the same code
 * as a weighted fit, and a refit of that design estimates δ again from δ̂.
 */
export function atEstimatedDispersion(joint: Fitter): Fitter {
  return new Fitter(designAtDispersion(joint.design, joint.dispersed!.delta()), joint.y, joint.reml);
}

/** δ given per level of a dispersion factor, checked: one positive finite value per level. */
export function checkedDelta(levels: readonly string[], delta: ArrayLike<number>): ArrayLike<number> {
  if (delta.length !== levels.length) throw new InvalidArgumentError("delta", `${delta.length} values`, `${levels.length} values (δ of ${levels.join(", ")})`);
  for (let g = 0; g < delta.length; g++) if (!(delta[g] > 0 && Number.isFinite(delta[g]))) throw new InvalidArgumentError(`delta[${g}] (${levels[g]})`, delta[g], "a positive finite number");
  return delta;
}
