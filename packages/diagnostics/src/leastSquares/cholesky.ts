/**
 * Cholesky factor of a small symmetric positive-definite matrix (row-major k × k, lower triangle read),
 * or null when a pivot is not positive (the matrix is not positive definite to working precision).
 *
 * @example
 * ```ts
 * choleskyFactor(Float64Array.of(4, 2, 2, 3), 2); // Float64Array [2, 0, 1, 1.414…]
 * ```
 */
export function choleskyFactor(A: ArrayLike<number>, k: number): Float64Array | null {
  const L = new Float64Array(k * k);
  for (let c = 0; c < k; c++) {
    let d = A[c * k + c];
    for (let t = 0; t < c; t++) d -= L[c * k + t] * L[c * k + t];
    if (!(d > 0)) return null;
    const lcc = Math.sqrt(d);
    L[c * k + c] = lcc;
    for (let r = c + 1; r < k; r++) {
      let v = A[r * k + c];
      for (let t = 0; t < c; t++) v -= L[r * k + t] * L[c * k + t];
      L[r * k + c] = v / lcc;
    }
  }
  return L;
}

/**
 * Solves (L L') x = b for a Cholesky factor L from {@link choleskyFactor}; returns a new array.
 *
 * @example
 * ```ts
 * const L = choleskyFactor(Float64Array.of(4, 2, 2, 3), 2)!;
 * choleskySolve(L, 2, Float64Array.of(6, 5)); // Float64Array [1, 1]
 * ```
 */
export function choleskySolve(L: Float64Array, k: number, b: ArrayLike<number>): Float64Array {
  const x = Float64Array.from(b);
  for (let r = 0; r < k; r++) {
    let s = x[r];
    for (let t = 0; t < r; t++) s -= L[r * k + t] * x[t];
    x[r] = s / L[r * k + r];
  }
  for (let r = k - 1; r >= 0; r--) {
    let s = x[r];
    for (let t = r + 1; t < k; t++) s -= L[t * k + r] * x[t];
    x[r] = s / L[r * k + r];
  }
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
 * The inverse of a small symmetric positive-definite matrix (row-major), or null when it is not
 * positive definite.
 *
 * @example
 * ```ts
 * symmetricInverse(Float64Array.of(4, 0, 0, 2), 2); // Float64Array [0.25, 0, 0, 0.5]
 * ```
 */
export function symmetricInverse(A: ArrayLike<number>, k: number): Float64Array | null {
  const L = choleskyFactor(A, k);
  if (!L) return null;
  const out = new Float64Array(k * k);
  const e = new Float64Array(k);
  for (let c = 0; c < k; c++) {
    e.fill(0);
    e[c] = 1;
    const col = choleskySolve(L, k, e);
    for (let r = 0; r < k; r++) out[r * k + c] = col[r];
  }
  return out;
}
