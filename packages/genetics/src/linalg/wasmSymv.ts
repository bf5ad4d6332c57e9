// A WebAssembly SIMD kernel for the symmetric matrix–vector product of the Householder tridiagonalisation
// (tridiagonal.ts): p += S v over the lower triangle of a trailing block S, read row by row, each entry used
// twice (row r's dot product with v, and its column's share r ↦ p[q]). This product is half the flops of the
// reduction and the part the GEMM kernel cannot take; f64x2 lanes (fused multiply-adds with relaxed SIMD)
// make it about twice as fast as scalar JavaScript. The matrix lives in the kernel's own memory while the
// reduction runs. Written with the core's assembler.
import { relaxedSimd, wasm } from "@lmm/core/wasm";
import { gemmKernel } from "./wasmGemm.js";
import { columnUpdateKernel, correctedProductKernel, transposedProductsKernel } from "./wasmPanel.js";

const { I32, V128, F64, get, set, block, loop, brIf, br, v128Load, v128Store, v128Zero, f64x2Add, f64x2Mul, f64x2RelaxedMadd, f64x2ExtractLane } = wasm;
const i32c = wasm.i32;
const add = wasm.i32Add, mul = wasm.i32Mul, geS = wasm.i32GeS, gtS = wasm.i32GtS;
const { f64Load, f64Store, f64Mul, f64Add } = wasm;
const splat = wasm.v128Load64Splat;

// symv(a, ld, c1, n, v, p): for c1 ≤ q ≤ r < n, with S[r][q] at byte a + r·ld + 8q:
// p[q] += S[r][q] v[r] and p[r] += S[r][q] v[q] (q < r), p[r] += S[r][r] v[r]. v and p are byte bases.
// Rows go two at a time: over the columns both rows have, v and p are loaded once and p[q] takes row r's term
// then row r + 1's, as when the rows run one after the other; the two dot products are independent chains
// (twice the arithmetic in flight). Every sum is the one-row loop's to the last bit.
function kernel(fma: boolean): wasm.WasmFunction {
  const [a, ld, c1, n, v, p] = [0, 1, 2, 3, 4, 5];
  const [r, qb, rb, row, row2, rb2] = [6, 7, 8, 9, 10, 11];
  const [acc, vr, x, acc2, vr2, x2, vq, pq] = [12, 13, 14, 15, 16, 17, 18, 19];
  const [s, e] = [20, 21];
  const madd = (xs: number[], ys: number[], zs: number[]) => (fma ? [...xs, ...ys, ...zs, ...f64x2RelaxedMadd] : [...zs, ...xs, ...ys, ...f64x2Mul, ...f64x2Add]);
  const at = (base: number, off: number) => [...get(base), ...get(off), ...add];
  // Pairs (q, q + 1) of one row while q + 1 < r.
  const pairs = (rowAt: number, rowB: number, accumulator: number, vRow: number) => block(loop(
    [...get(qb), ...i32c(16), ...add, ...get(rowB), ...gtS, ...brIf(1)],
    [...at(rowAt, qb), ...v128Load(0), ...set(x)],
    [...madd(get(x), [...at(v, qb), ...v128Load(0)], get(accumulator)), ...set(accumulator)],
    [...at(p, qb), ...madd(get(x), get(vRow), [...at(p, qb), ...v128Load(0)]), ...v128Store(0)],
    [...get(qb), ...i32c(16), ...add, ...set(qb)],
    br(0),
  ));
  // Pairs both rows r and r + 1 have (those of row r).
  const pairsOfTwo = block(loop(
    [...get(qb), ...i32c(16), ...add, ...get(rb), ...gtS, ...brIf(1)],
    [...at(row, qb), ...v128Load(0), ...set(x)],
    [...at(row2, qb), ...v128Load(0), ...set(x2)],
    [...at(v, qb), ...v128Load(0), ...set(vq)],
    [...madd(get(x), get(vq), get(acc)), ...set(acc)],
    [...madd(get(x2), get(vq), get(acc2)), ...set(acc2)],
    [...madd(get(x), get(vr), [...at(p, qb), ...v128Load(0)]), ...set(pq)],
    [...at(p, qb), ...madd(get(x2), get(vr2), get(pq)), ...v128Store(0)],
    [...get(qb), ...i32c(16), ...add, ...set(qb)],
    br(0),
  ));
  // The row's dot product, at most one entry left before the diagonal, then p[r] += s + S[r][r] v[r].
  const finish = (rowAt: number, rowB: number, accumulator: number) => [
    ...get(accumulator), ...f64x2ExtractLane(0), ...get(accumulator), ...f64x2ExtractLane(1), ...f64Add, ...set(s),
    ...block(
      [...get(qb), ...get(rowB), ...geS, ...brIf(0)],
      [...at(rowAt, qb), ...f64Load(0), ...set(e)],
      [...get(s), ...get(e), ...at(v, qb), ...f64Load(0), ...f64Mul, ...f64Add, ...set(s)],
      [...at(p, qb), ...at(p, qb), ...f64Load(0), ...get(e), ...at(v, rowB), ...f64Load(0), ...f64Mul, ...f64Add, ...f64Store(0)],
    ),
    ...at(p, rowB), ...at(p, rowB), ...f64Load(0), ...get(s), ...at(rowAt, rowB), ...f64Load(0), ...at(v, rowB), ...f64Load(0), ...f64Mul, ...f64Add, ...f64Add, ...f64Store(0),
  ];
  const startRow = (rowAt: number, rowB: number, accumulator: number, vRow: number, offset: number) => [
    ...get(a), ...get(r), ...(offset ? [...i32c(offset), ...add] : []), ...get(ld), ...mul, ...add, ...set(rowAt),
    ...get(r), ...(offset ? [...i32c(offset), ...add] : []), ...i32c(3), ...wasm.i32Shl, ...set(rowB),
    ...at(v, rowB), ...splat(0), ...set(vRow),
    ...v128Zero, ...set(accumulator),
  ];
  const twoRows = block(loop(
    [...get(r), ...i32c(1), ...add, ...get(n), ...geS, ...brIf(1)],
    startRow(row, rb, acc, vr, 0),
    startRow(row2, rb2, acc2, vr2, 1),
    [...get(c1), ...i32c(3), ...wasm.i32Shl, ...set(qb)],
    pairsOfTwo,
    finish(row, rb, acc),
    // Row r + 1's last pair (its columns r − 1, r) comes after row r is finished, as in the one-row order.
    pairs(row2, rb2, acc2, vr2),
    finish(row2, rb2, acc2),
    [...get(r), ...i32c(2), ...add, ...set(r)],
    br(0),
  ));
  const lastRow = block(
    [...get(r), ...get(n), ...geS, ...brIf(0)],
    startRow(row, rb, acc, vr, 0),
    [...get(c1), ...i32c(3), ...wasm.i32Shl, ...set(qb)],
    pairs(row, rb, acc, vr),
    finish(row, rb, acc),
  );
  return { name: "symv", params: 6, locals: [[6, I32], [8, V128], [2, F64]], body: [...get(c1), ...set(r), ...twoRows, ...lastRow] };
}

type SymvFn = (a: number, ld: number, c1: number, n: number, v: number, p: number) => void;
type GemmFn = (ap: number, bp: number, lda: number, ldb: number, k: number, c: number, mp: number, np: number, ldc: number) => void;
type GemmAddFn = (ap: number, bp: number, lda: number, ldb: number, k: number, c: number, mp: number, np: number, ldc: number) => void;
type ColumnUpdateFn = (a: number, lda: number, vc: number, wc: number, ldc: number, pairs: number, vrow: number, wrow: number, j: number) => void;
type TransposedProductsFn = (vr: number, wr: number, ld: number, count: number, j: number, wv: number, vv: number) => void;
type CorrectedProductFn = (p: number, vc: number, wc: number, ldc: number, pairs: number, wv: number, vv: number, j: number, tp: number) => void;

/**
 * The panel of the blocked reduction (`width` columns; rows are panel-local, row ℓ = matrix row i + ℓ of the
 * panel starting at column i) in the workspace's memory, row-major and column-major, with the kernels of
 * wasmPanel.ts on it. Each call's numbers are those of the JavaScript loops it replaces in tridiagonal.ts.
 */
export interface PanelWorkspace {
  width: number;
  /** Row-major, row ℓ at ℓ · width (n + 1 rows). */
  V: Float64Array;
  W: Float64Array;
  /** Column-major, column q at q · ldc. */
  Vc: Float64Array;
  Wc: Float64Array;
  ldc: number;
  /** Wᵀv and Vᵀv of the current column (width + 1 entries). */
  wv: Float64Array;
  vv: Float64Array;
  /** A[r][c] −= Σ_{q<j} V[r][q] W[c][q] + W[r][q] V[c][q] for rows r = c … c + 2·pairs − 1 (ℓ0 = c − i). */
  columnUpdate(c: number, l0: number, j: number, pairs: number): void;
  /** wv, vv over panel rows l1 … l1 + count − 1 against column j. */
  transposedProducts(l1: number, count: number, j: number): void;
  /** p[r] = τ (p[r] − V[r] wv − W[r] vv) for rows r = c1 … c1 + 2·pairs − 1 (ℓ1 = c1 − i); returns pv + Σ p[r] V[r][j]. */
  correctedProduct(c1: number, l1: number, pairs: number, j: number, t: number, pv: number): number;
}

/** A matrix of order n and two vectors in the kernel's memory, with the product on them. */
export interface SymvWorkspace {
  /** Row-major n × n (a view on the workspace's own memory). */
  A: Float64Array;
  v: Float64Array;
  p: Float64Array;
  /** p[c1..n) += S v[c1..n) for the trailing block S = A[c1.., c1..] (lower triangle read). */
  product(c1: number): void;
  /**
   * A[off + r n + c] += Σ_q X[r, q] Y[c, q] for c ≤ r < s (rows' diagonal blocks whole; X, Y packed 4-row panels
   * of depth k ≤ `maxDepth`), each 4 × 4 block's sum formed from zero and then added: the numbers of the GEMM
   * kernel into scratch added afterwards.
   */
  lowerUpdate(xp: Float64Array, yp: Float64Array, s: number, k: number, off: number): void;
  /** The reduction's panel, `maxDepth / 2` columns wide. */
  panel: PanelWorkspace;
}

let compiled: { fma: boolean; module: WebAssembly.Module } | null | undefined;

/**
 * A workspace for a matrix of order n, or undefined where WebAssembly SIMD is unavailable or the memory
 * cannot grow. Each call has its own instance, whose memory is freed with the workspace.
 *
 * @example
 * ```ts
 * const ws = symvWorkspace(n); if (ws) { ws.A.set(A); ws.v.set(x); ws.p.fill(0); ws.product(0); }
 * ```
 */
export function symvWorkspace(n: number, maxDepth = 64): SymvWorkspace | undefined {
  try {
    if (typeof WebAssembly === "undefined") return undefined;
    const fma = relaxedSimd();
    if (compiled === undefined || (compiled && compiled.fma !== fma)) {
      const bytes = wasm.moduleBytes([kernel(fma), gemmKernel(fma), gemmKernel(fma, true), columnUpdateKernel(), transposedProductsKernel(), correctedProductKernel()]);
      compiled = WebAssembly.validate(bytes) ? { fma, module: new WebAssembly.Module(bytes) } : null;
    }
    if (!compiled) return undefined;
    // A, v, p, then the packed operands of the rank-2k update, a 4 × n scratch row panel, and the reduction's
    // panel: V and W row-major, then column-major, then wv, vv and [τ, pv].
    const panel = (n + 3 >> 2) * 4 * maxDepth;
    const xo = (n * n + 2 * n) * 8, yo = xo + panel * 8, so = yo + panel * 8;
    const width = maxDepth >> 1, ldc = n + 2;
    const vro = so + 4 * (n + 4) * 8, wro = vro + (n + 1) * width * 8;
    const vco = wro + (n + 1) * width * 8, wco = vco + width * ldc * 8;
    const wvo = wco + width * ldc * 8, vvo = wvo + (width + 2) * 8, tpo = vvo + (width + 2) * 8;
    const bytes = tpo + 16;
    if (bytes > 2 ** 31) return undefined; // i32 addressing in the kernel
    const exports = new WebAssembly.Instance(compiled.module).exports;
    const memory = exports.memory as WebAssembly.Memory, symv = exports.symv as SymvFn;
    const gemm = exports.gemm as GemmFn, gemmAdd = exports.gemmAdd as GemmAddFn;
    const columnUpdate = exports.columnUpdate as ColumnUpdateFn, transposedProducts = exports.transposedProducts as TransposedProductsFn;
    const correctedProduct = exports.correctedProduct as CorrectedProductFn;
    if (memory.buffer.byteLength < bytes) memory.grow(Math.ceil((bytes - memory.buffer.byteLength) / 65536));
    const buffer = memory.buffer;
    const f64 = new Float64Array(buffer);
    const A = new Float64Array(buffer, 0, n * n);
    const v = new Float64Array(buffer, n * n * 8, n);
    const p = new Float64Array(buffer, (n * n + n) * 8, n);
    const ld = n * 8, vb = n * n * 8, pb = (n * n + n) * 8;
    const lowerUpdate = (xp: Float64Array, yp: Float64Array, s: number, k: number, off: number) => {
      const np = (s + 3) >> 2;
      f64.set(xp.subarray(0, np * 4 * k), xo / 8);
      f64.set(yp.subarray(0, np * 4 * k), yo / 8);
      for (let ib = 0; ib < np; ib++) {
        const c = off * 8 + ib * 4 * ld;
        if (4 * ib + 4 <= s) {
          gemmAdd(xo + ib * 32 * k, yo, 32 * k, 32 * k, k, c, 1, ib + 1, ld);
        } else {
          // The last, partial row panel: its padded rows and columns would fall outside the matrix.
          const live = s - 4 * ib, cols = s, sc = so / 8, sld = 4 * (ib + 1);
          f64.fill(0, sc, sc + 4 * sld);
          gemm(xo + ib * 32 * k, yo, 32 * k, 32 * k, k, so, 1, ib + 1, 8 * sld);
          for (let r = 0; r < live; r++) for (let j = 0; j < cols; j++) A[off + (4 * ib + r) * n + j] += f64[sc + r * sld + j];
        }
      }
    };
    const panelWs: PanelWorkspace = {
      width, ldc,
      V: new Float64Array(buffer, vro, (n + 1) * width), W: new Float64Array(buffer, wro, (n + 1) * width),
      Vc: new Float64Array(buffer, vco, width * ldc), Wc: new Float64Array(buffer, wco, width * ldc),
      wv: new Float64Array(buffer, wvo, width + 1), vv: new Float64Array(buffer, vvo, width + 1),
      columnUpdate: (c, l0, j, pairs) => columnUpdate((c * n + c) * 8, ld, vco + l0 * 8, wco + l0 * 8, ldc * 8, pairs, vro + l0 * width * 8, wro + l0 * width * 8, j),
      transposedProducts: (l1, count, j) => transposedProducts(vro + l1 * width * 8, wro + l1 * width * 8, width * 8, count, j, wvo, vvo),
      correctedProduct: (c1, l1, pairs, j, t, pv) => {
        f64[tpo / 8] = t;
        f64[tpo / 8 + 1] = pv;
        correctedProduct(pb + c1 * 8, vco + l1 * 8, wco + l1 * 8, ldc * 8, pairs, wvo, vvo, j, tpo);
        return f64[tpo / 8 + 1];
      },
    };
    return { A, v, p, product: (c1) => symv(0, ld, c1, n, vb, pb), lowerUpdate, panel: panelWs };
  } catch {
    return undefined;
  }
}
