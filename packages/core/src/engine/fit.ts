import { InvalidArgumentError } from "../errors/LmmError.js";
import { FitFailedError } from "../errors/data.js";
import type { DataColumns } from "../frame/data.js";
import { bobyqa } from "../optim/index.js";
import { checkConvergence, type ConvergenceCheck } from "./convergence.js";
import { buildLmmDesign, type DesignOptions, type LmmDesign } from "./design.js";
import { Fitter } from "./Fitter.js";
import { nloptSettings, startingTheta } from "./start.js";
import { LinearMixedModel, type OptimizationInfo } from "../model/LinearMixedModel.js";

/** Options of {@link lmm} and `refit`. */
export interface FitOptions extends DesignOptions {
  /** REML (default, as lme4) or ML (`reml: false`). */
  reml?: boolean;
  /** Starting θ (lme4's order); default lme4's start. */
  start?: ArrayLike<number>;
  /**
   * Take θ as given instead of optimising it (lme4's order): the model is evaluated at θ. Use it to
   * rebuild a model fitted elsewhere (a Web Worker, a saved result) in one evaluation.
   */
  theta?: ArrayLike<number>;
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
 * The formula language is lme4's (docs/formulas.md): `*`, `:`, `/`, `%in%`, `(a + b)^2`, `- a:b`,
 * `0 +` / `- 1`, random terms `(x | g)`, `(x || g)`, `(1 | a/b/c)`; functions `I()` (arithmetic
 * `+ - * / ^`), `log`, `log2`, `log10`, `log1p`, `exp`, `sqrt`, `abs`, `factor`, `poly(x, d)` (and
 * `raw = TRUE`), `scale()`, `ns()`, `bs()` (knots placed as R's splines) and `offset()`, in the
 * fixed part, the random part and the response; coefficients are named as lme4 names them. Prior
 * weights, an offset and contrasts are options (`weights`, `offset`, `contrasts`, `ordered`).
 * Formulas are read by this package's own parser and evaluator, never run as code.
 *
 * @example
 * ```ts
 * const m = lmm("Reaction ~ poly(Days, 2) + (Days | Subject)", { Reaction, Days, Subject, w }, { weights: "w" });
 * m.fixefNames; // ["(Intercept)", "poly(Days, 2)1", "poly(Days, 2)2"]
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
  const { theta, info } = options.theta ? fixedTheta(fitter, options.theta) : optimizeTheta(fitter, options);
  if (!Number.isFinite(fitter.objective(theta))) throw new FitFailedError(design.formula, `the criterion is not finite at any θ tried (${info.reason})`);
  const check = options.checkConvergence ?? "auto";
  let convergence: ConvergenceCheck | null = null;
  if (check === true || (check === "auto" && !options.theta && design.frame.n < 10_000)) {
    const fx = fitter.objective(theta);
    convergence = checkConvergence((t) => fitter.evaluate(t), theta, design.theta.lower, fx);
  }
  return new LinearMixedModel(design, fitter, theta, info, convergence);
}

function fixedTheta(fitter: Fitter, given: ArrayLike<number>): { theta: Float64Array; info: OptimizationInfo } {
  const layout = fitter.design.theta;
  if (given.length !== layout.length) throw new InvalidArgumentError("theta", `${given.length} values`, `${layout.length} values (θ: ${layout.names.join(", ")})`);
  const theta = Float64Array.from(given);
  theta.forEach((t, i) => {
    if (!Number.isFinite(t) || t < layout.lower[i]) throw new InvalidArgumentError(`theta[${i}] (${layout.names[i]})`, t, "a finite number within its lower bound");
  });
  return { theta, info: { optimizer: "none", evaluations: 0, converged: true, reason: "θ given" } };
}

/**
 * Minimises the profiled criterion of a fitter over θ with BOBYQA, started and scaled as lme4's
 * nloptwrap starts and scales it (so the runs match lme4's evaluation for evaluation), unless a
 * start is given (warm starts for refits).
 */
export function optimizeTheta(fitter: Fitter, options: FitOptions = {}): { theta: Float64Array; info: OptimizationInfo } {
  const layout = fitter.design.theta;
  const start = options.start ? Float64Array.from(options.start) : startingTheta(fitter);
  if (start.length !== layout.length) throw new InvalidArgumentError("start", `${start.length} values`, `${layout.length} values (θ: ${layout.names.join(", ")})`);
  const { scale, rhoBeg, rhoEnd } = nloptSettings(start, layout.lower);
  const log: { theta: number[]; objective: number }[] | undefined = options.keepLog ? [] : undefined;
  const before = fitter.evaluations;
  const theta = new Float64Array(layout.length);
  const unscale = (u: ArrayLike<number>) => {
    for (let i = 0; i < theta.length; i++) theta[i] = u[i] * scale[i];
    return theta;
  };
  const result = bobyqa((u) => fitter.evaluate(unscale(u)), start.map((v, i) => v / scale[i]), {
    lower: layout.lower.map((l, i) => l / scale[i]),
    rhoBeg,
    rhoEnd,
    ftolAbs: 1e-8,
    maxEval: options.maxEval,
    signal: options.signal,
    onEvaluation: (u, f) => {
      const t = unscale(u);
      log?.push({ theta: Array.from(t), objective: f });
      options.onEvaluation?.(t, f);
    },
  });
  return {
    theta: Float64Array.from(result.x, (u, i) => u * scale[i]),
    info: { optimizer: "bobyqa", evaluations: fitter.evaluations - before, converged: result.converged, reason: result.reason, log },
  };
}
