// Intervals from a sample of bootstrap replicates.
import { qnorm } from "../numerics/distributions.js";

/**
 * The percentile interval as the boot package computes it (`boot.ci(type = "perc")`, which
 * lme4's `confint(method = "boot")` calls): order statistics at (R + 1)·α, interpolated on the
 * normal-quantile scale between neighbours (`norm.inter`). Non-finite replicates are left out.
 */
export function percentileInterval(sample: ArrayLike<number>, level: number): [number, number] {
  const t = finiteSorted(sample);
  const R = t.length;
  if (R === 0) return [NaN, NaN];
  const alpha = [(1 - level) / 2, (1 + level) / 2];
  return alpha.map((a) => {
    const rk = (R + 1) * a;
    const k = Math.trunc(rk);
    if (k === rk) return t[Math.min(Math.max(k, 1), R) - 1];
    if (k <= 0) return t[0];
    if (k >= R) return t[R - 1];
    const z = qnorm(a), zk = qnorm(k / (R + 1)), zk1 = qnorm((k + 1) / (R + 1));
    return t[k - 1] + ((z - zk) / (zk1 - zk)) * (t[k] - t[k - 1]);
  }) as [number, number];
}

/**
 * The shortest interval between two replicates that contains ⌈level·R⌉ of the R finite
 * replicates (the empirical highest-density interval of a unimodal distribution).
 */
export function shortestInterval(sample: ArrayLike<number>, level: number): [number, number] {
  const t = finiteSorted(sample);
  const R = t.length;
  if (R === 0) return [NaN, NaN];
  const m = Math.min(R, Math.max(1, Math.ceil(level * R)));
  let best = 0;
  for (let i = 1; i + m - 1 < R; i++) if (t[i + m - 1] - t[i] < t[best + m - 1] - t[best]) best = i;
  return [t[best], t[best + m - 1]];
}

function finiteSorted(sample: ArrayLike<number>): Float64Array {
  return Float64Array.from(Array.from(sample).filter(Number.isFinite)).sort();
}
