// Distribution functions used for p-values and quantiles. The special functions come from
// stdlib (ports of Boost/Cephes), which keep full relative precision far into the tails:
// GWAS p-values down to 1e-300 must not collapse to 0 through 1 - cdf.
import betainc from "@stdlib/math-base-special-betainc";
import gammainc from "@stdlib/math-base-special-gammainc";
import erfc from "@stdlib/math-base-special-erfc";
import normalQuantile from "@stdlib/stats-base-dists-normal-quantile";
import tQuantile from "@stdlib/stats-base-dists-t-quantile";
import chisqQuantile from "@stdlib/stats-base-dists-chisquare-quantile";
import fQuantile from "@stdlib/stats-base-dists-f-quantile";

/** Standard normal cumulative distribution P(Z ≤ z). */
export function pnorm(z: number): number {
  return 0.5 * erfc(-z / Math.SQRT2);
}

/** Standard normal upper tail P(Z > z), accurate for large z. */
export function pnormUpper(z: number): number {
  return 0.5 * erfc(z / Math.SQRT2);
}

/** Standard normal quantile. */
export function qnorm(p: number): number {
  return normalQuantile(p, 0, 1);
}

/** Two-sided p-value of a t statistic with `df` degrees of freedom: P(|T| > |t|). */
export function pt2(t: number, df: number): number {
  if (Number.isNaN(t) || !(df > 0)) return NaN;
  if (!Number.isFinite(df)) return 2 * pnormUpper(Math.abs(t));
  return betainc(df / (df + t * t), df / 2, 0.5, true, false);
}

/** Student t cumulative distribution P(T ≤ t). */
export function pt(t: number, df: number): number {
  const tail = 0.5 * pt2(t, df);
  return t < 0 ? tail : 1 - tail;
}

/** Student t quantile. */
export function qt(p: number, df: number): number {
  if (!Number.isFinite(df)) return qnorm(p);
  return tQuantile(p, df);
}

/** Upper tail of the F distribution P(F > f). */
export function pfUpper(f: number, df1: number, df2: number): number {
  if (Number.isNaN(f) || !(df1 > 0) || !(df2 > 0)) return NaN;
  if (f <= 0) return 1;
  if (!Number.isFinite(df2)) return pchisqUpper(f * df1, df1);
  return betainc(df2 / (df2 + df1 * f), df2 / 2, df1 / 2, true, false);
}

/** F quantile. */
export function qf(p: number, df1: number, df2: number): number {
  return fQuantile(p, df1, df2);
}

/** Upper tail of the chi-square distribution P(X > x). */
export function pchisqUpper(x: number, df: number): number {
  if (Number.isNaN(x) || !(df > 0)) return NaN;
  if (x <= 0) return 1;
  return gammainc(x / 2, df / 2, true, true);
}

/** Chi-square quantile. */
export function qchisq(p: number, df: number): number {
  return chisqQuantile(p, df);
}
