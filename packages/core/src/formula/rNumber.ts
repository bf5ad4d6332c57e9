/**
 * A number as R's `deparse` and `print` write it (15 significant digits, fixed or scientific
 * notation, whichever is narrower, fixed on a tie): `2`, `0.5`, `1000`, `1e+05`, `1e-04`, `0.001`.
 * Term labels and coefficient names carry numbers this way (`I(x/1e+06)`, `ns(x, knots = c(1, 2.5))`).
 *
 * @example
 * ```ts
 * rNumber(100000); // "1e+05"
 * ```
 */
export function rNumber(x: number): string {
  if (Number.isNaN(x)) return "NaN";
  if (!Number.isFinite(x)) return x > 0 ? "Inf" : "-Inf";
  if (x === 0) return "0";
  const sign = x < 0 ? "-" : "";
  const a = Number(Math.abs(x).toPrecision(15));
  let digits = 15;
  for (let s = 1; s < 15; s++) {
    if (Number(a.toPrecision(s)) === a) {
      digits = s;
      break;
    }
  }
  const exponent = Number(a.toExponential(digits - 1).split("e")[1]);
  const decimals = Math.max(0, digits - exponent - 1);
  const fixedWidth = (exponent >= 0 ? exponent + 1 : 1) + (decimals > 0 ? decimals + 1 : 0);
  const sciWidth = (digits > 1 ? digits + 1 : 1) + (Math.abs(exponent) >= 100 ? 5 : 4);
  if (fixedWidth <= sciWidth && decimals <= 100) return sign + a.toFixed(decimals);
  const [mantissa] = a.toExponential(digits - 1).split("e");
  return `${sign}${mantissa}e${exponent < 0 ? "-" : "+"}${String(Math.abs(exponent)).padStart(2, "0")}`;
}
