import { InvalidArgumentError } from "../errors/LmmError.js";
import { bobyqa } from "../optim/index.js";
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
  /** Called with every evaluation of the criterion (θ is a reused buffer: copy it to keep it). */
  onEvaluation?: (theta: Float64Array, objective: number) => void;
  /** Keep every (θ, criterion) pair on the result's `log`. */
  keepLog?: boolean;
  signal?: AbortSignal;
}

/**
 * Minimises the profiled criterion of a fitter over θ with BOBYQA, started and scaled as lme4's
 * nloptwrap starts and scales it (so the runs match lme4's evaluation for evaluation), unless a
 * start is given (warm starts for refits). A fitter that estimates δ (a dispersion formula) is
 * optimised over [θ, log δ] together, from the design's δ, and left at δ̂.
 */
export function optimiseTheta(fitter: Fitter<FitterDesign>, options: OptimiseOptions = {}): { theta: Float64Array; info: OptimisationInfo } {
  const layout = fitter.design.theta;
  const thetaStart = options.start ? Float64Array.from(options.start) : startingTheta(fitter);
  if (thetaStart.length !== layout.length) throw new InvalidArgumentError("start", `${thetaStart.length} values`, `${layout.length} values (θ: ${layout.names.join(", ")})`);
  // Only a fitter of rows estimates δ (given sums carry no dispersion factor): its design is an LmmDesign.
  if (fitter.dispersed) return optimiseWithDispersion(fitter as unknown as Fitter, thetaStart, options);
  const start = thetaStart;
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
