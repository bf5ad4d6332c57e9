/**
 * Formats a number like C's `printf("%.{p}g")` (what C++ streams print by default with `precision(p)`),
 * the format of GEMMA's matrix files: `p` significant digits, trailing zeros dropped, exponent form
 * below 1e-4 or from 10^p.
 *
 * @example
 * ```ts
 * formatG(4.60817e-5, 10); // "4.60817e-05"
 * formatG(0.0307825817, 10); // "0.0307825817"
 * ```
 */
export function formatG(x: number, p = 10): string {
  if (x === 0) return Object.is(x, -0) ? "-0" : "0";
  if (!Number.isFinite(x)) return Number.isNaN(x) ? "nan" : x > 0 ? "inf" : "-inf";
  const e = x.toExponential(p - 1);
  const cut = e.indexOf("e");
  const exp = Number(e.slice(cut + 1));
  if (exp < -4 || exp >= p) {
    const mant = stripZeros(e.slice(0, cut));
    const a = Math.abs(exp);
    return `${mant}e${exp < 0 ? "-" : "+"}${a < 10 ? "0" : ""}${a}`;
  }
  return stripZeros(x.toFixed(p - 1 - exp));
}

/**
 * Formats like C's `%.{p}e` with a two-digit exponent (GEMMA's `.assoc.txt` uses `scientific` with precision 6).
 *
 * @example
 * ```ts
 * formatE(0.00123, 6); // "1.230000e-03"
 * ```
 */
export function formatE(x: number, p = 6): string {
  if (!Number.isFinite(x)) return Number.isNaN(x) ? "nan" : x > 0 ? "inf" : "-inf";
  const e = x.toExponential(p);
  const cut = e.indexOf("e");
  const exp = Number(e.slice(cut + 1));
  const a = Math.abs(exp);
  return `${e.slice(0, cut)}e${exp < 0 ? "-" : "+"}${a < 10 ? "0" : ""}${a}`;
}

function stripZeros(s: string): string {
  if (s.indexOf(".") < 0) return s;
  let end = s.length;
  while (s.charCodeAt(end - 1) === 48) end--;
  if (s.charCodeAt(end - 1) === 46) end--;
  return s.slice(0, end);
}
