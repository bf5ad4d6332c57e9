// Factor and solve come from the core's small dense algebra.
import { choleskyFactor, choleskySolve } from "@lmm/core/numerics";

export { choleskyFactor, choleskySolve };

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
