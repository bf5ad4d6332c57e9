import { pnorm, pnormUpper } from "@lmm/core/numerics";
import { normalScores } from "./quantiles.js";

/** A normality test's statistic and p-value. */
export interface NormalityTest {
  statistic: number;
  pValue: number;
}

/**
 * Anderson–Darling test of normality with mean and variance estimated (Stephens' case 3), as
 * nortest's `ad.test`: A² = −n − (1/n) Σ (2i − 1) [log Φ(z₍ᵢ₎) + log(1 − Φ(z₍ₙ₊₁₋ᵢ₎))] on the
 * standardised sorted values, and the p-value of D'Agostino and Stephens (1986, Table 4.9) for
 * A²(1 + 0.75/n + 2.25/n²). Needs n ≥ 8 (else NaN), and independent values: for LMM residuals and
 * conditional modes read it as approximate, or use the simulated p-value of {@link qq}.
 *
 * @example
 * ```ts
 * andersonDarling(Float64Array.of(2.1, -0.3, 0.8, -1.2, 0.1, 1.5, -0.7, 0.4, -2, 0.9)); // { statistic, pValue }
 * ```
 */
export function andersonDarling(values: ArrayLike<number>): NormalityTest {
  const x = Float64Array.from(values).filter(Number.isFinite).sort();
  const n = x.length;
  if (n < 8) return { statistic: NaN, pValue: NaN };
  const mean = x.reduce((s, v) => s + v, 0) / n;
  const sd = Math.sqrt(x.reduce((s, v) => s + (v - mean) ** 2, 0) / (n - 1));
  if (!(sd > 0)) return { statistic: NaN, pValue: NaN };
  let sum = 0;
  for (let i = 0; i < n; i++) {
    const lower = Math.log(pnorm((x[i] - mean) / sd));
    const upper = Math.log(pnormUpper((x[n - 1 - i] - mean) / sd));
    sum += (2 * i + 1) * (lower + upper);
  }
  const statistic = -n - sum / n;
  return { statistic, pValue: andersonDarlingPValue(statistic, n) };
}

/**
 * D'Agostino & Stephens' p-value of the case-3 A² statistic for n values (nortest's piecewise formula).
 *
 * @example
 * ```ts
 * andersonDarlingPValue(0.787, 100); // ≈ 0.04
 * ```
 */
export function andersonDarlingPValue(a2: number, n: number): number {
  const aa = a2 * (1 + 0.75 / n + 2.25 / (n * n));
  if (aa < 0.2) return 1 - Math.exp(-13.436 + 101.14 * aa - 223.73 * aa * aa);
  if (aa < 0.34) return 1 - Math.exp(-8.318 + 42.796 * aa - 59.938 * aa * aa);
  if (aa < 0.6) return Math.exp(0.9177 - 4.279 * aa - 1.38 * aa * aa);
  if (aa < 10) return Math.exp(1.2937 - 5.709 * aa + 0.0186 * aa * aa);
  return 3.7e-24;
}

/**
 * Shapiro–Francia W′: the squared correlation of the sorted values with the normal scores at
 * Blom's points (i − 3/8)/(n + 1/4), the Q-Q plot's own straightness; p-value by Royston's (1993)
 * normal approximation of log(1 − W′) (nortest's `sf.test`, for 5 ≤ n ≤ 5000; NaN outside).
 *
 * @example
 * ```ts
 * shapiroFrancia(Float64Array.of(2.1, -0.3, 0.8, -1.2, 0.1, 1.5, -0.7, 0.4, -2, 0.9)).statistic; // close to 1
 * ```
 */
export function shapiroFrancia(values: ArrayLike<number>): NormalityTest {
  const x = Float64Array.from(values).filter(Number.isFinite).sort();
  const n = x.length;
  if (n < 5) return { statistic: NaN, pValue: NaN };
  const m = normalScores(n, 3 / 8);
  const statistic = correlation(x, m) ** 2;
  if (n > 5000 || !Number.isFinite(statistic)) return { statistic, pValue: NaN };
  const u = Math.log(n), v = Math.log(u);
  const mu = -1.2725 + 1.0521 * (v - u);
  const sigma = 1.0308 - 0.26758 * (v + 2 / u);
  return { statistic, pValue: pnormUpper((Math.log(1 - statistic) - mu) / sigma) };
}

function correlation(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const n = a.length;
  let ma = 0, mb = 0;
  for (let i = 0; i < n; i++) {
    ma += a[i];
    mb += b[i];
  }
  ma /= n;
  mb /= n;
  let sab = 0, saa = 0, sbb = 0;
  for (let i = 0; i < n; i++) {
    sab += (a[i] - ma) * (b[i] - mb);
    saa += (a[i] - ma) ** 2;
    sbb += (b[i] - mb) ** 2;
  }
  return sab / Math.sqrt(saa * sbb);
}
