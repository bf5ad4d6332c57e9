// Small dense symmetric positive-definite algebra (row-major), shared by the fitter, inference and
// diagnostics: factor, solve, invert.
import { backSolveTransposed, choleskyInPlace, forwardSolve } from "./cholesky.js";

/**
 * The lower Cholesky factor of a symmetric positive-definite k × k matrix (lower triangle read), as a
 * new array, or null when a pivot is not positive.
 *
 * @example
 * ```ts
 * choleskyFactor(Float64Array.of(4, 2, 2, 3), 2); // Float64Array [2, 2, 1, 1.414…] (upper part is scratch)
 * ```
 */
export function choleskyFactor(a: ArrayLike<number>, k: number): Float64Array | null {
  const l = Float64Array.from(a);
  if (!choleskyInPlace(l, k)) return null;
  for (let r = 0; r < k; r++) l.fill(0, r * k + r + 1, (r + 1) * k);
  return l;
}

/**
 * Solves (L L') x = b for a lower factor L (row-major k × k); returns a new array.
 *
 * @example
 * ```ts
 * choleskySolve(choleskyFactor(Float64Array.of(4, 2, 2, 3), 2)!, 2, [6, 5]); // [1, 1]
 * ```
 */
export function choleskySolve(l: Float64Array, k: number, b: ArrayLike<number>): Float64Array {
  const x = Float64Array.from(b);
  forwardSolve(l, k, k, 0, x);
  backSolveTransposed(l, k, k, 0, x);
  return x;
}

/**
 * The quadratic form x' A⁻¹ x for a symmetric positive-definite A (row-major k × k); NaN when A is
 * not positive definite or x has a non-finite entry.
 *
 * @example
 * ```ts
 * inverseQuadraticForm(Float64Array.of(4, 0, 0, 1), 2, [2, 1]); // 2
 * ```
 */
export function inverseQuadraticForm(A: ArrayLike<number>, k: number, x: ArrayLike<number>): number {
  const L = choleskyFactor(A, k);
  if (!L) return NaN;
  const y = Float64Array.from(x);
  let s = 0;
  for (let r = 0; r < k; r++) {
    let v = y[r];
    for (let t = 0; t < r; t++) v -= L[r * k + t] * y[t];
    y[r] = v / L[r * k + r];
    s += y[r] * y[r];
  }
  return s;
}

/**
 * (L L')⁻¹ from a lower factor L stored with a row stride (the leading k × k part), row-major k × k.
 *
 * @example
 * ```ts
 * inverseFromFactor(Float64Array.of(2, 0, 1, 1), 2, 2); // the inverse of [[4, 2], [2, 2]]
 * ```
 */
export function inverseFromFactor(l: Float64Array, k: number, stride = k): Float64Array {
  // li = L⁻¹ (lower), column by column; then (L L')⁻¹ = li' li.
  const li = new Float64Array(k * k);
  for (let c = 0; c < k; c++) {
    for (let r = c; r < k; r++) {
      let s = r === c ? 1 : 0;
      for (let t = c; t < r; t++) s -= l[r * stride + t] * li[t * k + c];
      li[r * k + c] = s / l[r * stride + r];
    }
  }
  const out = new Float64Array(k * k);
  for (let i = 0; i < k; i++) {
    for (let j = 0; j <= i; j++) {
      let s = 0;
      for (let t = i; t < k; t++) s += li[t * k + i] * li[t * k + j];
      out[i * k + j] = out[j * k + i] = s;
    }
  }
  return out;
}

/**
 * Inverse of a symmetric positive-definite k × k matrix, or null if it is not positive definite.
 *
 * @example
 * ```ts
 * inverseSPD(Float64Array.of(4, 2, 2, 2), 2); // [0.5, -0.5, -0.5, 1]
 * ```
 */
export function inverseSPD(a: ArrayLike<number>, k: number): Float64Array | null {
  const l = Float64Array.from(a);
  return choleskyInPlace(l, k) ? inverseFromFactor(l, k) : null;
}

/**
 * Cholesky factor of a symmetric positive semi-definite k × k matrix: a pivot within `tolerance`
 * of zero (a number, or one per column) gives a zero column, so singular matrices (a centred GRM,
 * a boundary covariance) factor too. `negative` is the first column whose pivot fell below
 * −tolerance (the matrix is not PSD there), or −1.
 *
 * @example
 * ```ts
 * semidefiniteFactor(Float64Array.of(1, 1, 1, 1), 2, 1e-12).factor; // [1, 0, 1, 0]
 * ```
 */
export function semidefiniteFactor(a: ArrayLike<number>, k: number, tolerance: number | ((column: number) => number)): { factor: Float64Array; negative: number } {
  const l = new Float64Array(k * k);
  let negative = -1;
  for (let j = 0; j < k; j++) {
    const tol = typeof tolerance === "number" ? tolerance : tolerance(j);
    let d = a[j * k + j];
    for (let t = 0; t < j; t++) d -= l[j * k + t] * l[j * k + t];
    if (d < -tol && negative < 0) negative = j;
    if (!(d > tol)) continue; // a zero column: singular in this direction
    const ljj = Math.sqrt(d);
    l[j * k + j] = ljj;
    for (let r = j + 1; r < k; r++) {
      let v = a[r * k + j];
      for (let t = 0; t < j; t++) v -= l[r * k + t] * l[j * k + t];
      l[r * k + j] = v / ljj;
    }
  }
  return { factor: l, negative };
}
