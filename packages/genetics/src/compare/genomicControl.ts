import { qchisq, qnorm } from "@lmm/core/numerics";

/**
 * Genomic-control inflation factor λGC = median(χ²₁ of each p-value) / qchisq(0.5, 1) (= 0.4549…), over the
 * finite p-values (median as R's: mean of the two middle values for an even count). The 1-df χ² quantile of
 * an upper-tail p is computed as qnorm(p/2)², which equals qchisq(1 − p, 1) and stays exact in the far tail.
 *
 * @example
 * ```ts
 * genomicControl(Float64Array.of(0.5, 0.5, 0.5)); // 1
 * ```
 */
export function genomicControl(p: ArrayLike<number>): number {
  const chi: number[] = [];
  for (let i = 0; i < p.length; i++) {
    const v = p[i];
    if (v >= 0 && v <= 1) {
      const z = qnorm(v / 2);
      chi.push(z * z);
    }
  }
  if (chi.length === 0) return NaN;
  chi.sort((a, b) => a - b);
  const m = chi.length >> 1;
  const median = chi.length % 2 ? chi[m] : 0.5 * (chi[m - 1] + chi[m]);
  return median / qchisq(0.5, 1);
}

/**
 * Number of p-values below `threshold`.
 *
 * @example
 * ```ts
 * countHits(Float64Array.of(1e-9, 0.2), 5e-8); // 1
 * ```
 */
export function countHits(p: ArrayLike<number>, threshold: number): number {
  let k = 0;
  for (let i = 0; i < p.length; i++) if (p[i] < threshold) k++;
  return k;
}
