import { InvalidArgumentError } from "@lmm/core/errors";
import { gemmPacked, packRows, panelCount, wasmProduct } from "./gemm.js";
import { plainWasmGemm, wasmGemm, type WasmGemm } from "./wasmGemm.js";
import { tridiagonalise, type Tridiagonal } from "./tridiagonal.js";
import { transposed, tridiagonalEigen, tridiagonalEigenSplit, type HalfSolver, type PackedProduct } from "./divideConquer.js";

/**
 * Eigen-decomposition A = U diag(values) Uᵀ of a symmetric matrix. `vectors` is row-major n × n with
 * **row j = eigenvector j** (that is, Uᵀ), the layout the rotations y ↦ Uᵀy want.
 */
export interface SymmetricEigen {
  n: number;
  /** Eigenvalues in ascending order. */
  values: Float64Array;
  /** Uᵀ: row j is the unit eigenvector of values[j]. */
  vectors: Float64Array;
}

const BLOCK = 64;

/**
 * Eigen-decomposition of a dense symmetric matrix (row-major n × n; the lower triangle is read):
 * Householder tridiagonalisation, divide and conquer on the tridiagonal matrix, and a blocked (compact WY)
 * back-transformation. O(n³) with most of the work in the packed GEMM kernel; n = 2000 takes seconds.
 *
 * @example
 * ```ts
 * const { values, vectors } = symmetricEigen(Float64Array.of(2, 1, 1, 2), 2); // values = [1, 3]
 * ```
 */
export function symmetricEigen(A: Float64Array, n: number, options: { overwrite?: boolean } = {}): SymmetricEigen {
  if (A.length < n * n) throw new InvalidArgumentError("matrix length", A.length, `n² = ${n * n}`);
  const work = options.overwrite ? A : A.slice(0, n * n);
  const { t, values, Zt } = reduceAndSolve(work, n);
  backTransformRows(t, Zt, n);
  return { n, values, vectors: Zt };
}

/** Back-transforms the rows of Zt given elsewhere (another thread, say) and resolves with them. */
export type RowsElsewhere = (t: Tridiagonal, rows: Float64Array) => Promise<Float64Array>;

/**
 * {@link symmetricEigen} with the back-transformation (a third of the work) split into two halves of the
 * eigenvectors: the first handed to `elsewhere` (e.g. a pool worker, with its own copy of the reflectors), the
 * second transformed here meanwhile.
 *
 * @example
 * ```ts
 * const eigen = await symmetricEigenInParts(K, n, async (t, z) => (backTransformRows(t, z, z.length / t.n), z));
 * ```
 */
export async function symmetricEigenInParts(
  A: Float64Array, n: number, elsewhere: RowsElsewhere, options: { overwrite?: boolean; solveHalf?: HalfSolver; product?: PackedProduct } = {},
): Promise<SymmetricEigen> {
  if (A.length < n * n) throw new InvalidArgumentError("matrix length", A.length, `n² = ${n * n}`);
  const work = options.overwrite ? A : A.slice(0, n * n);
  const solveHalf = options.solveHalf;
  const { t, values, Zt } = solveHalf
    ? await reduceAndSolveWith(work, n, (d, e) => tridiagonalEigenSplit(d, e, solveHalf, options.product))
    : reduceAndSolve(work, n);
  const half = 4 * Math.ceil(n / 8);
  const first = elsewhere(t, Zt.slice(0, half * n));
  first.catch(() => undefined); // awaited below; should this thread's half throw first, its error is the one reported
  backTransformRows(t, Zt.subarray(half * n), n - half);
  Zt.set(await first);
  return { n, values, vectors: Zt };
}

// Tridiagonalisation and divide and conquer: eigenvalues and Zt (row j = eigenvector j of T).
function reduceAndSolve(work: Float64Array, n: number): { t: Tridiagonal; values: Float64Array; Zt: Float64Array } {
  const t = tridiagonalise(work, n);
  const d = t.d.slice();
  const Q = tridiagonalEigen(d, t.e.slice()); // columns = eigenvectors of T
  return { t, values: d, Zt: transposed(Q, n) };
}

// reduceAndSolve with the tridiagonal solver given (split over threads; it returns the eigenvectors as rows).
async function reduceAndSolveWith(work: Float64Array, n: number, solver: (d: Float64Array, e: Float64Array) => Promise<Float64Array>) {
  const t = tridiagonalise(work, n);
  const d = t.d.slice();
  const Zt = await solver(d, t.e.slice());
  return { t, values: d, Zt };
}


/**
 * Zt ← Zt H_{n-3} ⋯ H_1 H_0 for `rows` rows of Zt (length n each), so that row j becomes (Q z_j)ᵀ: the
 * back-transformation of {@link symmetricEigen}. Rows are independent, so threads can share them out.
 * Reflectors are applied in blocks P = H_k0 ⋯ H_{k1-1} = I − V T Vᵀ, last block first: Zt ← Zt − (Zt V) Tᵀ Vᵀ.
 *
 * @example
 * ```ts
 * backTransformRows({ n, tau: t.tau, a: t.a }, Zt, n);
 * ```
 */
export function backTransformRows(t: Pick<Tridiagonal, "n" | "tau" | "a">, Zt: Float64Array, rows: number): void {
  const n = t.n;
  const nref = Math.max(0, n - 2);
  const starts: number[] = [];
  for (let k0 = 0; k0 < nref; k0 += BLOCK) starts.push(k0);
  const pz = new Float64Array(panelCount(rows) * 4 * n);
  const tmp = new Float64Array(BLOCK);
  // With the SIMD kernel, Zt moves into its memory at the first block large enough for it (blocks run from the
  // smallest), and the products add straight into it: the same sums as the products into scratch added after.
  let resident: ResidentRows | undefined;
  try {
    for (let bi = starts.length - 1; bi >= 0; bi--) {
      const k0 = starts[bi];
      const b = Math.min(BLOCK, nref - k0);
      const r0 = k0 + 1; // first row touched by the block
      const len = n - r0;
      const { V, T } = blockReflectors(t, k0, b, tmp);
      // The kernel is chosen by the block's size in the whole problem, not in these rows: every share of the
      // rows then gets the whole's numbers (the SIMD kernel's fused sums differ from the JavaScript kernel's).
      const w = n * b * len >= 65536 ? wasmGemm() : undefined;
      if (w && !resident) resident = ResidentRows.enter(w, Zt, rows, n);
      if (resident) resident.apply(V, T, b, r0, len, tmp);
      else applyBlockJs(Zt, rows, n, V, T, b, r0, len, pz, tmp);
    }
  } finally {
    resident?.leave(Zt);
  }
}

// The block P = H_k0 ⋯ H_{k0+b-1} = I − V T Vᵀ: V (len × b, row-major, V[(r − r0) b + c] = v_{k0+c}[r]) and
// T (b × b upper triangular).
function blockReflectors(t: Pick<Tridiagonal, "n" | "tau" | "a">, k0: number, b: number, tmp: Float64Array): { V: Float64Array; T: Float64Array } {
  const { n, tau, a } = t;
  const r0 = k0 + 1, len = n - r0;
  // V (len × b), row-major: V[(r - r0) * b + c] = v_{k0+c}[r].
  const V = new Float64Array(len * b);
  for (let c = 0; c < b; c++) V[c * b + c] = 1; // v_{k0+c}[k0 + c + 1] = 1, local row c
  // Row by row (the reflectors' rows are contiguous in a): V[r − r0, c] = a[r, k0 + c] for r ≥ k0 + c + 2.
  for (let r = k0 + 2; r < n; r++) {
    const vo = (r - r0) * b, ao = r * n + k0, last = Math.min(b, r - k0 - 1);
    for (let c = 0; c < last; c++) V[vo + c] = a[ao + c];
  }
  // T (b × b upper triangular), forward: T_ii = τ_i, T[0:i, i] = −τ_i T[0:i, 0:i] (V[:, 0:i]ᵀ v_i).
  const T = new Float64Array(b * b);
  const G = gramUpper(V, len, b);
  for (let i = 0; i < b; i++) {
    const ti = tau[k0 + i];
    T[i * b + i] = ti;
    for (let j = 0; j < i; j++) tmp[j] = -ti * G[j * b + i];
    for (let j = 0; j < i; j++) {
      let s = 0;
      for (let q = j; q < i; q++) s += T[j * b + q] * tmp[q];
      T[j * b + i] = s;
    }
  }
  return { V, T };
}

// G = VᵀV (upper triangle at least) for V len × b row-major: each entry the dot product over the rows in order,
// each term a multiply then an add. The plain SIMD kernel does exactly that; otherwise row by row (V's rows are
// contiguous), skipping the zeros above each column's unit entry (adding exact zeros).
function gramUpper(V: Float64Array, len: number, b: number): Float64Array {
  const G = new Float64Array(b * b);
  const w = len * b * b >= 65536 ? plainWasmGemm() : undefined;
  if (w) {
    const mark = w.mark();
    try {
      const size = panelCount(b) * 4 * len;
      const ao = w.reserve(size);
      packTransposed(V, len, b, w.view(ao, size));
      wasmProduct(w, ao, b, ao, b, len, G, 0, b, 1);
    } finally {
      w.reset(mark);
    }
    return G;
  }
  for (let r = 0; r < len; r++) {
    const vo = r * b, last = Math.min(b - 1, r); // V[r, c] = 0 for c > r
    for (let j = 0; j < last; j++) {
      const vj = V[vo + j];
      if (vj === 0) continue;
      const go = j * b;
      for (let i = j + 1; i <= last; i++) G[go + i] += vj * V[vo + i];
    }
  }
  return G;
}

// One block Zt[:, r0:] ← Zt[:, r0:] − (Zt[:, r0:] V) Tᵀ Vᵀ with the packed products of gemm.ts.
function applyBlockJs(Zt: Float64Array, rows: number, n: number, V: Float64Array, T: Float64Array, b: number, r0: number, len: number, pz: Float64Array, tmp: Float64Array): void {
  // Y = Zt[:, r0:] V  (rows × b), Zt's columns r0.. packed in place (leading dimension n).
  packRows(Zt.subarray(r0), rows, len, n, pz);
  const Vt = new Float64Array(b * len);
  for (let r = 0; r < len; r++) for (let c = 0; c < b; c++) Vt[c * len + r] = V[r * b + c];
  const pvt = packRows(Vt, b, len, len, new Float64Array(panelCount(b) * 4 * len));
  const Y = new Float64Array(rows * b);
  gemmPacked(pz, rows, pvt, b, len, Y, 0, b, 1);
  timesMinusTt(Y, rows, b, b, T, tmp);
  // Zt[:, r0:] += Y Vᵀ
  const py = packRows(Y, rows, b, b, new Float64Array(panelCount(rows) * 4 * b));
  const pv = packRows(V, len, b, b, new Float64Array(panelCount(len) * 4 * b));
  gemmPacked(py, rows, pv, len, b, Zt, r0, n, 1);
}

// Y ← −Y Tᵀ row by row (y_r' = Σ_q y_q T[r, q], q ≥ r); rows `ld` apart.
function timesMinusTt(Y: Float64Array, rows: number, b: number, ld: number, T: Float64Array, tmp: Float64Array): void {
  for (let j = 0; j < rows; j++) {
    const o = j * ld;
    // Four outputs per pass over y (T[r + k, q] = 0 for q < r + k: those terms add exact zeros).
    let r = 0;
    for (; r + 3 < b; r += 4) {
      let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
      const t0 = r * b, t1 = t0 + b, t2 = t1 + b, t3 = t2 + b;
      for (let q = r; q < b; q++) {
        const y = Y[o + q];
        s0 += y * T[t0 + q]; s1 += y * T[t1 + q]; s2 += y * T[t2 + q]; s3 += y * T[t3 + q];
      }
      tmp[r] = -s0; tmp[r + 1] = -s1; tmp[r + 2] = -s2; tmp[r + 3] = -s3;
    }
    for (; r < b; r++) {
      let s = 0;
      for (let q = r; q < b; q++) s += Y[o + q] * T[r * b + q];
      tmp[r] = -s;
    }
    for (let r = 0; r < b; r++) Y[o + r] = tmp[r];
  }
}

// Rows of Zt held in the SIMD kernel's memory in the packed layout the kernel reads (4-row panels, column p's
// four entries at 4p), so no block repacks them: the first product reads its columns r0.. in place, and the
// second writes its transpose V Yᵀ, whose 4 × 4 blocks are that layout. Panels are n + 4 columns long: the
// second product's padded columns stay in their panel.
class ResidentRows {
  private constructor(private readonly w: WasmGemm, private readonly mark: number, private readonly zo: number, private readonly rows: number, private readonly n: number) {}

  static enter(w: WasmGemm, Zt: Float64Array, rows: number, n: number): ResidentRows {
    const mark = w.mark();
    const ld = n + 4, size = 4 * panelCount(rows) * ld;
    const zo = w.zeros(size);
    const Z = w.view(zo, size);
    for (let i = 0; i < rows; i++) {
      const o = (i >> 2) * 4 * ld + (i & 3), s = i * n;
      for (let p = 0; p < n; p++) Z[o + 4 * p] = Zt[s + p];
    }
    return new ResidentRows(w, mark, zo, rows, n);
  }

  /** {@link applyBlockJs} on the resident rows: Y from zero over the whole depth, then Zt + Y Vᵀ per block. */
  apply(V: Float64Array, T: Float64Array, b: number, r0: number, len: number, tmp: Float64Array): void {
    const { w, zo, rows, n } = this;
    const ld = n + 4, mp = panelCount(rows), nb = panelCount(b), nl = panelCount(len);
    const mark = w.mark();
    try {
      // Everything reserved before any view is taken (growing the memory detaches views); the packings write
      // every entry, padding included, so only Y (added into) starts from zeros.
      const ys = 16 * nb; // −Y Tᵀ's packed panels, 4 × 4nb (see minusYTt)
      const pvto = w.reserve(nb * 4 * len), pyo = w.reserve(mp * ys), pvo = w.reserve(nl * 4 * b);
      const yo = w.zeros(4 * mp * 4 * nb);
      packTransposed(V, len, b, w.view(pvto, nb * 4 * len));
      w.runAdd(zo + r0 * 32, pvto, 4 * ld, 4 * len, len, yo, mp, nb, 4 * nb);
      minusYTt(w.view(yo, 4 * mp * 4 * nb), rows, b, T, w.view(pyo, mp * ys), tmp);
      packRows(V, len, b, b, w.view(pvo, nl * 4 * b));
      // Zt[:, r0:] += Y Vᵀ as (V Yᵀ)ᵀ, one panel of rows at a time (the same terms in the same order).
      for (let ib = 0; ib < mp; ib++) w.runAdd(pvo, pyo + ib * ys * 8, 4 * b, ys, b, zo + (ib * 4 * ld + 4 * r0) * 8, nl, 1, 4);
    } finally {
      w.reset(mark);
    }
  }

  leave(Zt: Float64Array): void {
    const { w, zo, rows, n } = this;
    const ld = n + 4;
    const Z = w.view(zo, 4 * panelCount(rows) * ld);
    for (let i = 0; i < rows; i++) {
      const o = (i >> 2) * 4 * ld + (i & 3), d = i * n;
      for (let p = 0; p < n; p++) Zt[d + p] = Z[o + 4 * p];
    }
    w.reset(this.mark);
  }
}

// −Y Tᵀ for Y (rows × 4nb, row-major) packed into `out` in 4-row panels 16nb doubles apart: the sums of
// timesMinusTt on the plain SIMD kernel, which adds the same products in the same order (the terms below T's
// diagonal it adds first are exact zeros), as (T Yᵀ)ᵀ one panel at a time so that it lands packed.
function minusYTt(Y: Float64Array, rows: number, b: number, T: Float64Array, out: Float64Array, tmp: Float64Array): void {
  const nb = panelCount(b), ld = 4 * nb, pw = plainWasmGemm();
  if (!pw) {
    timesMinusTt(Y, rows, b, ld, T, tmp);
    packRows(Y, rows, ld, ld, out);
    return;
  }
  const mp = panelCount(rows), mark = pw.mark();
  try {
    const to = pw.reserve(nb * 4 * b), yo = pw.reserve(mp * 4 * b), co = pw.zeros(out.length);
    packRows(T, b, b, b, pw.view(to, nb * 4 * b));
    packRows(Y, rows, b, ld, pw.view(yo, mp * 4 * b));
    for (let ib = 0; ib < mp; ib++) pw.run(to, yo + ib * 32 * b, 4 * b, 4 * b, b, co + ib * 4 * ld * 8, nb, 1, 4);
    const C = pw.view(co, out.length);
    for (let k = 0; k < C.length; k++) out[k] = -C[k];
  } finally {
    pw.reset(mark);
  }
}

// Vᵀ (b × len) packed in 4-row panels for V len × b row-major: V's rows read four columns at a time.
function packTransposed(V: Float64Array, len: number, b: number, P: Float64Array): Float64Array {
  for (let q = 0, np = panelCount(b); q < np; q++) {
    const o = q * 4 * len;
    for (let r = 0; r < len; r++) for (let c = 0; c < 4; c++) P[o + 4 * r + c] = 4 * q + c < b ? V[r * b + 4 * q + c] : 0;
  }
  return P;
}
