import { pfUpper } from "@lmm/core/numerics";

/** One-way analysis of variance of a numeric variable on a grouping. */
export interface OneWayAnova {
  /** Share of the variable's variance explained by the groups: between-group SS / total SS. */
  r2: number;
  /** F statistic (between mean square / within mean square). */
  f: number;
  df1: number;
  df2: number;
  /** Upper-tail F probability. */
  pValue: number;
}

/**
 * One-way ANOVA of `values` on group codes `0..nGroups-1` (groups without rows are ignored).
 *
 * @example
 * ```ts
 * oneWayAnova(Float64Array.of(1, 2, 5, 6), Int32Array.of(0, 0, 1, 1), 2).r2; // 16 / 17
 * ```
 */
export function oneWayAnova(values: ArrayLike<number>, codes: ArrayLike<number>, nGroups: number): OneWayAnova {
  const n = values.length;
  const sums = new Float64Array(nGroups);
  const counts = new Float64Array(nGroups);
  let total = 0;
  for (let i = 0; i < n; i++) {
    sums[codes[i]] += values[i];
    counts[codes[i]]++;
    total += values[i];
  }
  const mean = total / n;
  let ssTotal = 0;
  for (let i = 0; i < n; i++) ssTotal += (values[i] - mean) ** 2;
  let ssBetween = 0;
  let groups = 0;
  for (let k = 0; k < nGroups; k++) {
    if (counts[k] === 0) continue;
    groups++;
    ssBetween += counts[k] * (sums[k] / counts[k] - mean) ** 2;
  }
  const df1 = groups - 1;
  const df2 = n - groups;
  const ssWithin = Math.max(ssTotal - ssBetween, 0);
  const r2 = ssTotal > 0 ? ssBetween / ssTotal : 0;
  const f = df1 > 0 && df2 > 0 ? ssBetween / df1 / (ssWithin / df2) : NaN;
  return { r2, f, df1, df2, pValue: Number.isFinite(f) ? pfUpper(f, df1, df2) : f === Infinity ? 0 : NaN };
}
