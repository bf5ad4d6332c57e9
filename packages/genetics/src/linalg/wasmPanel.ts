// WebAssembly SIMD (f64x2) kernels for the panel step of the blocked tridiagonalisation (tridiagonal.ts,
// LAPACK's dlatrd): per column, its update by the panel's earlier reflectors, and the two small products that
// correct the symmetric product for the updates not yet applied. They are small (a panel is 32 columns wide)
// but run once per column over every trailing row, and in scalar JavaScript they took a third of the
// reduction. Lanes hold two rows (or two panel columns); each sum runs in the JavaScript loop's order with a
// separate multiply and add, so every number is that loop's to the last bit. The panel is kept twice: row-major
// (V, W: row ℓ of the panel at ℓ·NB) and column-major (Vc, Wc: column q at q·ldc), each layout read where its
// rows or columns are the contiguous pairs. Addresses are bytes. Written with the core's assembler.
import { wasm } from "@lmm/core/wasm";

const { I32, V128, F64, get, set, block, loop, brIf, br, v128Load, v128Store, v128Zero, f64x2Add, f64x2Mul, f64x2ExtractLane } = wasm;
const i32c = wasm.i32;
const add = wasm.i32Add, mul = wasm.i32Mul, geS = wasm.i32GeS;
const { f64Load, f64Store, f64Mul, f64Add, f64Sub } = wasm;
const splat = wasm.v128Load64Splat;
const f64x2Sub = [0xfd, ...wasm.uleb(0xf1)];
const at = (base: number, off: number) => [...get(base), ...get(off), ...add];
const inc = (local: number, by: number[]) => [...get(local), ...by, ...add, ...set(local)];

/**
 * Over the panel's columns q < j for the row pair at byte `ko` of the columns vc, wc (ldc bytes apart):
 * acc ← acc ∘ ((Vc[q][k..] · a[q]) + (Wc[q][k..] · b[q])), with ∘ the given f64x2 add or subtract and a, b
 * scalar arrays (addresses) read at q. Locals: acc, q8, j8 (= 8j), colV, colW.
 */
function overPanelColumns(
  locals: { acc: number; q8: number; j8: number; colV: number; colW: number; vc: number; wc: number; ko: number; ldc: number },
  a: number, b: number, combine: number[],
): number[][] {
  const { acc, q8, j8, colV, colW, vc, wc, ko, ldc } = locals;
  return [
    [...i32c(0), ...set(q8), ...at(vc, ko), ...set(colV), ...at(wc, ko), ...set(colW)],
    block(loop(
      [...get(q8), ...get(j8), ...geS, ...brIf(1)],
      [...get(acc), ...get(colV), ...v128Load(0), ...at(a, q8), ...splat(0), ...f64x2Mul],
      [...get(colW), ...v128Load(0), ...at(b, q8), ...splat(0), ...f64x2Mul, ...f64x2Add, ...combine, ...set(acc)],
      inc(colV, get(ldc)), inc(colW, get(ldc)), inc(q8, i32c(8)),
      br(0),
    )),
  ];
}

/**
 * columnUpdate(a, lda, vc, wc, ldc, pairs, vrow, wrow, j): for rows k < 2·pairs of the column at `a` (stride
 * lda), A[k] −= Σ_{q<j} (Vc[q][k]·W_c[q] + Wc[q][k]·V_c[q]), with V_c, W_c the column's own panel row (vrow,
 * wrow) and column q of Vc, Wc at vc + q·ldc, wc + q·ldc.
 */
export function columnUpdateKernel(): wasm.WasmFunction {
  const [a, lda, vc, wc, ldc, pairs, vrow, wrow, j] = [0, 1, 2, 3, 4, 5, 6, 7, 8];
  const [k, ko, q8, colV, colW, rowA, j8] = [9, 10, 11, 12, 13, 14, 15];
  const [acc] = [16];
  const body = [
    ...get(j), ...i32c(8), ...mul, ...set(j8),
    ...i32c(0), ...set(k),
    ...block(loop(
      [...get(k), ...get(pairs), ...geS, ...brIf(1)],
      [...v128Zero, ...set(acc), ...get(k), ...i32c(16), ...mul, ...set(ko)],
      // acc + ((V_r · W_c) + (W_r · V_c)), as `s += V[r][q] * wc + W[r][q] * vc`.
      ...overPanelColumns({ acc, q8, j8, colV, colW, vc, wc, ko, ldc }, wrow, vrow, f64x2Add),
      [...get(a), ...get(k), ...i32c(2), ...mul, ...get(lda), ...mul, ...add, ...set(rowA)],
      [...get(rowA), ...get(rowA), ...f64Load(0), ...get(acc), ...f64x2ExtractLane(0), ...f64Sub, ...f64Store(0)],
      [...at(rowA, lda), ...at(rowA, lda), ...f64Load(0), ...get(acc), ...f64x2ExtractLane(1), ...f64Sub, ...f64Store(0)],
      inc(k, i32c(1)),
      br(0),
    )),
  ];
  return { name: "columnUpdate", params: 9, locals: [[7, I32], [1, V128]], body };
}

/**
 * transposedProducts(vr, wr, ld, count, j, wv, vv): wv[q] = Σ_k W[k][q]·V[k][j], vv[q] = Σ_k V[k][q]·V[k][j]
 * over rows k < count of the row-major panel (rows ld bytes apart), for q < j rounded up to even (an odd j's
 * last lane is written and never read).
 */
export function transposedProductsKernel(): wasm.WasmFunction {
  const [vr, wr, ld, count, j, wv, vv] = [0, 1, 2, 3, 4, 5, 6];
  const [q16, end, k, row, j8] = [7, 8, 9, 10, 11];
  const [accW, accV, s] = [12, 13, 14];
  const body = [
    ...get(j), ...i32c(8), ...mul, ...set(j8),
    ...get(j), ...i32c(1), ...add, ...i32c(1), ...wasm.i32ShrU, ...i32c(16), ...mul, ...set(end),
    ...i32c(0), ...set(q16),
    ...block(loop(
      [...get(q16), ...get(end), ...geS, ...brIf(1)],
      [...v128Zero, ...set(accW), ...v128Zero, ...set(accV), ...i32c(0), ...set(k), ...i32c(0), ...set(row)],
      block(loop(
        [...get(k), ...get(count), ...geS, ...brIf(1)],
        [...get(vr), ...get(row), ...add, ...get(j8), ...add, ...splat(0), ...set(s)],
        // wv[q] += W[k][q] · V[k][j], vv[q] += V[k][q] · V[k][j]
        [...get(accW), ...get(wr), ...get(row), ...add, ...get(q16), ...add, ...v128Load(0), ...get(s), ...f64x2Mul, ...f64x2Add, ...set(accW)],
        [...get(accV), ...get(vr), ...get(row), ...add, ...get(q16), ...add, ...v128Load(0), ...get(s), ...f64x2Mul, ...f64x2Add, ...set(accV)],
        inc(row, get(ld)), inc(k, i32c(1)),
        br(0),
      )),
      [...at(wv, q16), ...get(accW), ...v128Store(0)],
      [...at(vv, q16), ...get(accV), ...v128Store(0)],
      inc(q16, i32c(16)),
      br(0),
    )),
  ];
  return { name: "transposedProducts", params: 7, locals: [[5, I32], [3, V128]], body };
}

/**
 * correctedProduct(p, vc, wc, ldc, pairs, wv, vv, j, tp): for rows k < 2·pairs,
 * p[k] = τ·(p[k] − Σ_{q<j} (Vc[q][k]·wv[q] + Wc[q][k]·vv[q])), and pv += p[k]·Vc[j][k] in row order;
 * τ and pv are the two doubles at tp (pv read and written back).
 */
export function correctedProductKernel(): wasm.WasmFunction {
  const [p, vc, wc, ldc, pairs, wv, vv, j, tp] = [0, 1, 2, 3, 4, 5, 6, 7, 8];
  const [k, ko, q8, colV, colW, colJ, j8] = [9, 10, 11, 12, 13, 14, 15];
  const [acc, tau] = [16, 17];
  const [pv] = [18];
  const body = [
    ...get(j), ...i32c(8), ...mul, ...set(j8),
    ...get(vc), ...get(j), ...get(ldc), ...mul, ...add, ...set(colJ),
    ...get(tp), ...splat(0), ...set(tau),
    ...get(tp), ...f64Load(8), ...set(pv),
    ...i32c(0), ...set(k),
    ...block(loop(
      [...get(k), ...get(pairs), ...geS, ...brIf(1)],
      [...get(k), ...i32c(16), ...mul, ...set(ko), ...at(p, ko), ...v128Load(0), ...set(acc)],
      // acc − ((V_k · wv_q) + (W_k · vv_q)), as `s -= V[r][q] * wv[q] + W[r][q] * vv[q]`.
      ...overPanelColumns({ acc, q8, j8, colV, colW, vc, wc, ko, ldc }, wv, vv, f64x2Sub),
      [...get(acc), ...get(tau), ...f64x2Mul, ...set(acc)],
      [...at(p, ko), ...get(acc), ...v128Store(0)],
      [...get(pv), ...get(acc), ...f64x2ExtractLane(0), ...at(colJ, ko), ...f64Load(0), ...f64Mul, ...f64Add, ...set(pv)],
      [...get(pv), ...get(acc), ...f64x2ExtractLane(1), ...at(colJ, ko), ...f64Load(8), ...f64Mul, ...f64Add, ...set(pv)],
      inc(k, i32c(1)),
      br(0),
    )),
    ...get(tp), ...get(pv), ...f64Store(8),
  ];
  return { name: "correctedProduct", params: 9, locals: [[7, I32], [2, V128], [1, F64]], body };
}
