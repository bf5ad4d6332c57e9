// Small dense least squares through the normal equations, as sva::ComBat solves them
// (solve(crossprod(X), crossprod(X, Y))): X is n × p with p small (batches + covariate columns).

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

/** Cholesky factorisation of a symmetric positive semi-definite matrix, stopping at the first vanishing pivot. */
export function cholesky(a: Float64Array, p: number): CholeskyResult {
  const l = new Float64Array(p * p);
  for (let j = 0; j < p; j++) {
    let d = a[j * p + j];
    for (let k = 0; k < j; k++) d -= l[j * p + k] * l[j * p + k];
    if (!(d > PIVOT_TOLERANCE * a[j * p + j])) return { ok: false, column: j };
    const ljj = Math.sqrt(d);
    l[j * p + j] = ljj;
    for (let i = j + 1; i < p; i++) {
      let s = a[i * p + j];
      for (let k = 0; k < j; k++) s -= l[i * p + k] * l[j * p + k];
      l[i * p + j] = s / ljj;
    }
  }
  return { ok: true, factor: l };
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
