/** Prediction accuracy over a set of rows. */
export interface PredictionMetrics {
  /** Rows with an observed value and a prediction. */
  n: number;
  rmse: number;
  mae: number;
  /** 1 − SSE / SST with SST around the rows' own mean (NaN with fewer than 2 rows or no spread). */
  r2: number;
  /** Mean of observed − predicted. */
  bias: number;
}

/**
 * RMSE, MAE, R² and bias of predictions against observed values, over the pairs where both are finite.
 *
 * @example
 * ```ts
 * predictionMetrics([1, 2, 3], [1, 2, 4]); // { n: 3, rmse: 0.577, mae: 0.333, r2: 0.5, bias: -0.333 }
 * ```
 */
export function predictionMetrics(observed: ArrayLike<number>, predicted: ArrayLike<number>): PredictionMetrics {
  let n = 0, sse = 0, sae = 0, sum = 0, sumErr = 0;
  for (let i = 0; i < observed.length; i++) {
    const e = observed[i] - predicted[i];
    if (!Number.isFinite(e)) continue;
    n++;
    sse += e * e;
    sae += Math.abs(e);
    sum += observed[i];
    sumErr += e;
  }
  if (n === 0) return { n, rmse: NaN, mae: NaN, r2: NaN, bias: NaN };
  const mean = sum / n;
  let sst = 0;
  for (let i = 0; i < observed.length; i++) if (Number.isFinite(observed[i] - predicted[i])) sst += (observed[i] - mean) ** 2;
  return { n, rmse: Math.sqrt(sse / n), mae: sae / n, r2: n > 1 && sst > 0 ? 1 - sse / sst : NaN, bias: sumErr / n };
}
