import { backSolveTransposed, choleskyInPlace } from "../linalg/cholesky.js";
import type { FitWarning } from "./design.js";

/** lme4's tolerance for the scaled gradient at the optimum (`check.conv.grad`). */
export const GRADIENT_TOLERANCE = 2e-3;
/** lme4's tolerance for a diagonal θ element to count as zero (`isSingular`). */
export const SINGULAR_TOLERANCE = 1e-4;
/** lme4's finite-difference step (`deriv12`, delta = 1e-4). */
const DELTA = 1e-4;

/** What the post-fit checks found, as lme4's `checkConv` reports it. */
export interface ConvergenceCheck {
  /** Whether the derivative checks ran (by default only below 10,000 observations, as lme4). */
  checked: boolean;
  /** Gradient of the criterion at θ̂ (finite differences). */
  gradient: number[];
  /** Hessian of the criterion at θ̂, row-major. */
  hessian: number[][];
  /** max |H⁻¹ᐟ² g| over the interior parameters (or max |g| where H is not positive definite). */
  maxScaledGradient: number;
  hessianPositiveDefinite: boolean;
  warnings: FitWarning[];
}

/**
 * Gradient and Hessian of `f` at `x` by central differences with step 1e-4 (lme4's `deriv12`);
 * at a lower bound the differences are one-sided.
 */
export function deriv12(f: (x: Float64Array) => number, x: ArrayLike<number>, lower: ArrayLike<number>, fx = f(Float64Array.from(x))): { gradient: number[]; hessian: number[][] } {
  const n = x.length;
  const base = Float64Array.from(x);
  const at = (steps: [number, number][]) => {
    const p = Float64Array.from(base);
    for (const [i, s] of steps) p[i] += s;
    return f(p);
  };
  // A parameter within one step of its lower bound is differenced forward only.
  const shift = Array.from({ length: n }, (_, i) => (base[i] - DELTA < lower[i] ? DELTA : 0));
  const gradient = new Array<number>(n);
  const hessian = Array.from({ length: n }, () => new Array<number>(n).fill(0));
  for (let i = 0; i < n; i++) {
    const c = shift[i];
    const fp = at([[i, c + DELTA]]), fm = at([[i, c - DELTA]]), f0 = c === 0 ? fx : at([[i, c]]);
    gradient[i] = (fp - fm) / (2 * DELTA);
    hessian[i][i] = (fp - 2 * f0 + fm) / (DELTA * DELTA);
    for (let j = 0; j < i; j++) {
      const d = shift[j];
      const faa = at([[i, c + DELTA], [j, d + DELTA]]), fas = at([[i, c + DELTA], [j, d - DELTA]]);
      const fsa = at([[i, c - DELTA], [j, d + DELTA]]), fss = at([[i, c - DELTA], [j, d - DELTA]]);
      hessian[i][j] = hessian[j][i] = (faa - fas - fsa + fss) / (4 * DELTA * DELTA);
    }
  }
  return { gradient, hessian };
}

/**
 * lme4's convergence checks at θ̂: the gradient scaled by the Hessian's Cholesky factor must be below
 * 0.002, and the Hessian positive definite. Parameters on their lower bound are left out (their
 * gradient may be positive there at a true optimum).
 */
export function checkConvergence(f: (x: Float64Array) => number, theta: ArrayLike<number>, lower: ArrayLike<number>, fx: number): ConvergenceCheck {
  const { gradient, hessian } = deriv12(f, theta, lower, fx);
  const interior = Array.from({ length: theta.length }, (_, i) => i).filter((i) => !(lower[i] === 0 && theta[i] < SINGULAR_TOLERANCE));
  const k = interior.length;
  const h = new Float64Array(k * k);
  const g = new Float64Array(k);
  interior.forEach((a, r) => {
    g[r] = gradient[a];
    interior.forEach((b, c) => (h[r * k + c] = hessian[a][b]));
  });
  const warnings: FitWarning[] = [];
  const positive = k === 0 || choleskyInPlace(h, k);
  let maxScaled = 0;
  if (positive) {
    backSolveTransposed(h, k, k, 0, g); // lme4: solve(chol(H), g) with the upper factor
    for (let i = 0; i < k; i++) maxScaled = Math.max(maxScaled, Math.abs(g[i]));
  } else {
    for (let i = 0; i < k; i++) maxScaled = Math.max(maxScaled, Math.abs(g[i]));
    warnings.push({ code: "HESSIAN", message: "Model failed to converge: the Hessian of the criterion is not positive definite at the optimum" });
  }
  if (maxScaled > GRADIENT_TOLERANCE) {
    warnings.push({ code: "CONVERGENCE", message: `Model failed to converge with max|grad| = ${maxScaled.toPrecision(6)} (tol = ${GRADIENT_TOLERANCE}, component 1)` });
  }
  return { checked: true, gradient, hessian, maxScaledGradient: maxScaled, hessianPositiveDefinite: positive, warnings };
}
