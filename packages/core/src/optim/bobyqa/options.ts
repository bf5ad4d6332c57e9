import { InvalidArgumentError } from "../../errors/LmmError.js";

/**
 * Options of {@link bobyqa}. Every field is optional.
 *
 * @example
 * ```ts
 * const options: BobyqaOptions = { lower: [0, -Infinity, 0], maxEval: 500, onEvaluation: (x, f) => console.log(f) };
 * bobyqa((x) => x[0] ** 2 + (x[1] - 1) ** 2 + x[2], [1, 0, 1], options);
 * ```
 */
export interface BobyqaOptions {
  /** Lower bounds, one per variable; default −Infinity. NaN is an error. */
  lower?: ArrayLike<number>;
  /** Upper bounds, one per variable; default +Infinity. NaN is an error. */
  upper?: ArrayLike<number>;
  /**
   * Initial trust-region radius: about a tenth of the greatest expected change of a variable.
   * Default `0.2 · max(1, max|x0ᵢ|)` (the 0.2 of lme4's minqa defaults, but never below 0.2 so that
   * θ₀ = 0 starts sensibly). It is reduced, if needed, to half the smallest range `upper − lower`
   * of a free variable, since BOBYQA needs room for its initial points inside the box.
   */
  rhoBeg?: number;
  /**
   * Final trust-region radius, the resolution of the search. Default `1e-7 · max(1, max|x0ᵢ|)`:
   * on smooth problems the result is then accurate to about 1e-7 or better in absolute terms
   * (for mixed-model θ of order one), which is finer than lme4's nloptwrap (rhoend = max(1e-4 ·
   * initial step, 1e-8), its θ are typically accurate to ~1e-5). Must not exceed rhoBeg.
   */
  rhoEnd?: number;
  /** Maximum number of objective evaluations; default `max(10000 · n, 1000)` for n free variables. */
  maxEval?: number;
  /**
   * NLopt-style stop: end as soon as a new best value improves on the previous best by less than
   * ftolAbs (lme4's nloptwrap uses 1e-8). Default 0 (off): this test can stop early on a plateau.
   */
  ftolAbs?: number;
  /**
   * NLopt-style stop on the variables: NLopt implements xtol_abs through BOBYQA's final radius, and
   * so does this option: the effective rhoEnd is `max(rhoEnd, xtolAbs)` (capped at rhoBeg).
   * Default 0 (no effect).
   */
  xtolAbs?: number;
  /**
   * Number of interpolation points, in [n+2, (n+1)(n+2)/2]; default 2n+1 (Powell's recommendation;
   * 3 when n = 1).
   */
  npt?: number;
  /** Called after every evaluation with the point (a buffer reused between calls: copy it to keep it) and the raw value. */
  onEvaluation?: (x: Float64Array, f: number) => void;
  /** Aborting throws {@link AbortedError} before the next evaluation. */
  signal?: AbortSignal;
}

/** Validated problem description. @internal */
export interface ResolvedProblem {
  /** Start, clamped into the bounds (full length). */
  x0: Float64Array;
  lower: Float64Array;
  upper: Float64Array;
  /** Indices of the variables with lower < upper. */
  free: Int32Array;
}

/** Checks x0 and the bounds; clamps x0 into the box. @internal */
export function resolveProblem(x0: ArrayLike<number>, options: BobyqaOptions): ResolvedProblem {
  if (x0 == null || typeof x0.length !== "number") throw new InvalidArgumentError("x0", x0, "an array of numbers");
  const n = x0.length;
  if (n < 1) throw new InvalidArgumentError("x0", x0, "at least one variable");
  const lower = bounds(options.lower, n, -Infinity, "lower");
  const upper = bounds(options.upper, n, Infinity, "upper");
  const start = new Float64Array(n);
  const free: number[] = [];
  for (let i = 0; i < n; i++) {
    const v = x0[i];
    if (typeof v !== "number" || !Number.isFinite(v)) {
      throw new InvalidArgumentError(`x0[${i}]`, v, "a finite number");
    }
    if (lower[i] === Infinity) throw new InvalidArgumentError(`lower[${i}]`, lower[i], "a number below +Infinity");
    if (upper[i] === -Infinity) throw new InvalidArgumentError(`upper[${i}]`, upper[i], "a number above -Infinity");
    if (lower[i] > upper[i]) {
      throw new InvalidArgumentError(`lower[${i}]`, lower[i], `a value not above upper[${i}] = ${upper[i]}`);
    }
    start[i] = Math.min(Math.max(v, lower[i]), upper[i]);
    if (lower[i] < upper[i]) free.push(i);
  }
  return { x0: start, lower, upper, free: Int32Array.from(free) };
}

function bounds(b: ArrayLike<number> | undefined, n: number, fill: number, name: string): Float64Array {
  const out = new Float64Array(n).fill(fill);
  if (b === undefined) return out;
  if (b === null || typeof b.length !== "number") throw new InvalidArgumentError(name, b, "an array of numbers");
  if (b.length !== n) throw new InvalidArgumentError(`${name}.length`, b.length, `${n} (the length of x0)`);
  for (let i = 0; i < n; i++) {
    const v = b[i];
    if (typeof v !== "number" || Number.isNaN(v)) throw new InvalidArgumentError(`${name}[${i}]`, v, "a number (±Infinity allowed)");
    out[i] = v;
  }
  return out;
}

/** Validated numeric settings. @internal */
export interface ResolvedSettings {
  rhoBeg: number;
  rhoEnd: number;
  maxEval: number;
  ftolAbs: number;
  npt: number;
}

/** Applies defaults and checks the numeric options for a problem with `nFree` free variables. @internal */
export function resolveSettings(problem: ResolvedProblem, options: BobyqaOptions): ResolvedSettings {
  const { x0, lower, upper, free } = problem;
  const n = free.length;
  let scale = 1;
  let minRange = Infinity;
  for (const i of free) {
    scale = Math.max(scale, Math.abs(x0[i]));
    minRange = Math.min(minRange, upper[i] - lower[i]);
  }
  const rhoBegGiven = positive(options.rhoBeg, "rhoBeg");
  const rhoEndGiven = positive(options.rhoEnd, "rhoEnd");
  if (rhoBegGiven !== undefined && rhoEndGiven !== undefined && rhoEndGiven > rhoBegGiven) {
    throw new InvalidArgumentError("rhoEnd", rhoEndGiven, `a value not above rhoBeg = ${rhoBegGiven}`);
  }
  const rhoBeg = Math.min(rhoBegGiven ?? 0.2 * scale, 0.5 * minRange);
  const xtolAbs = nonNegative(options.xtolAbs, "xtolAbs") ?? 0;
  const rhoEnd = Math.min(Math.max(rhoEndGiven ?? 1e-7 * scale, xtolAbs), rhoBeg);
  const ftolAbs = nonNegative(options.ftolAbs, "ftolAbs") ?? 0;

  let maxEval = Math.max(10000 * n, 1000);
  if (options.maxEval !== undefined) {
    if (!Number.isInteger(options.maxEval) || options.maxEval < 1) {
      throw new InvalidArgumentError("maxEval", options.maxEval, "a positive integer");
    }
    maxEval = options.maxEval;
  }
  let npt = 2 * n + 1;
  if (options.npt !== undefined) {
    const hi = ((n + 1) * (n + 2)) / 2;
    if (!Number.isInteger(options.npt) || options.npt < n + 2 || options.npt > hi) {
      throw new InvalidArgumentError("npt", options.npt, `an integer in [${n + 2}, ${hi}] for ${n} free variables`);
    }
    npt = options.npt;
  }
  return { rhoBeg, rhoEnd, maxEval, ftolAbs, npt };
}

function positive(v: number | undefined, name: string): number | undefined {
  if (v === undefined) return undefined;
  if (typeof v !== "number" || !(v > 0) || !Number.isFinite(v)) throw new InvalidArgumentError(name, v, "a finite positive number");
  return v;
}

function nonNegative(v: number | undefined, name: string): number | undefined {
  if (v === undefined) return undefined;
  if (typeof v !== "number" || !(v >= 0) || !Number.isFinite(v)) throw new InvalidArgumentError(name, v, "a finite number ≥ 0");
  return v;
}
