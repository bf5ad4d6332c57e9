import { InvalidArgumentError } from "../../errors/LmmError.js";
import { bobyqb, type BobyqaStopReason } from "./bobyqb.js";
import { Objective } from "./objective.js";
import { resolveProblem, resolveSettings, type BobyqaOptions } from "./options.js";
import { createWorkspace } from "./workspace.js";

/**
 * Result of {@link bobyqa}.
 *
 * @example
 * ```ts
 * const r: OptimResult = bobyqa((x) => (x[0] - 2) ** 2, [0]);
 * if (!r.converged) console.warn(`stopped: ${r.reason} after ${r.evaluations} evaluations`);
 * ```
 */
export interface OptimResult {
  /** Best point found (a fresh array, full length including fixed variables). */
  x: Float64Array;
  /** Objective value at `x` (the least finite value seen; NaN/Infinity only with reason "nonFinite"). */
  f: number;
  /** Number of objective evaluations. */
  evaluations: number;
  /** True when the run ended by its convergence test ("rhoEnd", "ftolAbs" or "noFreeVariables"). */
  converged: boolean;
  /** Why the run stopped; see {@link BobyqaStopReason}. */
  reason: BobyqaStopReason;
}

/**
 * Minimises `f` over the box `lower ≤ x ≤ upper` without derivatives, by M.J.D. Powell's BOBYQA
 * (trust-region method on quadratic models that interpolate f at npt points, the models' freedom
 * taken up by least-Frobenius-norm updates of the second derivatives; Powell 2009, "The BOBYQA
 * algorithm for bound constrained optimization without derivatives", DAMTP 2009/NA06).
 * A port of Powell's Fortran (subroutines BOBYQB, PRELIM, TRSBOX, ALTMOV, RESCUE, UPDATE), the
 * algorithm of NLopt's `NLOPT_LN_BOBYQA` that lme4 uses to fit θ.
 *
 * Behaviour beyond Powell's code:
 * - **Bounds** may be infinite; variables with lower = upper are held fixed and left out of the
 *   search. A start outside the box is clamped into it. As in Powell's driver, a start closer than
 *   rhoBeg to a bound (but not on it) is moved to distance rhoBeg from that bound.
 * - **n = 1** runs the same algorithm with npt = 3 (the full quadratic model in one dimension),
 *   which is what NLopt does for one-parameter mixed models (Powell's code needs no change for it).
 * - **Non-finite values** (NaN, ±Infinity) are never passed into the model: they are replaced by a
 *   value worse than every finite value seen so far (see `Objective.moderate`), so the search steps
 *   back from such regions. The reported `f` is always a value the objective really returned.
 * - Deterministic: the same call gives bit-identical results.
 *
 * @param f - objective; receives a buffer it must not keep (reused between calls).
 * @param x0 - starting point (finite numbers).
 * @param options - bounds, radii, budget and stopping options, see {@link BobyqaOptions}.
 * @returns the best point found; see {@link OptimResult}.
 * @throws {@link InvalidArgumentError} for a bad x0, bounds or options; {@link AbortedError} when
 *   `options.signal` fires.
 *
 * @example
 * ```ts
 * // Rosenbrock's function with x₀ ≥ 0.
 * const r = bobyqa((x) => 100 * (x[1] - x[0] ** 2) ** 2 + (1 - x[0]) ** 2, [-1.2, 1], { lower: [0, -Infinity] });
 * r.x; // ≈ [1, 1]
 * ```
 */
export function bobyqa(f: (x: Float64Array) => number, x0: ArrayLike<number>, options: BobyqaOptions = {}): OptimResult {
  if (typeof f !== "function") throw new InvalidArgumentError("f", f, "a function");
  const problem = resolveProblem(x0, options);
  const { lower, upper, free } = problem;
  const settings = resolveSettings(problem, options);
  const obj = new Objective(f, problem.x0, free, settings.maxEval, options.onEvaluation, options.signal);

  const n = free.length;
  if (n === 0) {
    const fx = obj.evaluateRaw(new Float64Array(0));
    return { x: Float64Array.from(problem.x0), f: fx, evaluations: obj.evaluations, converged: true, reason: "noFreeVariables" };
  }

  const xl = new Float64Array(n);
  const xu = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    xl[i] = lower[free[i]];
    xu[i] = upper[free[i]];
  }
  const ws = createWorkspace(n, settings.npt, xl, xu);
  const { rhoBeg } = settings;
  // Powell's driver: start on a bound, or at least rhoBeg away from it, and set SL, SU.
  for (let j = 0; j < n; j++) {
    let x = problem.x0[free[j]];
    const range = xu[j] - xl[j];
    let sl = xl[j] - x;
    let su = xu[j] - x;
    if (sl >= -rhoBeg) {
      if (sl >= 0) {
        x = xl[j];
        sl = 0;
        su = range;
      } else {
        x = xl[j] + rhoBeg;
        sl = -rhoBeg;
        su = Math.max(xu[j] - x, rhoBeg);
      }
    } else if (su <= rhoBeg) {
      if (su <= 0) {
        x = xu[j];
        sl = -range;
        su = 0;
      } else {
        x = xu[j] - rhoBeg;
        sl = Math.min(xl[j] - x, -rhoBeg);
        su = rhoBeg;
      }
    }
    ws.xbase[j] = x;
    ws.sl[j] = sl;
    ws.su[j] = su;
  }

  const reason = bobyqb(ws, obj, rhoBeg, settings.rhoEnd, settings.ftolAbs);
  if (reason === "nonFinite") {
    return { x: Float64Array.from(problem.x0), f: obj.firstF, evaluations: obj.evaluations, converged: false, reason };
  }
  return {
    x: Float64Array.from(obj.bestX),
    f: obj.bestF,
    evaluations: obj.evaluations,
    converged: reason === "rhoEnd" || reason === "ftolAbs",
    reason,
  };
}
