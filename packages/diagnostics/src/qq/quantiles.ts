import { qnorm } from "@lmm/core/numerics";

/**
 * Probability points for a Q-Q plot of n values, as R's `ppoints`: (i − a) / (n + 1 − 2a) with
 * a = 3/8 for n ≤ 10 and 1/2 otherwise (or the given `a`).
 *
 * @example
 * ```ts
 * ppoints(4); // Float64Array [0.1471, 0.3824, 0.6176, 0.8529]
 * ```
 */
export function ppoints(n: number, a = n <= 10 ? 3 / 8 : 1 / 2): Float64Array {
  return Float64Array.from({ length: n }, (_, i) => (i + 1 - a) / (n + 1 - 2 * a));
}

/**
 * Standard normal quantiles at {@link ppoints}: the theoretical axis of a normal Q-Q plot.
 *
 * @example
 * ```ts
 * normalScores(3); // Float64Array [-0.967, 0, 0.967]
 * ```
 */
export function normalScores(n: number, a?: number): Float64Array {
  return ppoints(n, a).map(qnorm);
}

/**
 * Quantile of sorted values by linear interpolation (R's default, type 7).
 *
 * @example
 * ```ts
 * sortedQuantile(Float64Array.of(1, 2, 3, 4), 0.5); // 2.5
 * ```
 */
export function sortedQuantile(sorted: ArrayLike<number>, p: number): number {
  const n = sorted.length;
  if (n === 0) return NaN;
  const h = (n - 1) * p;
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, n - 1);
  return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
}

/**
 * Indices that sort `x` ascending (NaN last; ties keep their order).
 *
 * @example
 * ```ts
 * sortOrder([3, 1, 2]); // Int32Array [1, 2, 0]
 * ```
 */
export function sortOrder(x: ArrayLike<number>): Int32Array {
  const idx = Array.from({ length: x.length }, (_, i) => i);
  idx.sort((a, b) => {
    const xa = x[a], xb = x[b];
    if (Number.isNaN(xa)) return Number.isNaN(xb) ? a - b : 1;
    if (Number.isNaN(xb)) return -1;
    return xa - xb || a - b;
  });
  return Int32Array.from(idx);
}

/**
 * R's `qqline`: the line through the first and third quartiles (type 7) of sample and theoretical values.
 *
 * @example
 * ```ts
 * quartileLine([-1, 0, 1], [-2, 0, 2]); // { intercept: 0, slope: 2 }
 * ```
 */
export function quartileLine(theoretical: ArrayLike<number>, sample: ArrayLike<number>): { intercept: number; slope: number } {
  const t1 = sortedQuantile(theoretical, 0.25), t3 = sortedQuantile(theoretical, 0.75);
  const s1 = sortedQuantile(sample, 0.25), s3 = sortedQuantile(sample, 0.75);
  const slope = (s3 - s1) / (t3 - t1);
  return { intercept: s1 - slope * t1, slope };
}
