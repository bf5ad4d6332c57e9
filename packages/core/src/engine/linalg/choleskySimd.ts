import { choleskyUnblocked, solvePanel } from "../../numerics/dense/choleskyScalar.js";
import type { BlockSparse } from "./Dense.js";
import { diagonalBlockInverse } from "./triangularInverse.js";
import type { SimdKernels } from "./wasm/simdKernels.js";

/** Panel width: even (the SIMD kernel pairs the depth) and small enough to stay in cache. */
const PANEL = 48;

/**
 * The blocked right-looking Cholesky factorisation of `choleskyInPlace`, with the trailing update
 * (nearly all the flops) in a WebAssembly f64x2 kernel. The matrix is copied into the kernel's
 * memory, factored there, and its lower triangle copied back.
 *
 * The panel below each diagonal block, X = A₂₁L₁₁⁻ᵀ, is a product with the explicit inverse of the
 * 48 × 48 block, which the same kernel computes: four times faster than substitution in
 * JavaScript. The product's error is at most that of substitution when ‖L₁₁⁻¹‖ ≤ 1, which holds
 * for the matrices of mixed models: Λ'Z'ZΛ + I ≥ I, so are its Schur complements and their
 * diagonal blocks, so L₁₁L₁₁' ≥ I. A block whose inverse has an entry beyond 1 (the fixed effects,
 * any other matrix) is solved by substitution: there the explicit inverse can lose digits.
 */
export function choleskySimd(k: SimdKernels, a: Float64Array, n: number, stride: number, offset: number, update?: BlockSparse): boolean {
  const mem = choleskySimdFilled(k, n, (m) => {
    for (let r = 0; r < n; r++) m.set(a.subarray(offset + r * stride, offset + r * stride + r + 1), r * n);
  }, update);
  if (!mem) return false;
  for (let r = 0; r < n; r++) a.set(mem.subarray(r * n, r * n + r + 1), offset + r * stride);
  return true;
}

/**
 * The factorisation of `choleskySimd` for a matrix that `fill` writes straight into the kernels'
 * memory (lower triangle, row stride n, at 0), after C −= S Sᵀ when `update` (scalar entries) is
 * given. Returns the memory holding L the same way — valid until the kernels' next use: read what
 * is needed at once — or null if the matrix is not positive definite. Spares the two copies of a
 * large matrix when the caller needs only part of the factor.
 */
export function choleskySimdFilled(k: SimdKernels, n: number, fill: (m: Float64Array) => void, update?: BlockSparse): Float64Array | null {
  const panelAt = n * n;
  const solvedAt = panelAt + (n + PANEL) * PANEL;
  const updateAt = solvedAt + n * PANEL;
  const mem = k.doubles(updateAt + (update ? update.values.length * 2 + update.blockCols + 2 : 0));
  fill(mem);
  if (update) rankUpdate(k, mem, n, update, updateAt);
  for (let k0 = 0; k0 < n; k0 += PANEL) {
    const k1 = Math.min(n, k0 + PANEL), w = k1 - k0;
    if (!choleskyUnblocked(mem, w, n, k0 * n + k0)) return null;
    // The solved rows go both into the matrix and, packed, into the panel the trailing update reads.
    if (!(w === PANEL && solveByInverse(k, mem, n, k0, panelAt, solvedAt))) {
      solvePanel(mem, n, n, 0, k0, k1);
      for (let i = k1; i < n; i++) {
        const ri = i * n + k0;
        const pr = panelAt + (i - k1) * PANEL;
        mem.set(mem.subarray(ri, ri + w), pr);
        if (w < PANEL) mem.fill(0, pr + w, pr + PANEL);
      }
    }
    trailing(k, mem, n, n - k1, k1, panelAt, w);
  }
  return mem;
}

/** C −= S Sᵀ in the kernels' memory (S sparse, scalar entries, rows ascending per column): S is copied beside the matrix. */
function rankUpdate(k: SimdKernels, mem: Float64Array, n: number, s: BlockSparse, at: number): void {
  const { colPtr, rowIdx, values, blockCols } = s;
  const nnz = values.length;
  mem.set(values, at);
  const ints = new Int32Array(mem.buffer, mem.byteOffset + (at + nnz) * 8, blockCols + 1 + nnz);
  ints.set(colPtr);
  ints.set(rowIdx, blockCols + 1);
  const bytes = ints.byteOffset - mem.byteOffset;
  k.rankRows(bytes, bytes + (blockCols + 1) * 4, at * 8, blockCols, 0, n * 8, 0, n);
}

/** Largest entry of L₁₁⁻¹ for which the panel is solved through the inverse. */
const INVERSE_LIMIT = 1;

/**
 * The rows below the full diagonal block at k0 as X = A₂₁L₁₁⁻ᵀ: L₁₁⁻¹ and A₂₁ packed one after the
 * other, then C = −A₂₁(L₁₁⁻¹)ᵀ by the kernel, two rows at a time (an odd last row here); X goes into
 * the matrix and, packed, over the panel (the inverse is no longer needed). False, with the matrix
 * unchanged, when L₁₁⁻¹ is too large for the product to be as accurate as substitution.
 */
function solveByInverse(k: SimdKernels, mem: Float64Array, n: number, k0: number, panelAt: number, solvedAt: number): boolean {
  const w = PANEL, k1 = k0 + w, m = n - k1;
  if (m === 0) return true;
  // L₁₁⁻¹ by columns into the first w packed rows (row c holds (L₁₁⁻¹)[c][0..c], zeros after).
  mem.fill(0, panelAt, panelAt + w * PANEL);
  if (!(diagonalBlockInverse(mem, n, k0, w, panelAt, PANEL) <= INVERSE_LIMIT)) return false;
  const rowsAt = panelAt + w * PANEL;
  for (let r = 0; r < m; r++) mem.set(mem.subarray((k1 + r) * n + k0, (k1 + r) * n + k1), rowsAt + r * PANEL);
  mem.fill(0, solvedAt, solvedAt + m * PANEL);
  // Packed row w + r against packed rows j < w lands in row r of the solved block.
  const cBase = (solvedAt - w * PANEL) * 8;
  let r = 0;
  for (; r + 1 < m; r += 2) k.syrk24(panelAt * 8, PANEL * 8, cBase, PANEL * 8, w + r, w, w * 8);
  for (; r < m; r++) for (let c = 0; c < w; c++) mem[solvedAt + r * PANEL + c] = -dot(mem, rowsAt + r * PANEL, panelAt + c * PANEL, w);
  for (let q = 0; q < m; q++) {
    const row = (k1 + q) * n + k0, x = solvedAt + q * PANEL, packed = panelAt + q * PANEL;
    for (let c = 0; c < w; c++) mem[row + c] = mem[packed + c] = -mem[x + c];
  }
  return true;
}

/** C[i][j] −= P_i · P_j for j ≤ i over the m trailing rows: pairs of rows in WebAssembly, an odd last row here. */
function trailing(k: SimdKernels, mem: Float64Array, n: number, m: number, k1: number, panelAt: number, w: number): void {
  const base = k1 * n + k1;
  const depth = (w + (w & 1)) * 8;
  const pairs = m - (m & 1);
  if (pairs > 0) k.syrkRows(panelAt * 8, PANEL * 8, base * 8, n * 8, 0, pairs, depth);
  if (pairs < m) for (let j = 0; j <= pairs; j++) mem[base + pairs * n + j] -= dot(mem, panelAt + pairs * PANEL, panelAt + j * PANEL, w);
}

function dot(v: Float64Array, x: number, y: number, w: number): number {
  let s = 0;
  for (let t = 0; t < w; t++) s += v[x + t] * v[y + t];
  return s;
}
