import type { ModelMatrix } from "./modelMatrix.js";

/** Relative tolerance of lme4's rank check (`chkRank.drop.cols`, tol = 1e-7). */
export const RANK_TOLERANCE = 1e-7;

/**
 * Finds the columns of X that are linear combinations of earlier columns, as lme4 does with R's
 * pivoting QR (dqrdc2): a column whose norm, after removing its projection on the kept columns,
 * falls below 1e-7 of its original norm (1 for an all-zero column) is dropped, keeping the order
 * of the others. Returns the indices of the kept columns.
 */
export function independentColumns(X: ModelMatrix, order: Int32Array, tolerance = RANK_TOLERANCE): number[] {
  const { n, p, data } = X;
  // Columns are read in the canonical observation order so sums do not depend on the input row order.
  const column = (j: number, out: Float64Array) => {
    for (let i = 0; i < n; i++) out[i] = data[j * n + order[i]];
  };
  const basis: Float64Array[] = [];
  const kept: number[] = [];
  const v = new Float64Array(n);
  for (let j = 0; j < p; j++) {
    column(j, v);
    const original = Math.sqrt(dot(v, v)) || 1;
    // Modified Gram-Schmidt, and a second pass when the first cancelled much of the column ("twice
    // is enough"): the residual stays accurate when columns are nearly dependent.
    let norm = Math.sqrt(dot(v, v));
    for (let pass = 0; pass < 2 && basis.length > 0; pass++) {
      for (const q of basis) {
        const c = dot(q, v);
        for (let i = 0; i < n; i++) v[i] -= c * q[i];
      }
      const before = norm;
      norm = Math.sqrt(dot(v, v));
      if (norm > 0.5 * before) break;
    }
    if (norm < tolerance * original) continue;
    const q = new Float64Array(n);
    for (let i = 0; i < n; i++) q[i] = v[i] / norm;
    basis.push(q);
    kept.push(j);
  }
  return kept;
}

/** X restricted to the given columns. */
export function selectColumns(X: ModelMatrix, keep: number[]): ModelMatrix {
  const data = new Float64Array(X.n * keep.length);
  keep.forEach((j, k) => data.set(X.data.subarray(j * X.n, (j + 1) * X.n), k * X.n));
  return { ...X, p: keep.length, data, names: keep.map((j) => X.names[j]), assign: Int32Array.from(keep.map((j) => X.assign[j])) };
}

function dot(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}
