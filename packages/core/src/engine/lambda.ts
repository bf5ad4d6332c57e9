// Products with the relative covariance factor Λ on the blocks of the normal equations. T is the
// ReMat's template (k × k lower triangle, row-major), owned by the caller's workspace.
import { BlockSparse, Dense, UniformBlockDiagonal } from "./linalg/Dense.js";
import type { Block } from "./linalg/products.js";
import type { ReMat } from "./ReMat.js";

/** L_jj := Λ'A_jjΛ + I, from the block-diagonal A_jj into a block-diagonal or dense L_jj (`s`: k² scratch). */
export function scaleInflate(target: UniformBlockDiagonal | Dense, a: UniformBlockDiagonal, re: ReMat, T: Float64Array, s: Float64Array): void {
  const k = re.k, kk = k * k;
  if (target instanceof Dense) target.data.fill(0);
  if (k === 1) {
    const t2 = T[0] * T[0], ad = a.data, td = target.data;
    const stride = target instanceof Dense ? target.cols + 1 : 1;
    for (let l = 0; l < a.blocks; l++) td[l * stride] = t2 * ad[l] + 1;
    return;
  }
  const ad = a.data;
  if (k === 2 && target instanceof UniformBlockDiagonal) {
    // The common (1 + x | g): Λ'AΛ written out, lower triangle (all the factorisation reads).
    const l00 = T[0], l10 = T[2], l11 = T[3], td = target.data;
    for (let l = 0; l < a.blocks; l++) {
      const o = l * 4, a00 = ad[o], a10 = ad[o + 2], a11 = ad[o + 3];
      const b00 = a00 * l00 + a10 * l10, b10 = a10 * l00 + a11 * l10;
      td[o] = l00 * b00 + l10 * b10 + 1;
      td[o + 2] = l11 * b10;
      td[o + 3] = l11 * l11 * a11 + 1;
    }
    return;
  }
  for (let l = 0; l < a.blocks; l++) {
    // s := AΛ, then the lower triangle of Λ'(AΛ) + I.
    const o = l * kk;
    for (let r = 0; r < k; r++) {
      for (let c = 0; c < k; c++) {
        let v = 0;
        for (let u = c; u < k; u++) v += ad[o + r * k + u] * T[u * k + c];
        s[r * k + c] = v;
      }
    }
    for (let r = 0; r < k; r++) {
      for (let c = 0; c <= r; c++) {
        let v = r === c ? 1 : 0;
        for (let u = r; u < k; u++) v += T[u * k + r] * s[u * k + c];
        if (target instanceof UniformBlockDiagonal) target.data[o + r * k + c] = v;
        else target.data[(l * k + r) * target.cols + l * k + c] = v;
      }
    }
  }
}

/** Block := Block Λ for a block whose columns are the ReMat's random effects. */
export function rmulLambda(block: Block, re: ReMat, T: Float64Array): void {
  const k = re.k;
  if (k === 1) return scaleAll(block, T[0]);
  if (block instanceof BlockSparse) {
    const rows = block.nnzBlocks * block.kr;
    for (let r = 0; r < rows; r++) re.rmulLambda(T, block.values, r * k);
  } else {
    const d = block as Dense;
    for (let r = 0; r < d.rows; r++) for (let l = 0; l < re.nLevels; l++) re.rmulLambda(T, d.data, r * d.cols + l * k);
  }
}

/** Block := Λ' Block for a block whose rows are the ReMat's random effects. */
export function lmulLambdaT(block: Block, re: ReMat, T: Float64Array): void {
  const k = re.k;
  if (k === 1) return scaleAll(block, T[0]);
  if (block instanceof BlockSparse) {
    const size = block.kr * block.kc;
    for (let x = 0; x < block.nnzBlocks; x++) re.lmulLambdaT(T, block.values, x * size, block.kc);
  } else {
    const d = block as Dense;
    for (let l = 0; l < re.nLevels; l++) re.lmulLambdaT(T, d.data, l * k * d.cols, d.cols);
  }
}

/** A scalar template multiplies every entry of the block. */
export function scaleAll(block: Block, t: number): void {
  const v = block instanceof BlockSparse ? block.values : (block as Dense).data;
  for (let i = 0; i < v.length; i++) v[i] *= t;
}
