/** An ordinary least-squares fit by Householder QR with column pivoting. */
export interface OlsFit {
  /** Coefficients per column of X; 0 for columns dropped as linear combinations of others. */
  coefficients: Float64Array;
  /** Columns kept (estimable), in X's order. */
  kept: number[];
  /** Columns dropped as aliased. */
  aliased: number[];
  rank: number;
  /** Residual sum of squares. */
  rss: number;
  /** Residual degrees of freedom, n − rank. */
  dfResidual: number;
  /** Standard errors of the kept coefficients (NaN for aliased ones). */
  se: Float64Array;
}

/**
 * Least squares of y on the columns of X (column-major n × p) for the rows in `rows` (default all),
 * as R's `lm.fit`: Householder QR with pivoting that drops a column whose remaining norm falls below
 * `tol` (1e-7) times its original norm.
 *
 * @example
 * ```ts
 * const X = Float64Array.of(1, 1, 1, 0, 1, 2); // intercept and x, column-major, n = 3
 * olsFit(X, 3, 2, Float64Array.of(1, 3, 5)).coefficients; // Float64Array [1, 2]
 * ```
 */
export function olsFit(X: ArrayLike<number>, n: number, p: number, y: ArrayLike<number>, rows?: ArrayLike<number>, tol = 1e-7): OlsFit {
  const idx = rows ?? Int32Array.from({ length: n }, (_, i) => i);
  const m = idx.length;
  // Working copy: column-major m × p, plus the response.
  const A = new Float64Array(m * p);
  for (let j = 0; j < p; j++) for (let r = 0; r < m; r++) A[j * m + r] = X[j * n + idx[r]];
  const b = Float64Array.from(idx, (i) => y[i]);
  const norms0 = Array.from({ length: p }, (_, j) => columnNorm(A, m, j, 0));
  const kept: number[] = [];
  const aliased: number[] = [];
  for (let j = 0; j < p; j++) {
    const rank = kept.length;
    // A column whose part orthogonal to the kept columns is negligible is aliased (R's lm.fit rule).
    const norm = rank < m ? columnNorm(A, m, j, rank) : 0;
    if (norms0[j] === 0 || !(norm > tol * norms0[j])) {
      aliased.push(j);
      continue;
    }
    const alpha = A[j * m + rank] > 0 ? -norm : norm;
    A[j * m + rank] -= alpha;
    const vv = columnNorm(A, m, j, rank) ** 2;
    for (let k = j + 1; k < p; k++) reflect(A, m, j, rank, vv, A, k);
    reflect(A, m, j, rank, vv, b, 0);
    for (let r = rank + 1; r < m; r++) A[j * m + r] = 0;
    A[j * m + rank] = alpha;
    kept.push(j);
  }
  const rank = kept.length;
  // Back-substitution R β = Q'y over the kept columns (R's row t is the t-th kept column's pivot row).
  const coefficients = new Float64Array(p);
  const beta = new Float64Array(rank);
  for (let t = rank - 1; t >= 0; t--) {
    let s = b[t];
    for (let u = t + 1; u < rank; u++) s -= A[kept[u] * m + t] * beta[u];
    beta[t] = s / A[kept[t] * m + t];
  }
  kept.forEach((j, t) => (coefficients[j] = beta[t]));
  let rss = 0;
  for (let r = rank; r < m; r++) rss += b[r] * b[r];
  const dfResidual = m - rank;
  const se = new Float64Array(p).fill(NaN);
  const sigma2 = rss / dfResidual;
  const unscaled = new Float64Array(rank);
  // diag((R'R)⁻¹): invert the triangular R column by column.
  for (let t = 0; t < rank; t++) {
    const e = new Float64Array(rank);
    e[t] = 1;
    for (let r = rank - 1; r >= 0; r--) {
      let s = e[r];
      for (let u = r + 1; u < rank; u++) s -= A[kept[u] * m + r] * e[u];
      e[r] = s / A[kept[r] * m + r];
    }
    // e is column t of R⁻¹; (R'R)⁻¹_jj = Σ_t (R⁻¹)_{j t}².
    for (let r = 0; r < rank; r++) unscaled[r] += e[r] * e[r];
  }
  kept.forEach((j, t) => (se[j] = Math.sqrt(unscaled[t] * sigma2)));
  return { coefficients, kept, aliased, rank, rss, dfResidual, se };
}

function columnNorm(A: Float64Array, m: number, j: number, from: number): number {
  let s = 0;
  for (let r = from; r < m; r++) s += A[j * m + r] * A[j * m + r];
  return Math.sqrt(s);
}

/** Applies the reflector H = I − 2vv'/(v'v) held in column j (rows ≥ from) to column k of B. */
function reflect(V: Float64Array, m: number, j: number, from: number, vv: number, B: Float64Array, k: number): void {
  let s = 0;
  for (let r = from; r < m; r++) s += V[j * m + r] * B[k * m + r];
  const f = (2 * s) / vv;
  for (let r = from; r < m; r++) B[k * m + r] -= f * V[j * m + r];
}
