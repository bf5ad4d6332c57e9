import { BlockSparse, Dense, UniformBlockDiagonal } from "./Dense.js";

/** Any block of the blocked factor. */
export type Block = UniformBlockDiagonal | BlockSparse | Dense;

/**
 * y[0..rows) -= B x for an off-diagonal block B. When `level` ≥ 0, x is known to be nonzero only in
 * that block column of a block-sparse B, and only that column is visited.
 */
export function subtractProduct(block: Block, x: Float64Array, y: Float64Array, level = -1, rows = y.length): void {
  if (block instanceof BlockSparse) {
    const { kr, kc, colPtr, rowIdx, values } = block;
    const from = level >= 0 ? level : 0, to = level >= 0 ? level + 1 : block.blockCols;
    for (let c = from; c < to; c++) {
      for (let t = colPtr[c]; t < colPtr[c + 1]; t++) {
        const r0 = rowIdx[t] * kr;
        if (r0 >= rows) continue;
        for (let r = 0; r < kr; r++) {
          let s = 0;
          for (let u = 0; u < kc; u++) s += values[(t * kr + r) * kc + u] * x[c * kc + u];
          y[r0 + r] -= s;
        }
      }
    }
  } else {
    const d = block as Dense;
    for (let r = 0; r < rows; r++) {
      let s = 0;
      const o = r * d.cols;
      for (let c = 0; c < d.cols; c++) s += d.data[o + c] * x[c];
      y[r] -= s;
    }
  }
}

/** y -= B' x for an off-diagonal block B (x indexed by B's rows, y by its columns). */
export function subtractTransposedProduct(block: Block, x: Float64Array, y: Float64Array): void {
  if (block instanceof BlockSparse) {
    const { kr, kc, colPtr, rowIdx, values } = block;
    for (let c = 0; c < block.blockCols; c++) {
      for (let t = colPtr[c]; t < colPtr[c + 1]; t++) {
        const r0 = rowIdx[t] * kr;
        for (let r = 0; r < kr; r++) for (let u = 0; u < kc; u++) y[c * kc + u] -= values[(t * kr + r) * kc + u] * x[r0 + r];
      }
    }
  } else {
    const d = block as Dense;
    for (let r = 0; r < d.rows; r++) {
      const xr = x[r];
      if (xr === 0) continue;
      const o = r * d.cols;
      for (let c = 0; c < d.cols; c++) y[c] -= d.data[o + c] * xr;
    }
  }
}
