import type { BatchSummary } from "./batchSummary.js";
import { postMean, postVar } from "./estimates.js";

/** Empirical-Bayes estimates of one batch. */
export interface Adjustment {
  gammaStar: Float64Array;
  deltaStar: Float64Array;
  /** Iterations used (parametric, not mean-only); 0 otherwise. */
  iterations: number;
  converged: boolean;
}

/**
 * sva's it.sol: alternate γ* = postmean(γ̂, γ̄, n, δ*, τ²) and δ* = postvar(Σ(s − γ*)², n, a, b) until
 * max(|Δγ|/γ_old, |Δδ|/δ_old) ≤ tolerance. The criterion is sva's to the letter, signed denominators
 * included (a negative γ never holds the loop up), so with sva's tolerance 1e-4 the same iterate is returned.
 */
export function parametricAdjustment(summary: BatchSummary, gHat: Float64Array, dHat: Float64Array, gBar: number, t2: number, a: number, b: number, tolerance: number, maxIterations: number): Adjustment {
  const G = gHat.length;
  let gOld = Float64Array.from(gHat), dOld = Float64Array.from(dHat);
  const gNew = new Float64Array(G), dNew = new Float64Array(G);
  let change = 1, iterations = 0;
  while (change > tolerance && iterations < maxIterations) {
    change = -Infinity;
    for (let f = 0; f < G; f++) {
      const n = summary.n[f];
      gNew[f] = postMean(gHat[f], gBar, n, dOld[f], t2);
      const sum2 = summary.ss[f] + n * (summary.mean[f] - gNew[f]) ** 2;
      dNew[f] = postVar(sum2, n, a, b);
      const cg = Math.abs(gNew[f] - gOld[f]) / gOld[f];
      const cd = Math.abs(dNew[f] - dOld[f]) / dOld[f];
      if (cg > change) change = cg;
      if (cd > change) change = cd;
    }
    gOld = Float64Array.from(gNew);
    dOld = Float64Array.from(dNew);
    iterations++;
  }
  return { gammaStar: gOld, deltaStar: dOld, iterations, converged: !(change > tolerance) };
}

/** sva's mean-only parametric step: γ* = postmean(γ̂, γ̄, 1, 1, τ²) (its n = 1, δ = 1 included), δ* = 1. */
export function meanOnlyParametric(gHat: Float64Array, gBar: number, t2: number): Adjustment {
  return {
    gammaStar: Float64Array.from(gHat, (g) => postMean(g, gBar, 1, 1, t2)),
    deltaStar: new Float64Array(gHat.length).fill(1),
    iterations: 0,
    converged: true,
  };
}
