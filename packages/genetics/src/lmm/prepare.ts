import { InvalidArgumentError } from "@lmm/core/errors";
import { DimensionMismatchError, NotPositiveSemidefiniteError } from "../errors.js";
import type { GenotypeMatrix } from "../genotypes/types.js";
import type { Kinship } from "../grm/grm.js";
import { symmetricEigen, symmetricEigenInParts, type SymmetricEigen } from "../linalg/symmetricEigen.js";
import type { ScanPool } from "./scanPool.js";

/** Analysed individuals: those with a phenotype and every covariate observed. */
export function analysedRows(phenotype: ArrayLike<number>, covariates: ArrayLike<number>[], n: number): Int32Array {
  if (phenotype.length !== n) throw new DimensionMismatchError("phenotype", phenotype.length, n);
  covariates.forEach((c, j) => { if (c.length !== n) throw new DimensionMismatchError(`covariate ${j + 1}`, c.length, n); });
  const rows: number[] = [];
  for (let i = 0; i < n; i++) {
    if (!Number.isFinite(phenotype[i])) continue;
    if (covariates.some((c) => !Number.isFinite(c[i]))) continue;
    rows.push(i);
  }
  return Int32Array.from(rows);
}

/** Covariate matrix W (columns, analysed rows only), intercept first when requested. */
export function covariateColumns(covariates: ArrayLike<number>[], rows: Int32Array, intercept: boolean): Float64Array[] {
  const cols: Float64Array[] = [];
  if (intercept) cols.push(new Float64Array(rows.length).fill(1));
  for (const c of covariates) cols.push(Float64Array.from(rows, (i) => c[i]));
  return cols;
}

/** The analysed-rows submatrix of a kinship over all individuals of the genotype file. */
export function subsetKinship(k: Kinship, rows: Int32Array, nAll: number): Float64Array {
  if (k.n !== nAll) throw new DimensionMismatchError("kinship matrix", k.n, nAll);
  const m = rows.length;
  const out = new Float64Array(m * m);
  for (let a = 0; a < m; a++) {
    const ra = rows[a] * k.n;
    for (let b = 0; b < m; b++) out[a * m + b] = k.values[ra + rows[b]];
  }
  return out;
}

/**
 * GEMMA's CenterMatrix: K ← P K P with P = I − 11ᵀ/n (a no-op for an already centred GRM, up to rounding),
 * applied in place.
 */
export function centerMatrix(K: Float64Array, n: number): void {
  const rowMean = new Float64Array(n);
  let all = 0;
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let j = 0; j < n; j++) s += K[i * n + j];
    rowMean[i] = s / n;
    all += s;
  }
  all /= n * n;
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) K[i * n + j] += all - rowMean[i] - rowMean[j];
}

/**
 * Eigen-decomposition of the centred kinship with GEMMA's zeroing of eigenvalues below 1e-10, and tr(K)/n;
 * with a pool, half of divide and conquer, of its top merge's product and of the back-transformation run in a
 * worker beside this thread (same result to the last bit). K is overwritten.
 */
export async function kinshipEigen(K: Float64Array, n: number, pool?: ScanPool): Promise<{ eigen: SymmetricEigen; traceG: number; zeroed: number }> {
  const eigen = pool && !pool.serial && n >= 256
    ? await symmetricEigenInParts(K, n, async (t, rows) => (await pool.run("backTransform", [rows], {
      shared: { n: t.n, tau: t.tau, a: t.a }, chunkSize: 1, transfer: (z) => [z.buffer], label: () => "eigenvectors, first half",
    }))[0], {
      overwrite: true,
      // Half of divide and conquer, then half of the top merge's product (its parts in one worker, one chunk), in a
      // worker while this thread does the other.
      solveHalf: async (d, e) => (await pool.run("tridiagonalHalf", [{ d, e }], { chunkSize: 1, label: () => "eigenvalues, first half" }))[0],
      product: (jobs) => pool.run("packedProduct", jobs, { chunkSize: jobs.length, transfer: (j) => [j.pa.buffer, j.pv.buffer], label: (_j, i) => `eigenvectors, top merge, part ${i + 1}` }),
    })
    : symmetricEigen(K, n, { overwrite: true });
  const s = eigen.values;
  let trace = 0, zeroed = 0;
  let min = Infinity;
  for (let i = 0; i < n; i++) {
    min = Math.min(min, s[i]);
    if (s[i] < 1e-10) { s[i] = 0; zeroed++; }
    trace += s[i];
  }
  // Clearly negative eigenvalues mean the matrix is not a covariance: refuse rather than silently zero them.
  const scale = Math.max(1e-300, Math.abs(s[n - 1]));
  if (min < -1e-6 * scale) throw new NotPositiveSemidefiniteError("kinship matrix", min);
  return { eigen, traceG: trace / n, zeroed };
}

/** Uᵀ v for each column v (n each), returned stacked (columns × n). */
export function rotateColumns(Ut: Float64Array, n: number, columns: Float64Array[]): Float64Array {
  const out = new Float64Array(columns.length * n);
  columns.forEach((v, c) => {
    if (v.length !== n) throw new InvalidArgumentError("column length", v.length, `${n}`);
    for (let j = 0; j < n; j++) {
      let acc = 0;
      const o = j * n;
      for (let i = 0; i < n; i++) acc += Ut[o + i] * v[i];
      out[c * n + j] = acc;
    }
  });
  return out;
}

export type { GenotypeMatrix };
