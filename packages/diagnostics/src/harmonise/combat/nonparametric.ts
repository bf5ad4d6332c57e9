import type { BatchSummary } from "./batchSummary.js";
import type { Adjustment } from "./parametric.js";

/**
 * sva's int.eprior: for feature i, γ* and δ² * are averages of the other features' (γ̂_k, δ̂_k) weighted by the
 * normal likelihood of feature i's standardised values in this batch, L_k = Π_j φ(s_ij; γ̂_k, δ̂_k).
 * Computed in log space with the maximum subtracted (the same weights; sva's product underflows to 0/0 for
 * large batches) and with Σ_j (s_ij − γ̂_k)² = ss_i + n_i (mean_i − γ̂_k)², so a batch costs O(G²), not O(G² n).
 */
export function nonparametricAdjustment(summary: BatchSummary, gHat: Float64Array, dHat: Float64Array): Adjustment {
  const G = gHat.length;
  const gammaStar = new Float64Array(G), deltaStar = new Float64Array(G);
  const logLik = new Float64Array(G);
  const logTwoPiD = Float64Array.from(dHat, (d) => Math.log(2 * Math.PI * d));
  for (let i = 0; i < G; i++) {
    const n = summary.n[i], m = summary.mean[i], ss = summary.ss[i];
    let max = -Infinity;
    for (let k = 0; k < G; k++) {
      if (k === i) continue;
      const l = -0.5 * n * logTwoPiD[k] - (ss + n * (m - gHat[k]) ** 2) / (2 * dHat[k]);
      logLik[k] = l;
      if (l > max) max = l;
    }
    let w = 0, wg = 0, wd = 0;
    for (let k = 0; k < G; k++) {
      if (k === i || Number.isNaN(logLik[k])) continue;
      const lk = Math.exp(logLik[k] - max);
      w += lk;
      wg += lk * gHat[k];
      wd += lk * dHat[k];
    }
    gammaStar[i] = wg / w;
    deltaStar[i] = wd / w;
  }
  return { gammaStar, deltaStar, iterations: 0, converged: true };
}
