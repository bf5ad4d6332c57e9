// Small dense least squares through the normal equations, as sva::ComBat solves them
// (solve(crossprod(X), crossprod(X, Y))): X is n × p with p small (batches + covariate columns).
import { semidefiniteFactor } from "@lmm/core/numerics";

/** Cholesky factor L (row-major p × p, lower) of X'X, or the first column whose pivot vanishes (rank deficiency). */
export type CholeskyResult = { ok: true; factor: Float64Array } | { ok: false; column: number };

/**
 * Relative pivot tolerance on the squared scale of X'X: a column whose residual sum of squares after the
 * earlier columns falls below 1e-11 of its own is taken as a linear combination of them (about 3e-6 on the
 * column-norm scale; design columns here are indicators or covariates, far from that edge unless truly collinear).
 */
const PIVOT_TOLERANCE = 1e-11;

/** X'X over the rows where `use` is 1 (all rows when `use` is omitted); row-major p × p. */
export function crossProduct(columns: readonly Float64Array[], use?: Uint8Array): Float64Array {
  const p = columns.length;
  const out = new Float64Array(p * p);
  for (let a = 0; a < p; a++) {
    for (let b = 0; b <= a; b++) {
      const ca = columns[a], cb = columns[b];
      let s = 0;
      if (use) for (let i = 0; i < ca.length; i++) s += use[i] ? ca[i] * cb[i] : 0;
      else for (let i = 0; i < ca.length; i++) s += ca[i] * cb[i];
      out[a * p + b] = s;
      out[b * p + a] = s;
    }
  }
  return out;
}

/**
 * Cholesky factorisation of a symmetric positive semi-definite matrix, failing at the first vanishing pivot
 * (numerics' semi-definite factor with ComBat's relative tolerance: the same arithmetic up to that column).
 */
export function cholesky(a: Float64Array, p: number): CholeskyResult {
  const { factor } = semidefiniteFactor(a, p, (j) => PIVOT_TOLERANCE * a[j * p + j]);
  for (let j = 0; j < p; j++) if (factor[j * p + j] === 0) return { ok: false, column: j };
  return { ok: true, factor };
}

/** X'y over the rows where `use` is 1 (all rows when omitted). */
export function crossProductVector(columns: readonly Float64Array[], y: Float64Array, use?: Uint8Array): Float64Array {
  const out = new Float64Array(columns.length);
  columns.forEach((c, a) => {
    let s = 0;
    if (use) for (let i = 0; i < y.length; i++) s += use[i] ? c[i] * y[i] : 0;
    else for (let i = 0; i < y.length; i++) s += c[i] * y[i];
    out[a] = s;
  });
  return out;
}
