import type { Factor } from "../../batch/columns.js";
import { ConfoundedCovariateError, UnobservedBatchError } from "../../batch/errors.js";
import type { CovariateDesign } from "./design.js";
import { choleskySolve } from "@lmm/core/numerics";
import { cholesky, crossProduct, crossProductVector, type CholeskyResult } from "./normalEquations.js";

/** ComBat's pooled standardisation of each feature (sva's B.hat, grand.mean, var.pooled). */
export interface Standardisation {
  /** Least-squares coefficients: `batch[k][f]` of batch column k, `covariate[c][f]` of covariate column c. */
  batchCoefficients: Float64Array[];
  covariateCoefficients: Float64Array[];
  /** Batch coefficients weighted by batch size (or the reference batch's coefficient). */
  grandMean: Float64Array;
  /** Residual variance: divided by n without missing values, by n − 1 (R's rowVars) with them, as sva does. */
  varPooled: Float64Array;
}

/** Least squares of one feature: the shared factorisation when it is complete, its own over the observed rows otherwise (sva's Beta.NA). */
export function leastSquares(columns: Float64Array[], y: Float64Array, shared: CholeskyResult, observed: Uint8Array | null): { beta: Float64Array } | { failedColumn: number } {
  const p = columns.length;
  const chol = observed ? cholesky(crossProduct(columns, observed), p) : shared;
  if (!chol.ok) return { failedColumn: chol.column };
  return { beta: choleskySolve(chol.factor, p, crossProductVector(columns, y, observed ?? undefined)) };
}

/** Mask of the non-missing values, or null when the column is complete. */
export function observedMask(y: Float64Array): Uint8Array | null {
  let complete = true;
  for (let i = 0; i < y.length; i++) if (Number.isNaN(y[i])) { complete = false; break; }
  return complete ? null : Uint8Array.from(y, (v) => (Number.isNaN(v) ? 0 : 1));
}

/**
 * Fits each feature on [batch columns | covariate columns] and derives the grand mean and pooled variance.
 * `anyMissing` switches every feature to sva's missing-data formulas (sva decides this for the whole matrix).
 */
export function standardise(features: Float64Array[], names: string[], batch: Factor, batchCols: Float64Array[], covariates: CovariateDesign, reference: number | null, anyMissing: boolean): Standardisation {
  const columns = [...batchCols, ...covariates.columns];
  const nBatch = batchCols.length;
  const n = batch.codes.length;
  const shared = cholesky(crossProduct(columns), columns.length);
  const G = features.length;
  const batchCoefficients = batchCols.map(() => new Float64Array(G));
  const covariateCoefficients = covariates.columns.map(() => new Float64Array(G));
  const grandMean = new Float64Array(G);
  const varPooled = new Float64Array(G);
  for (let f = 0; f < G; f++) {
    const y = features[f];
    const observed = anyMissing ? observedMask(y) : null;
    const fit = leastSquares(columns, y, shared, observed);
    if ("failedColumn" in fit) {
      const c = fit.failedColumn;
      if (c < nBatch) throw new UnobservedBatchError(names[f], batch.levels[c]);
      throw new ConfoundedCovariateError(covariates.owners[c - nBatch], covariates.names[c - nBatch], "batch");
    }
    const beta = fit.beta;
    for (let k = 0; k < nBatch; k++) batchCoefficients[k][f] = beta[k];
    for (let c = 0; c < covariates.columns.length; c++) covariateCoefficients[c][f] = beta[nBatch + c];
    if (reference === null) {
      let m = 0;
      for (let k = 0; k < nBatch; k++) m += (batch.counts[k] / n) * beta[k];
      grandMean[f] = m;
    } else {
      grandMean[f] = beta[reference];
    }
    // Residuals over all rows, or the reference batch's rows only.
    const residual = y.slice();
    for (let c = 0; c < columns.length; c++) {
      const col = columns[c], b = beta[c];
      for (let i = 0; i < n; i++) residual[i] -= col[i] * b;
    }
    let count = 0, sum = 0, sumSquares = 0;
    for (let i = 0; i < n; i++) {
      if ((reference !== null && batch.codes[i] !== reference) || Number.isNaN(residual[i])) continue;
      count++;
      sum += residual[i];
      sumSquares += residual[i] * residual[i];
    }
    if (anyMissing) {
      // R's rowVars: centred, over count − 1
      const mean = sum / count;
      let ss = 0;
      for (let i = 0; i < n; i++) if (!((reference !== null && batch.codes[i] !== reference) || Number.isNaN(residual[i]))) ss += (residual[i] - mean) ** 2;
      varPooled[f] = ss / (count - 1);
    } else {
      varPooled[f] = sumSquares / count;
    }
  }
  return { batchCoefficients, covariateCoefficients, grandMean, varPooled };
}

/** R's var(): centred sum of squares over m − 1. */
export function sampleVariance(values: ArrayLike<number>): number {
  const m = values.length;
  let mean = 0;
  for (let i = 0; i < m; i++) mean += values[i];
  mean /= m;
  let ss = 0;
  for (let i = 0; i < m; i++) ss += (values[i] - mean) ** 2;
  return ss / (m - 1);
}

/** The standardisation mean of every row for feature f: grand mean plus the covariate part of the fit (sva's stand.mean). */
export function standardMean(s: Standardisation, covariateCols: Float64Array[], f: number, n: number): Float64Array {
  const m = new Float64Array(n).fill(s.grandMean[f]);
  for (let c = 0; c < covariateCols.length; c++) {
    const col = covariateCols[c], b = s.covariateCoefficients[c][f];
    for (let i = 0; i < n; i++) m[i] += col[i] * b;
  }
  return m;
}

/** Standardised data (sva's s.data): (y − standardisation mean) / √var.pooled, per feature. */
export function standardisedData(features: Float64Array[], s: Standardisation, covariateCols: Float64Array[]): Float64Array[] {
  return features.map((y, f) => {
    const sd = Math.sqrt(s.varPooled[f]);
    const m = standardMean(s, covariateCols, f, y.length);
    for (let i = 0; i < y.length; i++) m[i] = (y[i] - m[i]) / sd;
    return m;
  });
}
