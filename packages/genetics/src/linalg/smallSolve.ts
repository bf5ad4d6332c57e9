/**
 * Solves A x = b for a small symmetric positive-definite A (row-major k × k) by Gaussian elimination with
 * partial pivoting, and returns the inverse too (needed for standard errors).
 *
 * @example
 * ```ts
 * solveSymmetric(Float64Array.of(2, 0, 0, 4), Float64Array.of(2, 4), 2).solution; // [1, 1]
 * ```
 */
export function solveSymmetric(A: Float64Array, b: Float64Array, k: number): { solution: Float64Array; inverse: Float64Array } {
  const M = new Float64Array(k * 2 * k + k);
  const w = 2 * k + 1;
  for (let i = 0; i < k; i++) {
    for (let j = 0; j < k; j++) M[i * w + j] = A[i * k + j];
    M[i * w + k + i] = 1;
    M[i * w + 2 * k] = b[i];
  }
  for (let col = 0; col < k; col++) {
    let piv = col;
    for (let r = col + 1; r < k; r++) if (Math.abs(M[r * w + col]) > Math.abs(M[piv * w + col])) piv = r;
    if (piv !== col) for (let j = 0; j < w; j++) { const t = M[col * w + j]; M[col * w + j] = M[piv * w + j]; M[piv * w + j] = t; }
    const d = M[col * w + col];
    for (let j = 0; j < w; j++) M[col * w + j] /= d;
    for (let r = 0; r < k; r++) {
      if (r === col) continue;
      const f = M[r * w + col];
      if (f !== 0) for (let j = 0; j < w; j++) M[r * w + j] -= f * M[col * w + j];
    }
  }
  const solution = new Float64Array(k);
  const inverse = new Float64Array(k * k);
  for (let i = 0; i < k; i++) {
    solution[i] = M[i * w + 2 * k];
    for (let j = 0; j < k; j++) inverse[i * k + j] = M[i * w + k + j];
  }
  return { solution, inverse };
}
