import type { SimdKernels } from "./wasm/simdKernels.js";

/** Block width: the tiles of `syrk24` pair rows and take columns by fours, so a multiple of 4. */
const BLOCK = 48;

/** Z = L⁻ᵀ (upper triangular) of a lower-triangular L, as rows: Z's row j is column j of L⁻¹. */
export interface InverseTranspose {
  /** Z, row-major with row stride `stride`; entries left of the diagonal are zero. */
  z: Float64Array;
  /** Index of Z[0][0] in `z`. */
  at: number;
  stride: number;
  /** First index of `z` past what the inversion uses (the start of the space reserved for the caller). */
  free: number;
}

/**
 * Z = L⁻ᵀ for L lower triangular (row-major, row stride n, at 0 of `l`), by columns of L⁻¹ in plain
 * JavaScript: row j of Z is the forward substitution of L x = e_j. `out` receives Z with stride n.
 */
export function inverseTransposeScalar(l: Float64Array, n: number, out: Float64Array = new Float64Array(n * n)): InverseTranspose {
  out.fill(0, 0, n * n);
  for (let j = 0; j < n; j++) {
    const zj = j * n;
    out[zj + j] = 1 / l[j * n + j];
    for (let i = j + 1; i < n; i++) {
      const li = i * n;
      let s = 0;
      for (let k = j; k < i; k++) s += l[li + k] * out[zj + k];
      out[zj + i] = -s / l[li + i];
    }
  }
  return { z: out, at: 0, stride: n, free: n * n };
}

/**
 * Z = L⁻ᵀ for the lower-triangular L that the SIMD Cholesky left in the kernels' memory (row stride
 * n, at 0), with nearly all the work in the kernels' `syrk24` tiles: the blocked forward substitution
 * X_IJ = −L_II⁻¹ Σ_{J≤K<I} L_IK X_KJ (X = L⁻¹ = Zᵀ) as two products per block pair, the sum as dot
 * products of L's rows (packed) with Z's rows, then −L_II⁻¹ by the same tiles. The 48 × 48 diagonal
 * blocks are inverted in JavaScript. Z goes beside L in the kernels' memory (valid until their next
 * use), with a row stride of n rounded up to the block, and `reserve` doubles after it for the caller.
 */
export function inverseTransposeSimd(k: SimdKernels, n: number, reserve = 0): InverseTranspose {
  const blocks = Math.ceil(n / BLOCK), N = blocks * BLOCK, B = BLOCK;
  // Layout (doubles): L | packed rows of L's block row I (B × N) | Z (N × N) | −L_II⁻¹ (B × B) | Yᵀ (B × B) | all L_II⁻¹.
  const packAt = n * n + ((n * n) & 1);
  const zAt = packAt + B * N;
  const negInvAt = zAt + N * N;
  const yAt = negInvAt + B * B;
  const invAt = yAt + B * B;
  const free = invAt + blocks * B * B;
  const m = k.doubles(free + reserve);
  m.fill(0, packAt, invAt + blocks * B * B);
  for (let b = 0; b < blocks; b++) diagonalBlockInverse(m, n, b * B, Math.min(B, n - b * B), invAt + b * B * B, B);
  for (let I = 0; I < blocks; I++) {
    const i0 = I * B, w = Math.min(B, n - i0), inv = invAt + I * B * B;
    // Z_II = L_II⁻ᵀ.
    for (let j = 0; j < w; j++) for (let t = j; t < w; t++) m[zAt + (i0 + j) * N + i0 + t] = m[inv + t * B + j];
    if (I === 0) continue;
    for (let r = 0; r < w; r++) m.set(m.subarray((i0 + r) * n, (i0 + r) * n + i0), packAt + r * N);
    // A short last block: the rows past it keep zeros, not the previous block's rows.
    if (w < B) m.fill(0, packAt + w * N, packAt + B * N);
    for (let r = 0; r < B * B; r++) m[negInvAt + r] = -m[inv + r];
    for (let J = 0; J < I; J++) {
      const j0 = J * B;
      // Yᵀ[j][i] = −Σ_{j0≤c<i0} Z[j0 + j][c] L[i0 + i][c]: Z's rows follow the packed rows of L.
      m.fill(0, yAt, yAt + B * B);
      const p = (packAt + j0) * 8, ps = N * 8, cs = B * 8;
      const c = yAt * 8 - (B + j0) * cs;
      for (let j = 0; j < B; j += 2) k.syrk24(p, ps, c, cs, B + j0 + j, B, (i0 - j0) * 8);
      // Z[j0 + j][i0 + t] = −Σ_s Yᵀ[j][s] (−L_II⁻¹)[t][s]: the rows of −L_II⁻¹, then those of Yᵀ.
      const c2 = (zAt + (j0 - B) * N + i0) * 8;
      for (let j = 0; j < B; j += 2) k.syrk24(negInvAt * 8, cs, c2, N * 8, B + j, B, B * 8);
    }
  }
  return { z: m, at: zAt, stride: N, free };
}

/**
 * L_II⁻¹ of the w × w diagonal block of L at (i0, i0) (row stride n in `m`) into `m` at `out` (row
 * stride `stride`, left untouched outside its lower triangle), by columns; returns its largest |entry|.
 */
export function diagonalBlockInverse(m: Float64Array, n: number, i0: number, w: number, out: number, stride: number): number {
  let largest = 0;
  for (let c = 0; c < w; c++) {
    for (let r = c; r < w; r++) {
      const lr = (i0 + r) * n + i0;
      let s = r === c ? 1 : 0;
      for (let t = c; t < r; t++) s -= m[lr + t] * m[out + t * stride + c];
      const v = s / m[lr + r];
      m[out + r * stride + c] = v;
      largest = Math.max(largest, Math.abs(v));
    }
  }
  return largest;
}
