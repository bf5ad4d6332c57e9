import { choleskySimd, choleskySimdFilled } from "./choleskySimd.js";
import type { BlockSparse, Dense } from "./Dense.js";
import { rankUpdateSparse } from "./kernels.js";
import { simdKernels } from "./wasm/simdKernels.js";

/**
 * In-place lower Cholesky factor of the leading n × n part of a row-major matrix with row stride
 * `stride` (only the lower triangle is read; entries above the diagonal may be overwritten with
 * scratch values). Returns false if the matrix is not numerically positive definite.
 */
export function choleskyInPlace(a: Float64Array, n: number, stride: number = n, offset = 0): boolean {
  if (n <= 2 * PANEL) return choleskyUnblocked(a, n, stride, offset);
  const simd = n >= SIMD_MIN ? simdKernels() : undefined;
  return simd ? choleskySimd(simd, a, n, stride, offset) : choleskyBlocked(a, n, stride, offset);
}

/**
 * chol(C − S Sᵀ) for a C that `fill` writes (lower triangle, row stride n, into the array it is
 * given) and S sparse by columns with its rows in C's numbering (the Schur complement of the first
 * grouping factor). On large C with scalar S, C is written straight into the SIMD kernels' memory
 * and the update runs there, split between threads: no copies of C. Returns the array holding L
 * (row stride n) — for a large C the kernels' memory, valid until their next use — or null if not
 * positive definite. `local` gives the caller's storage for the other cases (n × n).
 */
export function choleskyAfterRankUpdate(n: number, fill: (c: Float64Array) => void, s: BlockSparse | undefined, local: () => Dense): Float64Array | null {
  const simd = n >= SIMD_MIN && (!s || (s.kr === 1 && s.kc === 1)) ? simdKernels() : undefined;
  if (simd) return choleskySimdFilled(simd, n, fill, s);
  const c = local();
  fill(c.data);
  if (s) rankUpdateSparse(c, s);
  return choleskyInPlace(c.data, n) ? c.data : null;
}

/** From this size the copy into WebAssembly memory is repaid by the faster kernel. */
const SIMD_MIN = 192;

/** Panel width of the blocked factorisation: a panel of 48 columns stays in the L2 cache. */
const PANEL = 48;
let panelBuffer = new Float64Array(0);

/**
 * Right-looking blocked Cholesky: factor a diagonal block, solve the panel below it, then update
 * the trailing matrix from a packed copy of the panel with a 4 × 2 register block. Same arithmetic
 * as the unblocked loop, about 15 % faster on large blocks because the panel is read from cache.
 */
function choleskyBlocked(a: Float64Array, n: number, stride: number, offset: number): boolean {
  if (panelBuffer.length < n * PANEL) panelBuffer = new Float64Array(n * PANEL);
  const panel = panelBuffer;
  for (let k0 = 0; k0 < n; k0 += PANEL) {
    const k1 = Math.min(n, k0 + PANEL), w = k1 - k0;
    if (!choleskyUnblocked(a, w, stride, offset + k0 * stride + k0)) return false;
    solvePanel(a, n, stride, offset, k0, k1);
    for (let i = k1; i < n; i++) {
      const ri = offset + i * stride + k0;
      panel.set(a.subarray(ri, ri + w), (i - k1) * w);
    }
    trailingUpdate(a, panel, n - k1, w, stride, offset + k1 * stride + k1);
  }
  return true;
}

/**
 * The panel below a factored diagonal block: rows i ≥ k1, columns [k0, k1), each row solving
 * L11 x = row. Four rows at a time, so each row of L11 is read once per four solves.
 */
export function solvePanel(a: Float64Array, n: number, stride: number, offset: number, k0: number, k1: number): void {
  const w = k1 - k0;
  let i = k1;
  for (; i + 3 < n; i += 4) {
    const r0 = offset + i * stride + k0, r1 = r0 + stride, r2 = r1 + stride, r3 = r2 + stride;
    for (let c = 0; c < w; c++) {
      const rc = offset + (k0 + c) * stride + k0;
      let s0 = a[r0 + c], s1 = a[r1 + c], s2 = a[r2 + c], s3 = a[r3 + c];
      for (let t = 0; t < c; t++) {
        const l = a[rc + t];
        s0 -= a[r0 + t] * l;
        s1 -= a[r1 + t] * l;
        s2 -= a[r2 + t] * l;
        s3 -= a[r3 + t] * l;
      }
      const d = a[rc + c];
      a[r0 + c] = s0 / d;
      a[r1 + c] = s1 / d;
      a[r2 + c] = s2 / d;
      a[r3 + c] = s3 / d;
    }
  }
  for (; i < n; i++) {
    const ri = offset + i * stride + k0;
    for (let c = 0; c < w; c++) {
      let s = a[ri + c];
      const rc = offset + (k0 + c) * stride + k0;
      for (let t = 0; t < c; t++) s -= a[ri + t] * a[rc + t];
      a[ri + c] = s / a[rc + c];
    }
  }
}

/** A[i][j] -= P_i · P_j for j ≤ i over the m trailing rows; P packed m × w. */
function trailingUpdate(a: Float64Array, panel: Float64Array, m: number, w: number, stride: number, base: number): void {
  let i = 0;
  for (; i + 3 < m; i += 4) {
    const p0 = i * w, p1 = p0 + w, p2 = p1 + w, p3 = p2 + w;
    const r0 = base + i * stride, r1 = r0 + stride, r2 = r1 + stride, r3 = r2 + stride;
    for (let j = 0; j <= i + 2; j += 2) {
      const q0 = j * w, q1 = q0 + w;
      let s00 = 0, s01 = 0, s10 = 0, s11 = 0, s20 = 0, s21 = 0, s30 = 0, s31 = 0;
      for (let t = 0; t < w; t++) {
        const b0 = panel[q0 + t], b1 = panel[q1 + t];
        const x0 = panel[p0 + t], x1 = panel[p1 + t], x2 = panel[p2 + t], x3 = panel[p3 + t];
        s00 += x0 * b0; s01 += x0 * b1; s10 += x1 * b0; s11 += x1 * b1;
        s20 += x2 * b0; s21 += x2 * b1; s30 += x3 * b0; s31 += x3 * b1;
      }
      // Entries above the diagonal of this 4 × 2 tile are written too; they are never read.
      a[r0 + j] -= s00; a[r0 + j + 1] -= s01; a[r1 + j] -= s10; a[r1 + j + 1] -= s11;
      a[r2 + j] -= s20; a[r2 + j + 1] -= s21; a[r3 + j] -= s30; a[r3 + j + 1] -= s31;
    }
  }
  for (; i < m; i++) {
    const p0 = i * w, r0 = base + i * stride;
    for (let j = 0; j <= i; j++) {
      const q0 = j * w;
      let s = 0;
      for (let t = 0; t < w; t++) s += panel[p0 + t] * panel[q0 + t];
      a[r0 + j] -= s;
    }
  }
}

/**
 * Left-looking by pairs of rows with a 2 × 2 register block: each pass over two earlier rows serves
 * four dot products, halving memory traffic against the one-row textbook loop.
 */
export function choleskyUnblocked(a: Float64Array, n: number, stride: number, offset: number): boolean {
  let i = 0;
  for (; i + 1 < n; i += 2) {
    const ri = offset + i * stride;
    const ri1 = ri + stride;
    let j = 0;
    for (; j + 1 < i; j += 2) {
      const rj = offset + j * stride;
      const rj1 = rj + stride;
      let s00 = 0, s01 = 0, s10 = 0, s11 = 0;
      for (let t = 0; t < j; t++) {
        const a0 = a[ri + t], a1 = a[ri1 + t], b0 = a[rj + t], b1 = a[rj1 + t];
        s00 += a0 * b0;
        s01 += a0 * b1;
        s10 += a1 * b0;
        s11 += a1 * b1;
      }
      const l00 = (a[ri + j] - s00) / a[rj + j];
      const l10 = (a[ri1 + j] - s10) / a[rj + j];
      const bj1j = a[rj1 + j];
      a[ri + j] = l00;
      a[ri1 + j] = l10;
      a[ri + j + 1] = (a[ri + j + 1] - s01 - l00 * bj1j) / a[rj1 + j + 1];
      a[ri1 + j + 1] = (a[ri1 + j + 1] - s11 - l10 * bj1j) / a[rj1 + j + 1];
    }
    for (; j < i; j++) {
      const rj = offset + j * stride;
      let s0 = 0, s1 = 0;
      for (let t = 0; t < j; t++) {
        const b = a[rj + t];
        s0 += a[ri + t] * b;
        s1 += a[ri1 + t] * b;
      }
      a[ri + j] = (a[ri + j] - s0) / a[rj + j];
      a[ri1 + j] = (a[ri1 + j] - s1) / a[rj + j];
    }
    // The 2 × 2 diagonal block.
    let d0 = 0, c = 0, d1 = 0;
    for (let t = 0; t < i; t++) {
      const x = a[ri + t], y = a[ri1 + t];
      d0 += x * x;
      c += y * x;
      d1 += y * y;
    }
    const p0 = a[ri + i] - d0;
    if (!(p0 > 0)) return false;
    const l0 = Math.sqrt(p0);
    a[ri + i] = l0;
    const l10 = (a[ri1 + i] - c) / l0;
    a[ri1 + i] = l10;
    const p1 = a[ri1 + i + 1] - d1 - l10 * l10;
    if (!(p1 > 0)) return false;
    a[ri1 + i + 1] = Math.sqrt(p1);
  }
  if (i < n) {
    const ri = offset + i * stride;
    for (let j = 0; j < i; j++) {
      const rj = offset + j * stride;
      let s = 0;
      for (let t = 0; t < j; t++) s += a[ri + t] * a[rj + t];
      a[ri + j] = (a[ri + j] - s) / a[rj + j];
    }
    let d = 0;
    for (let t = 0; t < i; t++) d += a[ri + t] * a[ri + t];
    const p = a[ri + i] - d;
    if (!(p > 0)) return false;
    a[ri + i] = Math.sqrt(p);
  }
  return true;
}

/** Solves L x = b in place (forward substitution); L lower, row-major with the given stride/offset. */
export function forwardSolve(l: Float64Array, n: number, stride: number, offset: number, x: Float64Array, xOffset = 0): void {
  for (let i = 0; i < n; i++) {
    const ri = offset + i * stride;
    let s = x[xOffset + i];
    for (let t = 0; t < i; t++) s -= l[ri + t] * x[xOffset + t];
    x[xOffset + i] = s / l[ri + i];
  }
}

/** Solves L' x = b in place (back substitution with the transpose of a lower factor). */
export function backSolveTransposed(l: Float64Array, n: number, stride: number, offset: number, x: Float64Array, xOffset = 0): void {
  for (let i = n - 1; i >= 0; i--) {
    const xi = (x[xOffset + i] /= l[offset + i * stride + i]);
    const ri = offset + i * stride;
    for (let t = 0; t < i; t++) x[xOffset + t] -= l[ri + t] * xi;
  }
}
