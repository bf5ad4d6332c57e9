import { symmetricEigen } from "../numerics/dense/matrices.js";
import { checkConvergence, GRADIENT_TOLERANCE, SINGULAR_TOLERANCE, type ConvergenceCheck } from "./convergence.js";

/** What the polish after BOBYQA did. */
export interface PolishResult {
  theta: Float64Array;
  objective: number;
  /** Accepted (criterion-lowering) steps. */
  steps: number;
  /** Criterion evaluations of the polish: line-search trials and the derivatives at accepted points. */
  evaluations: number;
  /** lme4's checks at the returned θ (the input check when no step was accepted). */
  check: ConvergenceCheck;
  /** Whether the returned θ passes the checks: a stationary point, a minimum within the bounds. */
  stationary: boolean;
}

/** At most this many Newton steps: near a minimum they converge quadratically, so more means no progress. */
const MAX_STEPS = 20;
/** Halvings of a rejected step before the polish gives up (a step 2⁻⁴⁰ of Newton's is below rounding). */
const MAX_HALVINGS = 40;
/** Doublings tried along a direction of negative curvature while the criterion keeps falling. */
const MAX_DOUBLINGS = 12;

/**
 * Whether θ is a minimum as far as second-order information tells: lme4's checks pass (scaled
 * gradient below 0.002, Hessian positive definite over the interior parameters), and no parameter
 * near its lower bound of 0 would lower the criterion by moving off it: neither a gradient pointing
 * into the interior nor negative curvature along it (at θᵢ = 0 the criterion is even in θᵢ, so its
 * gradient vanishes there even when 0 is a maximum along θᵢ: a saddle that lme4's check, which
 * leaves such parameters out, does not see).
 */
export function isStationary(check: ConvergenceCheck, theta: ArrayLike<number>, lower: ArrayLike<number>): boolean {
  if (check.warnings.some((w) => w.code === "CONVERGENCE" || w.code === "HESSIAN")) return false;
  return boundaryIndices(theta, lower).every((i) => !leavesBound(check, i));
}

/** Parameters that lme4 counts as on their bound (a diagonal θ below 1e-4). */
function boundaryIndices(theta: ArrayLike<number>, lower: ArrayLike<number>): number[] {
  const out: number[] = [];
  for (let i = 0; i < theta.length; i++) if (lower[i] === 0 && theta[i] < SINGULAR_TOLERANCE) out.push(i);
  return out;
}

/** Moving parameter i (on its bound) into the interior lowers the criterion, to first or second order. */
function leavesBound(check: ConvergenceCheck, i: number): boolean {
  return check.gradient[i] < -GRADIENT_TOLERANCE || check.hessian[i][i] < 0;
}

/**
 * A safeguarded Newton polish of θ after BOBYQA, for a flat criterion on which BOBYQA stopped
 * early (its trust region shrinks to rhoEnd before the gradient vanishes) or at a saddle on a
 * bound. Each step uses the finite-difference gradient and Hessian of lme4's convergence check:
 * Newton along the Hessian's positive eigenvectors, a move downhill along its negative or null ones,
 * projected onto the bounds, halved until the criterion falls (lengthened while it falls along
 * negative curvature). Only steps that lower the criterion are accepted, so the result is never
 * worse than BOBYQA's. Stops at a point that passes {@link isStationary} or when no step lowers
 * the criterion.
 *
 * @param f - the profiled criterion (receives a buffer it must not keep).
 * @param theta - BOBYQA's θ̂.
 * @param lower - lower bounds of θ (0 for diagonal elements, −∞ otherwise).
 * @param objective - f(θ̂).
 * @param check - lme4's checks at θ̂ (their gradient and Hessian start the polish).
 */
export function polishTheta(f: (theta: Float64Array) => number, theta: ArrayLike<number>, lower: ArrayLike<number>, objective: number, check: ConvergenceCheck): PolishResult {
  const n = theta.length;
  let x = Float64Array.from(theta);
  let fx = objective;
  let current = check;
  let steps = 0;
  let evaluations = 0;
  const trial = new Float64Array(n);
  const project = (from: Float64Array, d: Float64Array, alpha: number) => {
    for (let i = 0; i < n; i++) trial[i] = Math.max(lower[i], from[i] + alpha * d[i]);
    return trial;
  };
  const evaluate = (t: Float64Array) => {
    evaluations++;
    const v = f(t);
    return Number.isFinite(v) ? v : Infinity;
  };
  while (steps < MAX_STEPS && !isStationary(current, x, lower)) {
    const { step, curvedDown } = newtonDirection(current, x, lower);
    let alpha = 1;
    let best = evaluate(project(x, step, alpha));
    while (!(best < fx) && alpha > 2 ** -MAX_HALVINGS) {
      alpha /= 2;
      best = evaluate(project(x, step, alpha));
    }
    if (!(best < fx)) break;
    if (curvedDown && alpha === 1) {
      // Negative curvature gives no step length: go further while the criterion keeps falling.
      for (let k = 0; k < MAX_DOUBLINGS; k++) {
        const v = evaluate(project(x, step, alpha * 2));
        if (!(v < best)) break;
        best = v;
        alpha *= 2;
      }
    }
    x = Float64Array.from(project(x, step, alpha));
    fx = best;
    steps++;
    const before = evaluations;
    current = checkConvergence(f, x, lower, fx);
    evaluations = before + 2 * n * n;
  }
  return { theta: x, objective: fx, steps, evaluations, check: current, stationary: isStationary(current, x, lower) };
}

/**
 * The polish's step at x: over the parameters that may move (all but those resting on a bound
 * where moving off would not help), −Σ (vⱼ·g/λⱼ) vⱼ over the Hessian's eigenpairs with λⱼ clearly
 * positive, plus a move of a tenth of θ's scale downhill along each vⱼ with λⱼ ≤ 0 (towards the
 * interior when the gradient is silent about the sign).
 */
function newtonDirection(check: ConvergenceCheck, x: Float64Array, lower: ArrayLike<number>): { step: Float64Array; curvedDown: boolean } {
  const n = x.length;
  const onBound = new Set(boundaryIndices(x, lower).filter((i) => !leavesBound(check, i)));
  const free = Array.from({ length: n }, (_, i) => i).filter((i) => !onBound.has(i));
  const k = free.length;
  const h = new Float64Array(k * k);
  free.forEach((a, r) => free.forEach((b, c) => (h[r * k + c] = check.hessian[a][b])));
  const { values, vectors } = symmetricEigen(h, k);
  let largest = 0;
  for (let j = 0; j < k; j++) largest = Math.max(largest, Math.abs(values[j]));
  let scale = 0.1;
  for (const i of free) scale = Math.max(scale, Math.abs(x[i]));
  const radius = 0.1 * scale;
  const step = new Float64Array(n);
  let curvedDown = false;
  for (let j = 0; j < k; j++) {
    let vg = 0;
    for (let r = 0; r < k; r++) vg += vectors[r * k + j] * check.gradient[free[r]];
    let coefficient: number;
    if (values[j] > 1e-10 * largest) coefficient = -vg / values[j];
    else {
      curvedDown = true;
      coefficient = radius * (vg !== 0 ? -Math.sign(vg) : inwardSign(vectors, k, j, free, x, lower));
    }
    for (let r = 0; r < k; r++) step[free[r]] += coefficient * vectors[r * k + j];
  }
  return { step, curvedDown };
}

/** +1 or −1: the sign of eigenvector j that moves its largest near-bound component off the bound. */
function inwardSign(vectors: Float64Array, k: number, j: number, free: number[], x: Float64Array, lower: ArrayLike<number>): number {
  let best = 0;
  for (let r = 0; r < k; r++) {
    const i = free[r];
    if (lower[i] === 0 && x[i] < SINGULAR_TOLERANCE && Math.abs(vectors[r * k + j]) > Math.abs(best)) best = vectors[r * k + j];
  }
  return best < 0 ? -1 : 1;
}
