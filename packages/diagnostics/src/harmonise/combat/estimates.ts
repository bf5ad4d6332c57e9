import type { Factor } from "../../batch/columns.js";
import { UnobservedBatchError } from "../../batch/errors.js";
import { cholesky, crossProduct } from "./normalEquations.js";
import { leastSquares, observedMask, sampleVariance } from "./standardise.js";

/** Per-batch location and scale of the standardised data: `gammaHat[b][f]`, `deltaHat[b][f]` (sva's gamma.hat, delta.hat). */
export interface LocationScale {
  gammaHat: Float64Array[];
  deltaHat: Float64Array[];
}

/** Hyperparameters of the empirical-Bayes priors, one per batch (sva's gamma.bar, t2, a.prior, b.prior). */
export interface Priors {
  gammaBar: Float64Array;
  t2: Float64Array;
  aPrior: Float64Array;
  bPrior: Float64Array;
}

/**
 * Least-squares batch locations of the standardised data on sva's batch design (batch means, or with a
 * reference batch its mean and the others' differences from it) and within-batch sample variances (1 when
 * `meanOnly`).
 */
export function locationScale(sData: Float64Array[], names: string[], batch: Factor, batchCols: Float64Array[], anyMissing: boolean, meanOnly: boolean): LocationScale {
  const nBatch = batchCols.length;
  const G = sData.length;
  const shared = cholesky(crossProduct(batchCols), nBatch);
  const gammaHat = batchCols.map(() => new Float64Array(G));
  const deltaHat = batchCols.map(() => new Float64Array(G).fill(1));
  const rowsOf = batch.levels.map((_, k) => [] as number[]);
  batch.codes.forEach((k, i) => rowsOf[k].push(i));
  for (let f = 0; f < G; f++) {
    const s = sData[f];
    const fit = leastSquares(batchCols, s, shared, anyMissing ? observedMask(s) : null);
    if ("failedColumn" in fit) throw new UnobservedBatchError(names[f], batch.levels[fit.failedColumn]);
    for (let k = 0; k < nBatch; k++) gammaHat[k][f] = fit.beta[k];
    if (meanOnly) continue;
    for (let k = 0; k < nBatch; k++) {
      // R's rowVars over the batch's observed values
      let count = 0, sum = 0;
      for (const i of rowsOf[k]) if (!Number.isNaN(s[i])) { count++; sum += s[i]; }
      if (count < 2) throw new UnobservedBatchError(names[f], batch.levels[k], "fewer than 2 observed values");
      const mean = sum / count;
      let ss = 0;
      for (const i of rowsOf[k]) if (!Number.isNaN(s[i])) ss += (s[i] - mean) ** 2;
      deltaHat[k][f] = ss / (count - 1);
    }
  }
  return { gammaHat, deltaHat };
}

/** Method-of-moments hyperparameters across features: normal prior for γ, inverse-gamma prior for δ². */
export function priors(ls: LocationScale): Priors {
  const nBatch = ls.gammaHat.length;
  const out: Priors = { gammaBar: new Float64Array(nBatch), t2: new Float64Array(nBatch), aPrior: new Float64Array(nBatch), bPrior: new Float64Array(nBatch) };
  for (let k = 0; k < nBatch; k++) {
    out.gammaBar[k] = mean(ls.gammaHat[k]);
    out.t2[k] = sampleVariance(ls.gammaHat[k]);
    out.aPrior[k] = aPrior(ls.deltaHat[k]);
    out.bPrior[k] = bPrior(ls.deltaHat[k]);
  }
  return out;
}

function mean(values: Float64Array): number {
  let s = 0;
  for (const v of values) s += v;
  return s / values.length;
}

/** Shape of the inverse-gamma prior by moments: (2 s² + m²) / s² (sva's aprior). */
export function aPrior(deltaHat: Float64Array): number {
  const m = mean(deltaHat), s2 = sampleVariance(deltaHat);
  return (2 * s2 + m * m) / s2;
}

/** Scale of the inverse-gamma prior by moments: (m s² + m³) / s² (sva's bprior). */
export function bPrior(deltaHat: Float64Array): number {
  const m = mean(deltaHat), s2 = sampleVariance(deltaHat);
  return (m * s2 + m * m * m) / s2;
}

/** Posterior mean of γ given δ² (sva's postmean). */
export function postMean(gHat: number, gBar: number, n: number, dStar: number, t2: number): number {
  return (t2 * n * gHat + dStar * gBar) / (t2 * n + dStar);
}

/** Posterior mode-type update of δ² given the squared deviations from γ (sva's postvar). */
export function postVar(sum2: number, n: number, a: number, b: number): number {
  return (0.5 * sum2 + b) / (n / 2 + a - 1);
}
