// Dense matrix products on Float64Array with a 4×4 register-blocked kernel over packed panels; the
// WebAssembly SIMD kernel of wasmGemm.ts takes over where the engine supports it (about 4× faster).
import { wasmGemm, type WasmGemm } from "./wasmGemm.js";

// Packing: a "row panel" holds 4 consecutive rows of an operand interleaved, p-major
// (panel[p * 4 + r] = row r, column p), zero-padded to a multiple of 4 rows, so the kernel reads both
// operands sequentially. This is what makes plain JavaScript reach 2+ GFMA/s per core here.

/** Number of 4-row panels for `rows` rows. */
export function panelCount(rows: number): number {
  return (rows + 3) >> 2;
}

/**
 * Packs a row-major matrix (`rows` × `cols`, leading dimension `ld`) into 4-row panels of length `cols`.
 * `out` needs panelCount(rows) * 4 * cols entries.
 */
export function packRows(src: Float64Array, rows: number, cols: number, ld: number, out: Float64Array): Float64Array {
  const panels = panelCount(rows);
  for (let b = 0; b < panels; b++) {
    const base = b * 4 * cols;
    for (let r = 0; r < 4; r++) {
      const row = 4 * b + r;
      if (row < rows) {
        const s = row * ld;
        for (let p = 0; p < cols; p++) out[base + p * 4 + r] = src[s + p];
      } else {
        for (let p = 0; p < cols; p++) out[base + p * 4 + r] = 0;
      }
    }
  }
  return out;
}

/**
 * Packs the transpose of a column-major block — `cols` columns of length `ld` (e.g. SNP-major genotypes),
 * rows `row0` … `row0 + rows − 1` of each — into 4-row panels of length `cols`, as {@link packRows} packs the
 * row-major transpose, without forming it: each panel reads four neighbouring entries of every column.
 */
export function packColumns(src: Float64Array, ld: number, row0: number, rows: number, cols: number, out: Float64Array): Float64Array {
  const panels = panelCount(rows);
  for (let b = 0; b < panels; b++) {
    const base = b * 4 * cols, r0 = row0 + 4 * b;
    if (4 * b + 4 <= rows) {
      for (let p = 0, o = base, s = r0; p < cols; p++, o += 4, s += ld) {
        out[o] = src[s]; out[o + 1] = src[s + 1]; out[o + 2] = src[s + 2]; out[o + 3] = src[s + 3];
      }
    } else {
      const live = rows - 4 * b;
      for (let p = 0; p < cols; p++) for (let r = 0; r < 4; r++) out[base + p * 4 + r] = r < live ? src[p * ld + r0 + r] : 0;
    }
  }
  return out;
}

const edge = new Float64Array(16);

/**
 * C[i, j] += Σ_p A[i, p] B[j, p] for one 4×4 block, with A and B given as packed 4-row panels
 * starting at `aOff`/`bOff` (so both operands are "rows" and the product is A Bᵀ), over p in [0, k).
 * C is addressed as C[cOff + i * rs + j * cs]; only the first `mr` × `nr` entries are written.
 */
export function kernel4x4(
  A: Float64Array, aOff: number, B: Float64Array, bOff: number, k: number,
  C: Float64Array, cOff: number, rs: number, cs: number, mr: number, nr: number,
): void {
  let c00 = 0, c01 = 0, c02 = 0, c03 = 0, c10 = 0, c11 = 0, c12 = 0, c13 = 0;
  let c20 = 0, c21 = 0, c22 = 0, c23 = 0, c30 = 0, c31 = 0, c32 = 0, c33 = 0;
  for (let p = 0, a = aOff, b = bOff; p < k; p++, a += 4, b += 4) {
    const b0 = B[b], b1 = B[b + 1], b2 = B[b + 2], b3 = B[b + 3];
    const a0 = A[a], a1 = A[a + 1], a2 = A[a + 2], a3 = A[a + 3];
    c00 += a0 * b0; c01 += a0 * b1; c02 += a0 * b2; c03 += a0 * b3;
    c10 += a1 * b0; c11 += a1 * b1; c12 += a1 * b2; c13 += a1 * b3;
    c20 += a2 * b0; c21 += a2 * b1; c22 += a2 * b2; c23 += a2 * b3;
    c30 += a3 * b0; c31 += a3 * b1; c32 += a3 * b2; c33 += a3 * b3;
  }
  if (mr === 4 && nr === 4) {
    let o = cOff;
    C[o] += c00; C[o + cs] += c01; C[o + 2 * cs] += c02; C[o + 3 * cs] += c03; o += rs;
    C[o] += c10; C[o + cs] += c11; C[o + 2 * cs] += c12; C[o + 3 * cs] += c13; o += rs;
    C[o] += c20; C[o + cs] += c21; C[o + 2 * cs] += c22; C[o + 3 * cs] += c23; o += rs;
    C[o] += c30; C[o + cs] += c31; C[o + 2 * cs] += c32; C[o + 3 * cs] += c33;
    return;
  }
  edge[0] = c00; edge[1] = c01; edge[2] = c02; edge[3] = c03;
  edge[4] = c10; edge[5] = c11; edge[6] = c12; edge[7] = c13;
  edge[8] = c20; edge[9] = c21; edge[10] = c22; edge[11] = c23;
  edge[12] = c30; edge[13] = c31; edge[14] = c32; edge[15] = c33;
  for (let i = 0; i < mr; i++) for (let j = 0; j < nr; j++) C[cOff + i * rs + j * cs] += edge[i * 4 + j];
}

/** Depth of the k-blocking: panels of 4 × KC doubles (8 KB) stay in L1 while the kernel runs. */
export const KC = 256;

/** Width (in 4-row panels) of the B chunks of the SIMD product. */
const NC = 64;

/**
 * C += A Bᵀ for packed operands: A has `m` rows, B has `n` rows, both `k` columns, packed with {@link packRows}.
 * C entry (i, j) lives at C[cOff + i * rs + j * cs]. `simd` chooses the kernel (default: SIMD where it is
 * available and the product is large enough to pay for copying the operands).
 *
 * @example
 * ```ts
 * // C (m × n, row-major) += A Bᵀ
 * gemmPacked(packRows(A, m, k, k, pa), m, packRows(B, n, k, k, pb), n, k, C, 0, n, 1);
 * ```
 */
export function gemmPacked(
  Ap: Float64Array, m: number, Bp: Float64Array, n: number, k: number,
  C: Float64Array, cOff: number, rs: number, cs: number, simd = m * n * k >= 65536,
): void {
  const w = simd ? wasmGemm() : undefined;
  if (w) {
    const mark = w.mark();
    try {
      const ao = w.put(Ap.subarray(0, panelCount(m) * 4 * k));
      const bo = w.put(Bp.subarray(0, panelCount(n) * 4 * k));
      wasmProduct(w, ao, m, bo, n, k, C, cOff, rs, cs);
    } finally {
      w.reset(mark);
    }
    return;
  }
  gemmPackedJs(Ap, m, Bp, n, k, C, cOff, rs, cs);
}

/**
 * C += A Bᵀ with both packed operands already in the kernel's memory (byte offsets `ao`, `bo`), e.g. a
 * matrix kept resident across many products. Temporary space is released before returning.
 */
export function wasmProduct(w: WasmGemm, ao: number, m: number, bo: number, n: number, k: number, C: Float64Array, cOff: number, rs: number, cs: number): void {
  const mp = panelCount(m), np = panelCount(n);
  const mark = w.mark();
  try {
    const co = w.zeros(mp * np * 16);
    // B in chunks of NC panels (NC × KC × 4 doubles: 512 KB, they stay in L2 while every A panel passes); each
    // block of C still accumulates its depth in order.
    for (let p0 = 0; p0 < k; p0 += KC) {
      for (let j0 = 0; j0 < np; j0 += NC) w.run(ao + p0 * 32, bo + j0 * 32 * k + p0 * 32, 4 * k, 4 * k, Math.min(KC, k - p0), co + j0 * 32, mp, Math.min(NC, np - j0), 4 * np);
    }
    const D = w.view(co, mp * np * 16);
    const ldc = np * 4;
    for (let i = 0; i < m; i++) {
      const o = cOff + i * rs, d = i * ldc;
      for (let j = 0; j < n; j++) C[o + j * cs] += D[d + j];
    }
  } finally {
    w.reset(mark);
  }
}

/** The scalar JavaScript path of {@link gemmPacked}. */
export function gemmPackedJs(
  Ap: Float64Array, m: number, Bp: Float64Array, n: number, k: number,
  C: Float64Array, cOff: number, rs: number, cs: number,
): void {
  const mp = panelCount(m), np = panelCount(n);
  for (let p0 = 0; p0 < k; p0 += KC) {
    const kk = Math.min(KC, k - p0);
    for (let jb = 0; jb < np; jb++) {
      const bOff = jb * 4 * k + p0 * 4;
      const nr = Math.min(4, n - 4 * jb);
      for (let ib = 0; ib < mp; ib++) {
        kernel4x4(Ap, ib * 4 * k + p0 * 4, Bp, bOff, kk, C, cOff + 4 * ib * rs + 4 * jb * cs, rs, cs, Math.min(4, m - 4 * ib), nr);
      }
    }
  }
}

/**
 * Symmetric rank-k update C += A Aᵀ (upper triangle including the diagonal blocks; C row-major n × n)
 * for A packed with {@link packRows} (`n` rows, `k` columns). Call {@link mirrorUpper} once at the end.
 * With `panels` = [ib0, ib1), only rows 4·ib0 … 4·ib1 − 1 are computed, and C holds just those rows
 * (row 4·ib0 first): the work splits by rows across threads with each entry summed as in the whole product.
 */
export function syrkPacked(Ap: Float64Array, n: number, k: number, C: Float64Array, panels?: [number, number]): void {
  const np = panelCount(n);
  const [ib0, ib1] = panels ?? [0, np];
  const base = 4 * ib0 * n; // C offset of row 4·ib0
  const w = n * n * k >= 65536 ? wasmGemm() : undefined;
  if (w) {
    const mark = w.mark();
    try {
      syrkResident(w, w.put(Ap.subarray(0, np * 4 * k)), n, k, C, [ib0, ib1]);
    } finally {
      w.reset(mark);
    }
    return;
  }
  for (let p0 = 0; p0 < k; p0 += KC) {
    const kk = Math.min(KC, k - p0);
    for (let ib = ib0; ib < ib1; ib++) {
      const mr = Math.min(4, n - 4 * ib);
      const aOff = ib * 4 * k + p0 * 4;
      for (let jb = ib; jb < np; jb++) {
        kernel4x4(Ap, aOff, Ap, jb * 4 * k + p0 * 4, kk, C, 4 * ib * n + 4 * jb - base, n, 1, mr, Math.min(4, n - 4 * jb));
      }
    }
  }
}

/**
 * {@link syrkPacked} on the SIMD kernel with the packed operand already in its memory (byte offset `ao`), e.g.
 * written there directly; the same sums to the last bit.
 */
export function syrkResident(w: WasmGemm, ao: number, n: number, k: number, C: Float64Array, panels: [number, number]): void {
  const [ib0, ib1] = panels;
  const base = 4 * ib0 * n;
  // One row of panels at a time, from the diagonal block rightwards.
  for (let ib = ib0; ib < ib1; ib++) {
    const cols = n - 4 * ib;
    wasmProduct(w, ao + ib * 32 * k, Math.min(4, n - 4 * ib), ao + ib * 32 * k, cols, k, C, 4 * ib * n + 4 * ib - base, n, 1);
  }
}

/** Copies the upper triangle of a row-major n × n matrix onto its lower triangle. */
export function mirrorUpper(C: Float64Array, n: number): void {
  for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) C[j * n + i] = C[i * n + j];
}

/**
 * C = A B for row-major A (m × k) and B (k × n) into row-major C (m × n) (packs both operands).
 *
 * @example
 * ```ts
 * const C = multiply(A, B, m, k, n);
 * ```
 */
export function multiply(A: Float64Array, B: Float64Array, m: number, k: number, n: number): Float64Array {
  const Bt = new Float64Array(n * k);
  for (let p = 0; p < k; p++) for (let j = 0; j < n; j++) Bt[j * k + p] = B[p * n + j];
  const pa = packRows(A, m, k, k, new Float64Array(panelCount(m) * 4 * k));
  const pb = packRows(Bt, n, k, k, new Float64Array(panelCount(n) * 4 * k));
  const C = new Float64Array(m * n);
  gemmPacked(pa, m, pb, n, k, C, 0, n, 1);
  return C;
}
