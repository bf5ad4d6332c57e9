import { inverseQuadraticForm } from "@lmm/core/numerics";

/**
 * Cook's distance of one deleted cluster exactly as lme4 1.1-31's `cooks.distance(influence(m,
 * groups = g))`: dfbeta' V⁻¹ dfbeta · (n − p) / (n p), with V the full fit's Var(β̂), p the number
 * of fixed effects and n the number of deleted clusters (not observations).
 *
 * @example
 * ```ts
 * lme4CooksDistance(Float64Array.of(0.5), Float64Array.of(0.25), 18); // (0.25 / 0.25) · 17 / 18
 * ```
 */
export function lme4CooksDistance(dfbeta: Float64Array, vcov: Float64Array, nClusters: number): number {
  const p = dfbeta.length;
  return (inverseQuadraticForm(vcov, p, dfbeta) * (nClusters - p)) / (nClusters * p);
}

/**
 * DFBETAS exactly as lme4's `dfbetas(influence(m, groups = g))`: each dfbeta (deleted minus full)
 * divided by the standard error of that coefficient in the fit without the cluster.
 *
 * @example
 * ```ts
 * lme4Dfbetas(Float64Array.of(1, -2), Float64Array.of(0.5, 4)); // Float64Array [2, -0.5]
 * ```
 */
export function lme4Dfbetas(dfbeta: Float64Array, seWithout: Float64Array): Float64Array {
  return dfbeta.map((d, j) => d / seWithout[j]);
}
