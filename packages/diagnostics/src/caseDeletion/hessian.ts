import { choleskyFactor } from "@lmm/core/numerics";

/** Finite-difference step for θ_i: relative to its size, never below a floor for θ near 0. */
export function thetaStep(theta: number): number {
  return 1e-4 * (Math.abs(theta) + 0.1);
}

/**
 * Central finite-difference Hessian (row-major) of a criterion at θ, or null when it cannot serve
 * as a Newton metric: a step would leave the bounds (θ at or near a lower bound, e.g. a singular
 * fit), or the result is not positive definite. 2n² + 1 evaluations.
 */
export function criterionHessian(f: (theta: Float64Array) => number, theta: Float64Array, lower: ArrayLike<number>): Float64Array | null {
  const n = theta.length;
  for (let i = 0; i < n; i++) if (theta[i] - 2 * thetaStep(theta[i]) <= lower[i]) return null;
  const f0 = f(theta);
  const point = new Float64Array(n);
  const at = (i: number, si: number, j: number, sj: number) => {
    point.set(theta);
    point[i] += si * thetaStep(theta[i]);
    if (j >= 0) point[j] += sj * thetaStep(theta[j]);
    return f(point);
  };
  const H = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    const hi = thetaStep(theta[i]);
    H[i * n + i] = (at(i, 1, -1, 0) - 2 * f0 + at(i, -1, -1, 0)) / (hi * hi);
    for (let j = 0; j < i; j++) {
      const hj = thetaStep(theta[j]);
      H[i * n + j] = H[j * n + i] = (at(i, 1, j, 1) - at(i, 1, j, -1) - at(i, -1, j, 1) + at(i, -1, j, -1)) / (4 * hi * hj);
    }
  }
  if (!H.every(Number.isFinite) || !choleskyFactor(H, n)) return null;
  return H;
}
