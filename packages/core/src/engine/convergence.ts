import { backSolveTransposed } from "../numerics/dense/cholesky.js";
import { choleskyInPlaceFast } from "./linalg/cholesky.js";
import { finiteDifferenceDerivatives } from "../optim/derivatives.js";
import type { FitWarning } from "./design.js";

/** lme4's tolerance for the scaled gradient at the optimum (`check.conv.grad`). */
export const GRADIENT_TOLERANCE = 2e-3;
/** lme4's tolerance for a diagonal θ element to count as zero (`isSingular`). */
export const SINGULAR_TOLERANCE = 1e-4;

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
 * lme4's convergence checks at θ̂: the gradient scaled by the Hessian's Cholesky factor must be below
 * 0.002, and the Hessian positive definite. Parameters on their lower bound are left out (their
 * gradient may be positive there at a true optimum).
 */
export function checkConvergence(f: (x: Float64Array) => number, theta: ArrayLike<number>, lower: ArrayLike<number>, fx: number): ConvergenceCheck {
  // Central differences at θ̂ with lme4's step and, as lme4, no bounds: the criterion is even in
  // the sign of a diagonal θ, so stepping below 0 is harmless.
  const d = finiteDifferenceDerivatives(f, theta, { fx });
  const n = theta.length;
  const gradient = Array.from(d.gradient);
  const hessian = Array.from({ length: n }, (_, r) => Array.from(d.hessian.subarray(r * n, (r + 1) * n)));
  const interior = Array.from({ length: theta.length }, (_, i) => i).filter((i) => !(lower[i] === 0 && theta[i] < SINGULAR_TOLERANCE));
  const k = interior.length;
  const h = new Float64Array(k * k);
  const g = new Float64Array(k);
  interior.forEach((a, r) => {
    g[r] = gradient[a];
    interior.forEach((b, c) => (h[r * k + c] = hessian[a][b]));
  });
  const warnings: FitWarning[] = [];
  const positive = k === 0 || choleskyInPlaceFast(h, k);
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
