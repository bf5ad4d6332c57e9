import { InvalidArgumentError } from "../errors/LmmError.js";
import type { DataColumns, FrameOptions } from "../frame/data.js";
import { bobyqa } from "../optim/index.js";
import { checkConvergence, type ConvergenceCheck } from "./convergence.js";
import { buildLmmDesign, type LmmDesign } from "./design.js";
import { Fitter } from "./Fitter.js";
import { LinearMixedModel, type OptimizationInfo } from "./LinearMixedModel.js";

/** Options of {@link lmm} and `refit`. */
export interface FitOptions extends FrameOptions {
  /** REML (default, as lme4) or ML (`reml: false`). */
  reml?: boolean;
  /** Starting θ (lme4's order); default 1 on diagonals, 0 elsewhere. */
  start?: ArrayLike<number>;
  /** Maximum number of criterion evaluations. */
  maxEval?: number;
  /** Called with every evaluation of the criterion (θ is a reused buffer: copy it to keep it). */
  onEvaluation?: (theta: Float64Array, objective: number) => void;
  /** Keep every (θ, criterion) pair on `model.optimization.log`. */
  keepLog?: boolean;
  /**
   * Run lme4's derivative-based convergence checks after the fit. Default `"auto"`: only below
   * 10,000 observations, as lme4's `calc.derivs` default (they cost 2n² + 1 evaluations).
   */
  checkConvergence?: boolean | "auto";
  signal?: AbortSignal;
}

/**
 * Fits a linear mixed model with lme4's formula syntax, by REML (default) or ML, as lme4 does:
 * the profiled criterion over θ, minimised with BOBYQA from θ₀ = (1 on diagonals, 0 elsewhere).
 *
 * @example
 * ```ts
 * const m = lmm("Reaction ~ Days + (Days | Subject)", { Reaction, Days, Subject });
 * console.log(m.summary());
 * ```
 */
export function lmm(formula: string, data: DataColumns, options: FitOptions = {}): LinearMixedModel {
  const design = buildLmmDesign(formula, data, options);
  return fitDesign(design, design.frame.y!, options);
}

/** Fits a prepared design to a response over the design's rows (the engine under `lmm` and `refit`). */
export function fitDesign(design: LmmDesign, y: Float64Array, options: FitOptions = {}): LinearMixedModel {
  const fitter = new Fitter(design, y, options.reml ?? true);
  const { theta, info } = optimizeTheta(fitter, options);
  const check = options.checkConvergence ?? "auto";
  let convergence: ConvergenceCheck | null = null;
  if (check === true || (check === "auto" && design.frame.n < 10_000)) {
    const fx = fitter.objective(theta);
    convergence = checkConvergence((t) => fitter.objective(t), theta, design.theta.lower, fx);
  }
  return new LinearMixedModel(design, fitter, theta, info, convergence);
}

/** Minimises the profiled criterion of a fitter over θ. */
export function optimizeTheta(fitter: Fitter, options: FitOptions = {}): { theta: Float64Array; info: OptimizationInfo } {
  const layout = fitter.design.theta;
  const start = options.start ? Float64Array.from(options.start) : layout.start();
  if (start.length !== layout.length) throw new InvalidArgumentError("start", `${start.length} values`, `${layout.length} values (θ: ${layout.names.join(", ")})`);
  const log: { theta: number[]; objective: number }[] | undefined = options.keepLog ? [] : undefined;
  const before = fitter.evaluations;
  const result = bobyqa((t) => fitter.objective(t), start, {
    lower: layout.lower,
    maxEval: options.maxEval,
    signal: options.signal,
    onEvaluation: (t, f) => {
      log?.push({ theta: Array.from(t), objective: f });
      options.onEvaluation?.(t, f);
    },
  });
  return {
    theta: result.x,
    info: { optimizer: "bobyqa", evaluations: fitter.evaluations - before, converged: result.converged, reason: result.reason, log },
  };
}
