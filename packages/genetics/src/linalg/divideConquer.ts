// Cuppen's divide and conquer for the symmetric tridiagonal eigenproblem, with LAPACK's deflation
// (dlaed2) and Gu–Eisenstat eigenvectors (dlaed3). The merge products run on the packed GEMM kernel.
import { gemmPacked, packRows, panelCount } from "./gemm.js";
import { secularRoot } from "./secular.js";
import { tql2 } from "./tql2.js";

const LEAF = 32;
const EPS = 2 ** -52;

/**
 * Eigenvalues (ascending, into `d`) and eigenvectors (columns of the returned row-major n × n matrix) of the
 * symmetric tridiagonal matrix with diagonal `d` and off-diagonal `e[i]` = T[i, i+1]. `d` and `e` are overwritten.
 *
 * @example
 * ```ts
 * const Q = tridiagonalEigen(Float64Array.of(2, 2), Float64Array.of(1, 0)); // d = [1, 3]
 * ```
 */
export function tridiagonalEigen(d: Float64Array, e: Float64Array): Float64Array {
  const n = d.length;
  const Q = new Float64Array(n * n);
  solve(d, e, 0, n, Q, n);
  return Q;
}

/** Solves the first half of a split problem elsewhere (e.g. in a pool worker): {@link tridiagonalEigen} on it. */
export type HalfSolver = (d: Float64Array, e: Float64Array) => Promise<{ d: Float64Array; Q: Float64Array }>;

/**
 * {@link tridiagonalEigen} with the two halves of the first split solved at the same time: the first by
 * `solveFirstHalf` (another thread), the second here; then the top merge, whose product's first half of rows
 * runs through `product` when given. The same numbers to the last bit (each part is the same computation
 * wherever it runs).
 *
 * @example
 * ```ts
 * const Q = await tridiagonalEigenSplit(d, e, async (dh, eh) => ({ Q: tridiagonalEigen(dh, eh), d: dh }));
 * ```
 */
export async function tridiagonalEigenSplit(d: Float64Array, e: Float64Array, solveFirstHalf: HalfSolver, product?: PackedProduct): Promise<Float64Array> {
  const n = d.length;
  if (n <= LEAF) return tridiagonalEigen(d, e);
  const Q = new Float64Array(n * n);
  const mid = n >> 1;
  const rho = e[mid - 1];
  d[mid - 1] -= Math.abs(rho);
  d[mid] -= Math.abs(rho);
  const first = solveFirstHalf(d.slice(0, mid), e.slice(0, mid));
  solve(d, e, mid, n, Q, n);
  const half = await first;
  d.set(half.d.subarray(0, mid));
  for (let r = 0; r < mid; r++) Q.set(half.Q.subarray(r * mid, (r + 1) * mid), r * n);
  if (!product) {
    merge(d, 0, mid, n, rho, Q, n);
    return Q;
  }
  // The top merge's product split the same way: the first half's rows elsewhere.
  const st = mergeSetup(d, 0, mid, n, rho, Q, n);
  if (st.V) await mergeProductSplit(st.B, st.s, mid, st.kept, st.V, st.out, product);
  mergeFinish(st, d, 0, Q, n);
  return Q;
}

function solve(d: Float64Array, e: Float64Array, lo: number, hi: number, Q: Float64Array, n: number): void {
  const s = hi - lo;
  if (s <= LEAF) {
    for (let i = 0; i < s; i++) Q[(lo + i) * n + lo + i] = 1;
    tql2(d, e, lo, s, Q, lo * n + lo, n);
    return;
  }
  const mid = lo + (s >> 1);
  const rho = e[mid - 1];
  d[mid - 1] -= Math.abs(rho);
  d[mid] -= Math.abs(rho);
  solve(d, e, lo, mid, Q, n);
  solve(d, e, mid, hi, Q, n);
  merge(d, lo, mid, hi, rho, Q, n);
}

function merge(d: Float64Array, lo: number, mid: number, hi: number, rhoIn: number, Q: Float64Array, n: number): void {
  const st = mergeSetup(d, lo, mid, hi, rhoIn, Q, n);
  if (st.V) mergeProduct(st.B, st.s, mid - lo, st.kept, st.V, st.out);
  mergeFinish(st, d, lo, Q, n);
}

/** A merge up to its product: deflation, the secular roots and the rank-one problem's eigenvectors V. */
interface MergeState {
  s: number;
  B: Float64Array;
  kept: number[];
  deflated: number[];
  D: Float64Array;
  values: Float64Array;
  out: Float64Array;
  /** K × K, row i = eigenvector i of the rank-one problem; null when every column deflated. */
  V: Float64Array | null;
}

function mergeSetup(d: Float64Array, lo: number, mid: number, hi: number, rhoIn: number, Q: Float64Array, n: number): MergeState {
  const s = hi - lo;
  // z = Qᵀ u with u = e_{mid-1} + sign(ρ) e_mid, normalised (‖z‖² = 2), and ρ scaled to match.
  const z = new Float64Array(s);
  const sg = rhoIn >= 0 ? 1 : -1;
  for (let j = lo; j < mid; j++) z[j - lo] = Q[(mid - 1) * n + j] * Math.SQRT1_2;
  for (let j = mid; j < hi; j++) z[j - lo] = sg * Q[mid * n + j] * Math.SQRT1_2;
  const rho = 2 * Math.abs(rhoIn);
  const D = d.slice(lo, hi);
  // Local copy of the block's eigenvector columns (rows lo..hi), column c = eigenvector c of the block.
  const B = new Float64Array(s * s);
  for (let r = 0; r < s; r++) B.set(Q.subarray((lo + r) * n + lo, (lo + r) * n + hi), r * s);
  const order = Array.from({ length: s }, (_, i) => i).sort((a, b) => D[a] - D[b]);
  let zmax = 0, dmax = 0;
  for (let j = 0; j < s; j++) { zmax = Math.max(zmax, Math.abs(z[j])); dmax = Math.max(dmax, Math.abs(D[j])); }
  const tol = 8 * EPS * Math.max(dmax, zmax);
  const kept: number[] = []; // non-deflated columns, ascending D
  const deflated: number[] = [];
  if (rho * zmax > tol) {
    let pj = -1;
    for (const nj of order) {
      if (rho * Math.abs(z[nj]) <= tol) { deflated.push(nj); continue; }
      if (pj < 0) { pj = nj; continue; }
      // Nearly equal poles: rotate to zero z[pj] (dlaed2).
      let sn = z[pj], cs = z[nj];
      const t = Math.hypot(cs, sn);
      const diff = D[nj] - D[pj];
      cs /= t;
      sn = -sn / t;
      if (Math.abs(diff * cs * sn) <= tol) {
        z[nj] = t;
        z[pj] = 0;
        for (let r = 0; r < s; r++) {
          const o = r * s;
          const x = B[o + pj], y = B[o + nj];
          B[o + pj] = cs * x + sn * y;
          B[o + nj] = cs * y - sn * x;
        }
        const dp = D[pj] * cs * cs + D[nj] * sn * sn;
        D[nj] = D[pj] * sn * sn + D[nj] * cs * cs;
        D[pj] = dp;
        deflated.push(pj);
        pj = nj;
      } else {
        kept.push(pj);
        pj = nj;
      }
    }
    if (pj >= 0) kept.push(pj);
    kept.sort((a, b) => D[a] - D[b]);
  } else {
    for (const j of order) deflated.push(j);
  }
  const K = kept.length;
  const values = new Float64Array(s);
  const out = new Float64Array(s * s); // new eigenvector columns, unsorted: first K secular, then deflated
  if (K > 0) {
    const dl = new Float64Array(K);
    const w = new Float64Array(K);
    for (let i = 0; i < K; i++) { dl[i] = D[kept[i]]; w[i] = z[kept[i]]; }
    // Poles must be strictly increasing for the secular solver; rotations keep them ordered up to rounding.
    let wn = 0;
    for (let i = 0; i < K; i++) wn += w[i] * w[i];
    wn = Math.sqrt(wn);
    for (let i = 0; i < K; i++) w[i] /= wn;
    const rhoK = rho * wn * wn;
    const Delta = new Float64Array(K * K); // Delta[i * K + j] = dl_j − λ_i
    const delta = new Float64Array(K);
    for (let i = 0; i < K; i++) {
      values[i] = secularRoot(dl, w, rhoK, i, delta);
      Delta.set(delta, i * K);
    }
    // Gu–Eisenstat: ẑ_j from the computed roots (Löwner), so that the vectors are orthogonal to working precision.
    const zh = new Float64Array(K);
    for (let j = 0; j < K; j++) {
      let prod = Delta[j * K + j];
      for (let i = 0; i < K; i++) if (i !== j) prod *= Delta[i * K + j] / (dl[j] - dl[i]);
      zh[j] = Math.sqrt(Math.max(-prod, 0)) * (w[j] >= 0 ? 1 : -1);
    }
    // Eigenvector i of the rank-one problem: ẑ_j / (dl_j − λ_i), normalised; stored as rows of V (K × K).
    const V = new Float64Array(K * K);
    for (let i = 0; i < K; i++) {
      let nrm = 0;
      const o = i * K;
      for (let j = 0; j < K; j++) { const v = zh[j] / Delta[o + j]; V[o + j] = v; nrm += v * v; }
      nrm = 1 / Math.sqrt(nrm);
      for (let j = 0; j < K; j++) V[o + j] *= nrm;
    }
    // New columns = B[:, kept] · Vᵀ-columns: C (s × K) += A (s × K) Bᵀ with A = B[:, kept], B-operand = V.
    return { s, B, kept, deflated, D, values, out, V };
  }
  return { s, B, kept, deflated, D, values, out, V: null };
}

// The deflated columns after the secular ones, then all s eigenpairs sorted ascending into the block.
function mergeFinish(st: MergeState, d: Float64Array, lo: number, Q: Float64Array, n: number): void {
  const { s, B, kept, deflated, D, values, out } = st;
  const K = kept.length;
  for (let q = 0; q < deflated.length; q++) {
    const j = deflated[q];
    values[K + q] = D[j];
    for (let r = 0; r < s; r++) out[r * s + K + q] = B[r * s + j];
  }
  // Sort all s eigenpairs ascending and write back into the block.
  const idx = Array.from({ length: s }, (_, i) => i).sort((a, b) => values[a] - values[b]);
  for (let c = 0; c < s; c++) d[lo + c] = values[idx[c]];
  for (let r = 0; r < s; r++) {
    const qo = (lo + r) * n + lo, oo = r * s;
    for (let c = 0; c < s; c++) Q[qo + c] = out[oo + idx[c]];
  }
}

/**
 * out[r, i] = Σ_j B[r, kept[j]] V[i, j] (out s × s, columns 0 … K − 1). B is block-diagonal (the halves'
 * eigenvectors) but for columns mixed by deflation's rotations, so the rows of each half multiply only the
 * columns that are non-zero there (LAPACK's dlaed3 does the same): about half the flops. The non-zero terms
 * are summed in the same order, and the kernel is the one the whole product would use, so the result is the
 * whole product's to the last bit where the SIMD kernel runs (it sums each entry in one pass).
 */
function mergeProduct(B: Float64Array, s: number, half: number, kept: number[], V: Float64Array, out: Float64Array): void {
  const simd = s * kept.length * kept.length >= 65536;
  for (const [r0, r1] of [[0, half], [half, s]]) {
    const job = halfProduct(B, s, r0, r1, kept, V, simd);
    if (job) gemmPacked(job.pa, job.rows, job.pv, job.K, job.k, out, r0 * s, s, 1, simd);
  }
}

/** One packed product C (rows × K, row stride K) = A Bᵀ, with the kernel the whole product would use. */
export interface PackedProductJob {
  pa: Float64Array;
  rows: number;
  pv: Float64Array;
  K: number;
  k: number;
  simd: boolean;
}

/** Runs a {@link PackedProductJob} elsewhere (another thread) and resolves with C. */
export type PackedProduct = (job: PackedProductJob) => Promise<Float64Array>;

/**
 * The product of one half's rows (r0 … r1 − 1) with the columns non-zero there, packed; undefined when there is
 * nothing to multiply.
 */
function halfProduct(B: Float64Array, s: number, r0: number, r1: number, kept: number[], V: Float64Array, simd: boolean): PackedProductJob | undefined {
  const K = kept.length;
  const rows = r1 - r0;
  const cols: number[] = [];
  for (let j = 0; j < K; j++) {
    const c = kept[j];
    for (let r = r0; r < r1; r++) if (B[r * s + c] !== 0) { cols.push(j); break; }
  }
  const k = cols.length;
  if (rows === 0 || k === 0) return undefined;
  const A = new Float64Array(rows * k), Vc = new Float64Array(K * k);
  for (let r = 0; r < rows; r++) for (let t = 0; t < k; t++) A[r * k + t] = B[(r0 + r) * s + kept[cols[t]]];
  for (let i = 0; i < K; i++) for (let t = 0; t < k; t++) Vc[i * k + t] = V[i * K + cols[t]];
  const pa = packRows(A, rows, k, k, new Float64Array(panelCount(rows) * 4 * k));
  const pv = packRows(Vc, K, k, k, new Float64Array(panelCount(K) * 4 * k));
  return { pa, rows, pv, K, k, simd };
}

/**
 * Runs a packed product here, as {@link PackedProduct} does elsewhere.
 *
 * @example
 * ```ts
 * const C = packedProduct(job); // job from a merge split across threads
 * ```
 */
export function packedProduct(job: PackedProductJob): Float64Array {
  const C = new Float64Array(job.rows * job.K);
  gemmPacked(job.pa, job.rows, job.pv, job.K, job.k, C, 0, job.K, 1, job.simd);
  return C;
}

// mergeProduct with the first half's rows multiplied elsewhere while this thread multiplies the second's (each
// from zero, as in one thread).
async function mergeProductSplit(B: Float64Array, s: number, half: number, kept: number[], V: Float64Array, out: Float64Array, elsewhere: PackedProduct): Promise<void> {
  const simd = s * kept.length * kept.length >= 65536;
  const top = halfProduct(B, s, 0, half, kept, V, simd);
  const pending = top ? elsewhere(top) : undefined;
  const bottom = halfProduct(B, s, half, s, kept, V, simd);
  if (bottom) gemmPacked(bottom.pa, bottom.rows, bottom.pv, bottom.K, bottom.k, out, half * s, s, 1, simd);
  if (!pending) return;
  const C = await pending;
  const K = kept.length;
  for (let r = 0; r < half; r++) out.set(C.subarray(r * K, (r + 1) * K), r * s);
}
