import { BasisError } from "../../errors/data.js";

/** What `poly(x, d)` learns from the data (R's `attr(, "coefs")`): the recurrence's α and ‖·‖². */
export interface PolyCoefs {
  /** α₁ … α_d. */
  alpha: number[];
  /** R's norm2: 1, then ‖Z₀‖² … ‖Z_d‖² (d + 2 numbers). */
  norm2: number[];
}

/**
 * Learns R's orthogonal polynomials of degree d on the sorted values `x` (sorted, so the sums do
 * not depend on the order of the rows): the three-term recurrence Z₀ = 1,
 * Z_{j+1} = (x − α_{j+1}) Z_j − (‖Z_j‖² / ‖Z_{j−1}‖²) Z_{j−1}, whose α and ‖·‖² are the numbers R's
 * `poly()` reads off its QR decomposition (the same polynomials: Gram–Schmidt of 1, x, x², …).
 */
export function learnPoly(sorted: Float64Array, degree: number, label: string): PolyCoefs {
  const n = sorted.length;
  let distinct = n > 0 ? 1 : 0;
  for (let i = 1; i < n; i++) if (sorted[i] !== sorted[i - 1]) distinct++;
  if (degree >= distinct) throw new BasisError(label, `degree ${degree} needs at least ${degree + 1} distinct values; the data have ${distinct}`);
  let mean = 0;
  for (let i = 0; i < n; i++) mean += sorted[i];
  mean /= n;
  const xc = sorted.map((v) => v - mean);
  const alpha: number[] = [];
  const norm2: number[] = [1, n];
  let prev = new Float64Array(n); // Z_{j−1}
  let cur = new Float64Array(n).fill(1); // Z_j
  for (let j = 0; j < degree; j++) {
    let s = 0;
    for (let i = 0; i < n; i++) s += xc[i] * cur[i] * cur[i];
    const a = s / norm2[j + 1];
    const ratio = norm2[j + 1] / norm2[j];
    const next = new Float64Array(n);
    for (let i = 0; i < n; i++) next[i] = (xc[i] - a) * cur[i] - (j > 0 ? ratio * prev[i] : 0);
    let ss = 0;
    for (let i = 0; i < n; i++) ss += next[i] * next[i];
    alpha.push(a + mean);
    norm2.push(ss);
    prev = cur;
    cur = next;
  }
  return { alpha, norm2 };
}

/** The d columns of `poly(x, d)` at x (NaN stays NaN), from learned coefficients as R's `predict`. */
export function polyColumns(x: Float64Array, coefs: PolyCoefs): Float64Array[] {
  const { alpha, norm2 } = coefs;
  const degree = alpha.length, n = x.length;
  const out: Float64Array[] = [];
  let prev = new Float64Array(n).fill(1);
  let cur = Float64Array.from(x, (v) => v - alpha[0]);
  for (let j = 1; j <= degree; j++) {
    if (j > 1) {
      const next = new Float64Array(n);
      const ratio = norm2[j] / norm2[j - 1];
      for (let i = 0; i < n; i++) next[i] = (x[i] - alpha[j - 1]) * cur[i] - ratio * prev[i];
      prev = cur;
      cur = next;
    }
    const scale = Math.sqrt(norm2[j + 1]);
    out.push(cur.map((v) => v / scale));
  }
  return out;
}

/** `poly(x, d, raw = TRUE)`: x, x², …, x^d. */
export function rawPolyColumns(x: Float64Array, degree: number): Float64Array[] {
  const out: Float64Array[] = [];
  for (let j = 1; j <= degree; j++) out.push(x.map((v) => (j === 1 ? v : j === 2 ? v * v : Math.pow(v, j))));
  return out;
}
