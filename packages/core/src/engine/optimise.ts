import { InvalidArgumentError } from "../errors/LmmError.js";
import { bobyqa, quasiNewton } from "../optim/index.js";
import type { Fitter, FitterDesign } from "./Fitter.js";
import { nloptSettings, startingTheta } from "./start.js";
import { optimiseWithDispersion } from "./optimiseDispersion.js";

/** How the optimiser ended. */
export interface OptimisationInfo {
  optimizer: string;
  evaluations: number;
  converged: boolean;
  reason: string;
  /** Newton steps of the polish after BOBYQA (0 where the checks were met or did not run). */
  polishSteps?: number;
  /** (θ, criterion) of every evaluation, when the fit was asked to keep them. */
  log?: { theta: number[]; objective: number }[];
}

/** Options of {@link optimiseTheta}. */
export interface OptimiseOptions {
  /** Starting θ (lme4's order); default lme4's start. */
  start?: ArrayLike<number>;
  /** Maximum number of criterion evaluations. */
  maxEval?: number;
  /**
   * How θ is optimised: `"bobyqa"` (lme4's default optimiser, derivative-free; `"nloptwrap"`, lme4's
   * name for it, is the same), `"quasi-newton"`
   * (projected BFGS on the criterion's exact gradient: designs with several grouping factors whose
   * every θ scales one set of effects; an error elsewhere), or `"auto"` (default): quasi-Newton where
   * the gradient exists and the dense block is large (each evaluation a large factorisation, the
   * gradient about one more), BOBYQA elsewhere. Where quasi-Newton ends without meeting its tests, or
   * with a variance at 0, BOBYQA continues from its point.
   */
  optimizer?: "auto" | "bobyqa" | "nloptwrap" | "quasi-newton";
  /** Called with every evaluation of the criterion (θ is a reused buffer: copy it to keep it). */
  onEvaluation?: (theta: Float64Array, objective: number) => void;
  /** Keep every (θ, criterion) pair on the result's `log`. */
  keepLog?: boolean;
  signal?: AbortSignal;
}

/**
 * Minimises the profiled criterion of a fitter over θ: by BOBYQA, started and scaled as lme4's
 * nloptwrap starts and scales it (so the runs match lme4's evaluation for evaluation), or by
 * quasi-Newton on the exact gradient (`optimizer`), from lme4's start unless a start is given
 * (warm starts for refits). A fitter that estimates δ (a dispersion formula) is optimised by
 * BOBYQA over [θ, log δ] together, from the design's δ, and left at δ̂.
 */
export function optimiseTheta(fitter: Fitter<FitterDesign>, options: OptimiseOptions = {}): { theta: Float64Array; info: OptimisationInfo } {
  const layout = fitter.design.theta;
  const thetaStart = options.start ? Float64Array.from(options.start) : startingTheta(fitter);
  if (thetaStart.length !== layout.length) throw new InvalidArgumentError("start", `${thetaStart.length} values`, `${layout.length} values (θ: ${layout.names.join(", ")})`);
  const choice = options.optimizer === "nloptwrap" ? "bobyqa" : (options.optimizer ?? "auto");
  if (!OPTIMIZERS.includes(choice)) throw new InvalidArgumentError("optimizer", choice, `"auto", "bobyqa" (or lme4's "nloptwrap", the same) or "quasi-newton"`);
  if (choice === "quasi-newton" && (fitter.dispersed || !fitter.hasGradient())) {
    throw new InvalidArgumentError("optimizer", "quasi-newton", `"bobyqa" or "auto" for this model (the exact gradient needs several grouping factors, each θ scaling one set of effects, no dispersion formula)`);
  }
  // Only a fitter of rows estimates δ (given sums carry no dispersion factor): its design is an LmmDesign.
  if (fitter.dispersed) return optimiseWithDispersion(fitter as unknown as Fitter, thetaStart, options);
  const start = thetaStart;
  if (choice === "quasi-newton" || (choice === "auto" && fitter.hasGradient() && fitter.denseOrder >= QUASI_NEWTON_MIN)) return byQuasiNewton(fitter, start, options);
  return byBobyqa(fitter, start, options);
}

const OPTIMIZERS: readonly string[] = ["auto", "bobyqa", "quasi-newton"];

/** From this order of the dense block, "auto" optimises by quasi-Newton: there a factorisation dominates an evaluation. */
const QUASI_NEWTON_MIN = 192;

/** BOBYQA started and scaled as lme4's nloptwrap (or from a given start). */
function byBobyqa(fitter: Fitter<FitterDesign>, start: Float64Array, options: OptimiseOptions, log = options.keepLog ? ([] as { theta: number[]; objective: number }[]) : undefined): { theta: Float64Array; info: OptimisationInfo } {
  const layout = fitter.design.theta;
  const { scale, rhoBeg, rhoEnd } = nloptSettings(start, layout.lower);
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

/**
 * Quasi-Newton on the exact gradient; where it stops short of its tests, or with a θ on its bound
 * (where the criterion's gradient vanishes whether or not 0 is a minimum), BOBYQA continues from
 * its point, so the result is never worse than that point.
 */
function byQuasiNewton(fitter: Fitter<FitterDesign>, start: Float64Array, options: OptimiseOptions): { theta: Float64Array; info: OptimisationInfo } {
  const lower = fitter.design.theta.lower;
  const log: { theta: number[]; objective: number }[] | undefined = options.keepLog ? [] : undefined;
  const before = fitter.evaluations;
  const result = quasiNewton((t, g) => fitter.evaluateWithGradient(t, g), start, {
    lower,
    maxEval: options.maxEval,
    signal: options.signal,
    onEvaluation: (t, f) => {
      log?.push({ theta: Array.from(t), objective: f });
      options.onEvaluation?.(t, f);
    },
  });
  const onBound = Array.from(result.x).some((t, i) => t <= lower[i]);
  if (result.converged && !onBound) {
    return { theta: result.x, info: { optimizer: "quasi-newton", evaluations: fitter.evaluations - before, converged: true, reason: result.reason, log } };
  }
  const rest = byBobyqa(fitter, result.x, { ...options, maxEval: options.maxEval === undefined ? undefined : Math.max(1, options.maxEval - result.evaluations) }, log);
  const why = onBound ? "a θ on its bound" : `quasi-Newton stopped (${result.reason})`;
  return {
    theta: rest.theta,
    info: { ...rest.info, optimizer: "quasi-newton, then bobyqa", evaluations: fitter.evaluations - before, reason: `${why}; bobyqa: ${rest.info.reason}` },
  };
}

/** θ taken as given (checked against the layout) instead of optimised. */
export function givenTheta(fitter: Fitter<FitterDesign>, given: ArrayLike<number>): { theta: Float64Array; info: OptimisationInfo } {
  const layout = fitter.design.theta;
  if (given.length !== layout.length) throw new InvalidArgumentError("theta", `${given.length} values`, `${layout.length} values (θ: ${layout.names.join(", ")})`);
  const theta = Float64Array.from(given);
  theta.forEach((t, i) => {
    if (!Number.isFinite(t) || t < layout.lower[i]) throw new InvalidArgumentError(`theta[${i}] (${layout.names[i]})`, t, "a finite number within its lower bound");
  });
  return { theta, info: { optimizer: "none", evaluations: 0, converged: true, reason: "θ given" } };
}
