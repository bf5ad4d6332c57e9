// Cuppen's divide and conquer for the symmetric tridiagonal eigenproblem, with LAPACK's deflation
// (dlaed2) and Gu–Eisenstat eigenvectors (dlaed3). The merge products run on the packed GEMM kernel.
import { gemmPacked, panelCount } from "./gemm.js";
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
 * `solveFirstHalf` (another thread), the second here; then the top merge, whose product's first rows (about
 * half its work) run through `product` when given. Returns the eigenvectors as **rows** (the transpose of
 * tridiagonalEigen's matrix, the layout the back-transformation takes). The same numbers to the last bit (each
 * part is the same computation wherever it runs).
 *
 * @example
 * ```ts
 * const Qt = await tridiagonalEigenSplit(d, e, async (dh, eh) => ({ Q: tridiagonalEigen(dh, eh), d: dh }));
 * ```
 */
export async function tridiagonalEigenSplit(d: Float64Array, e: Float64Array, solveFirstHalf: HalfSolver, product?: PackedProduct): Promise<Float64Array> {
  const n = d.length;
  if (n <= LEAF) return transposed(tridiagonalEigen(d, e), n);
  const Q = new Float64Array(n * n);
  const mid = n >> 1;
  const rho = e[mid - 1];
  d[mid - 1] -= Math.abs(rho);
  d[mid] -= Math.abs(rho);
  const first = solveFirstHalf(d.slice(0, mid), e.slice(0, mid));
  first.catch(() => undefined); // awaited below; should this thread's half throw first, its error is the one reported
  await laterTask(); // see laterTask
  solve(d, e, mid, n, Q, n);
  const half = await first;
  d.set(half.d.subarray(0, mid));
  for (let r = 0; r < mid; r++) Q.set(half.Q.subarray(r * mid, (r + 1) * mid), r * n);
  const st = mergeSetup(d, 0, mid, n, rho, Q, n);
  // The top merge's product shared the same way.
  if (st.V && product) await mergeProductSplit(st.B, st.s, mid, st.kept, st.V, st.out, product);
  else if (st.V) mergeProduct(st.B, st.s, mid, st.kept, st.V, st.out);
  return mergeFinishAsRows(st, d);
}

// Resolves on a later macrotask. A worker pool learns on the event loop that its workers are free (their answers
// to earlier tasks wait there while this thread computes), so without this a half handed to a pool could wait
// until this thread has done its own.
function laterTask(): Promise<void> {
  const g = globalThis as { setImmediate?: (f: () => void) => unknown };
  return new Promise((resolve) => (g.setImmediate ? g.setImmediate(resolve) : setTimeout(resolve, 0)));
}

/** The transpose of a row-major n × n matrix, in tiles of 16 rows (see mergeFinishAsRows). */
export function transposed(Q: Float64Array, n: number): Float64Array {
  const Qt = new Float64Array(n * n);
  for (let r0 = 0; r0 < n; r0 += 16) {
    const r1 = Math.min(n, r0 + 16);
    for (let c = 0; c < n; c++) for (let r = r0; r < r1; r++) Qt[c * n + r] = Q[r * n + c];
  }
  return Qt;
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
  // The block's eigenvector columns (rows lo..hi), column c = eigenvector c of the block: a local copy, or Q itself
  // when the block is all of Q (the top merge), which is read before it is written again (mergeFinish).
  const B = s === n ? Q : new Float64Array(s * s);
  if (B !== Q) for (let r = 0; r < s; r++) B.set(Q.subarray((lo + r) * n + lo, (lo + r) * n + hi), r * s);
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
    for (let i = 0; i < K; i++) values[i] = secularRoot(dl, w, rhoK, i, Delta.subarray(i * K, (i + 1) * K));
    // Gu–Eisenstat: ẑ_j from the computed roots (Löwner), so that the vectors are orthogonal to working precision.
    // Each product over i ascending (i ≠ j), all j at once so that Delta is read by rows.
    const zh = new Float64Array(K);
    for (let j = 0; j < K; j++) zh[j] = Delta[j * K + j];
    for (let i = 0; i < K; i++) {
      const o = i * K, di = dl[i];
      for (let j = 0; j < K; j++) if (i !== j) zh[j] *= Delta[o + j] / (dl[j] - di);
    }
    for (let j = 0; j < K; j++) zh[j] = Math.sqrt(Math.max(-zh[j], 0)) * (w[j] >= 0 ? 1 : -1);
    // Eigenvector i of the rank-one problem: ẑ_j / (dl_j − λ_i), normalised; stored as rows of V (K × K), written
    // over Delta.
    const V = Delta;
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
  const { s, out } = st;
  const idx = sortPairs(st, d, lo);
  for (let r = 0; r < s; r++) {
    const qo = (lo + r) * n + lo, oo = r * s;
    for (let c = 0; c < s; c++) Q[qo + c] = out[oo + idx[c]];
  }
}

// mergeFinish of the top merge (lo = 0) into a new matrix with the eigenvectors as rows (row c = eigenvector c),
// the layout the back-transformation takes: Q's entries transposed, in tiles of 16 rows of `out` so that its
// reads stay in cache while each eigenvector's 16 entries are written together.
function mergeFinishAsRows(st: MergeState, d: Float64Array): Float64Array {
  const { s, out } = st;
  const idx = sortPairs(st, d, 0);
  const Zt = new Float64Array(s * s);
  for (let r0 = 0; r0 < s; r0 += 16) {
    const r1 = Math.min(s, r0 + 16);
    for (let c = 0; c < s; c++) {
      const zo = c * s, j = idx[c];
      for (let r = r0; r < r1; r++) Zt[zo + r] = out[r * s + j];
    }
  }
  return Zt;
}

// The deflated columns after the secular ones in `out`, then all s eigenpairs sorted ascending: the eigenvalues
// into d[lo…], and the order of out's columns returned.
function sortPairs(st: MergeState, d: Float64Array, lo: number): number[] {
  const { s, B, kept, deflated, D, values, out } = st;
  const K = kept.length;
  for (let q = 0; q < deflated.length; q++) {
    const j = deflated[q];
    values[K + q] = D[j];
    for (let r = 0; r < s; r++) out[r * s + K + q] = B[r * s + j];
  }
  const idx = Array.from({ length: s }, (_, i) => i).sort((a, b) => values[a] - values[b]);
  for (let c = 0; c < s; c++) d[lo + c] = values[idx[c]];
  return idx;
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
    const job = packedPart(B, s, r0, r1, kept, nonZeroColumns(B, s, r0, r1, kept), V, simd);
    if (job) runHere(job, out, r0 * s, s);
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

/** Runs {@link PackedProductJob}s elsewhere (one other thread, one after another) and resolves with their C's. */
export type PackedProduct = (jobs: PackedProductJob[]) => Promise<Float64Array[]>;

// Indices j into `kept` of the columns non-zero in some row r0 … r1 − 1 of B.
function nonZeroColumns(B: Float64Array, s: number, r0: number, r1: number, kept: number[]): number[] {
  const cols: number[] = [];
  for (let j = 0; j < kept.length; j++) {
    const c = kept[j];
    for (let r = r0; r < r1; r++) if (B[r * s + c] !== 0) { cols.push(j); break; }
  }
  return cols;
}

/**
 * The product of rows r0 … r1 − 1 with the columns `cols` (those non-zero in their half), packed straight from B
 * and V (4-row panels: entry (r, t) at 4t + r mod 4 of panel r >> 2, padding rows zero); undefined when there
 * is nothing to multiply.
 */
function packedPart(B: Float64Array, s: number, r0: number, r1: number, kept: number[], cols: number[], V: Float64Array, simd: boolean): PackedProductJob | undefined {
  const K = kept.length, k = cols.length, rows = r1 - r0;
  if (rows <= 0 || k === 0) return undefined;
  const pa = new Float64Array(panelCount(rows) * 4 * k), pv = new Float64Array(panelCount(K) * 4 * k);
  const bc = Int32Array.from(cols, (j) => kept[j]);
  for (let r = 0; r < rows; r++) {
    const o = (r >> 2) * 4 * k + (r & 3), src = (r0 + r) * s;
    for (let t = 0; t < k; t++) pa[o + 4 * t] = B[src + bc[t]];
  }
  const vc = Int32Array.from(cols);
  for (let i = 0; i < K; i++) {
    const o = (i >> 2) * 4 * k + (i & 3), src = i * K;
    for (let t = 0; t < k; t++) pv[o + 4 * t] = V[src + vc[t]];
  }
  return { pa, rows, pv, K, k, simd };
}

function runHere(job: PackedProductJob, out: Float64Array, offset: number, s: number): void {
  gemmPacked(job.pa, job.rows, job.pv, job.K, job.k, out, offset, s, 1, job.simd);
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

// mergeProduct shared with another thread: rows are cut where the work (rows × columns multiplied) halves, the
// first rows go elsewhere, packed first so that thread starts at once, and this thread multiplies the rest. Each
// row is the same sum wherever it runs (a half's rows all use the half's columns).
async function mergeProductSplit(B: Float64Array, s: number, half: number, kept: number[], V: Float64Array, out: Float64Array, elsewhere: PackedProduct): Promise<void> {
  const simd = s * kept.length * kept.length >= 65536;
  const colsTop = nonZeroColumns(B, s, 0, half, kept), colsBottom = nonZeroColumns(B, s, half, s, kept);
  const workTop = half * colsTop.length, workBottom = (s - half) * colsBottom.length;
  const target = (workTop + workBottom) / 2;
  const cut = target <= workTop
    ? Math.round(target / Math.max(1, colsTop.length))
    : half + Math.round((target - workTop) / Math.max(1, colsBottom.length));
  const parts: [number, number, number[]][] = [[0, half, colsTop], [half, s, colsBottom]];
  const part = (there: boolean) => parts.flatMap(([r0, r1, cols]) => {
    const [a, b] = there ? [r0, Math.min(r1, cut)] : [Math.max(r0, cut), r1];
    const job = packedPart(B, s, a, b, kept, cols, V, simd);
    return job ? [{ r0: a, job }] : [];
  });
  const away = part(true);
  const pending = away.length > 0 ? elsewhere(away.map((p) => p.job)) : undefined;
  pending?.catch(() => undefined); // awaited below (as in tridiagonalEigenSplit)
  for (const { r0, job } of part(false)) runHere(job, out, r0 * s, s);
  if (!pending) return;
  const done = await pending;
  const K = kept.length;
  away.forEach(({ r0, job }, q) => {
    for (let r = 0; r < job.rows; r++) out.set(done[q].subarray(r * K, (r + 1) * K), (r0 + r) * s);
  });
}
