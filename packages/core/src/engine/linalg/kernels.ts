// Block kernels of the blocked Cholesky factorisation, one per pair of block types.
// All work in place on preallocated storage: the objective allocates nothing.
import { choleskyInPlaceFast } from "./cholesky.js";
import { BlockSparse, Dense, UniformBlockDiagonal } from "./Dense.js";

/** Factors every diagonal block in place; false if one is not positive definite. */
export function cholBlockDiagonal(m: UniformBlockDiagonal): boolean {
  const { k, blocks, data } = m;
  if (k === 1) {
    for (let b = 0; b < blocks; b++) {
      if (!(data[b] > 0)) return false;
      data[b] = Math.sqrt(data[b]);
    }
    return true;
  }
  for (let b = 0; b < blocks; b++) if (!choleskyInPlaceFast(data, k, k, b * k * k)) return false;
  return true;
}

/** C -= S S' (lower triangle of block rows ≥ block columns) for block-sparse S whose block columns share C's rows. */
export function rankUpdateSparse(c: Dense, s: BlockSparse): void {
  const { kr, kc, colPtr, rowIdx, values } = s;
  const cd = c.data;
  const n = c.cols;
  if (kr === 1 && kc === 1) {
    for (let col = 0; col < s.blockCols; col++) {
      const start = colPtr[col], end = colPtr[col + 1];
      for (let a = start; a < end; a++) {
        const ra = rowIdx[a] * n, va = values[a];
        for (let b = start; b <= a; b++) cd[ra + rowIdx[b]] -= va * values[b];
      }
    }
    return;
  }
  if (kr === 1 && kc === 2) {
    // Scalar rows, pairs of columns: the Schur complement of a (1 + x | g) first factor.
    for (let col = 0; col < s.blockCols; col++) {
      const start = colPtr[col], end = colPtr[col + 1];
      for (let a = start; a < end; a++) {
        const ra = rowIdx[a] * n, a0 = values[2 * a], a1 = values[2 * a + 1];
        for (let b = start; b <= a; b++) cd[ra + rowIdx[b]] -= a0 * values[2 * b] + a1 * values[2 * b + 1];
      }
    }
    return;
  }
  const bs = kr * kc;
  for (let col = 0; col < s.blockCols; col++) {
    const start = colPtr[col], end = colPtr[col + 1];
    for (let a = start; a < end; a++) {
      const ra = rowIdx[a] * kr;
      const va = a * bs;
      for (let b = start; b <= a; b++) {
        const rb = rowIdx[b] * kr;
        const vb = b * bs;
        for (let i = 0; i < kr; i++) {
          for (let j = 0; j < kr; j++) {
            let sum = 0;
            for (let t = 0; t < kc; t++) sum += values[va + i * kc + t] * values[vb + j * kc + t];
            cd[(ra + i) * n + rb + j] -= sum;
          }
        }
      }
    }
  }
}

/** C -= A A' on the lower triangle, for dense A with C.rows rows. */
export function rankUpdateDense(c: Dense, a: Dense): void {
  mulSubDenseDense(c, a, a, true);
}

/** C -= A B' for dense A (C.rows × t) and B (C.cols × t); `lower` restricts to c ≤ r. */
export function mulSubDenseDense(c: Dense, a: Dense, b: Dense, lower = false): void {
  const t = a.cols;
  const ad = a.data, bd = b.data, cd = c.data;
  const nc = c.cols;
  for (let r = 0; r < c.rows; r++) {
    const ra = r * t;
    const last = lower ? Math.min(r + 1, nc) : nc;
    let j = 0;
    for (; j + 1 < last; j += 2) {
      const rb0 = j * t, rb1 = rb0 + t;
      let s0 = 0, s1 = 0;
      for (let u = 0; u < t; u++) {
        const x = ad[ra + u];
        s0 += x * bd[rb0 + u];
        s1 += x * bd[rb1 + u];
      }
      cd[r * nc + j] -= s0;
      cd[r * nc + j + 1] -= s1;
    }
    for (; j < last; j++) {
      const rb = j * t;
      let s = 0;
      for (let u = 0; u < t; u++) s += ad[ra + u] * bd[rb + u];
      cd[r * nc + j] -= s;
    }
  }
}

/** C -= A B' where A and B are block-sparse with the same block columns (C dense: A's rows × B's rows). */
export function mulSubSparseSparse(c: Dense, a: BlockSparse, b: BlockSparse): void {
  const nc = c.cols;
  const ka = a.kr, kb = b.kr, kt = a.kc;
  const cd = c.data, av = a.values, bv = b.values;
  if (ka === 1 && kb === 1 && kt === 1) {
    // Scalar terms (random intercepts): one product per pair of nonzeros in a column.
    const ap = a.colPtr, bp = b.colPtr, ar = a.rowIdx, br = b.rowIdx;
    for (let col = 0; col < a.blockCols; col++) {
      const b0 = bp[col], b1 = bp[col + 1];
      for (let x = ap[col]; x < ap[col + 1]; x++) {
        const o = ar[x] * nc, v = av[x];
        for (let y = b0; y < b1; y++) cd[o + br[y]] -= v * bv[y];
      }
    }
    return;
  }
  for (let col = 0; col < a.blockCols; col++) {
    for (let x = a.colPtr[col]; x < a.colPtr[col + 1]; x++) {
      const ra = a.rowIdx[x] * ka;
      for (let y = b.colPtr[col]; y < b.colPtr[col + 1]; y++) {
        const rb = b.rowIdx[y] * kb;
        for (let i = 0; i < ka; i++) {
          for (let j = 0; j < kb; j++) {
            let s = 0;
            for (let t = 0; t < kt; t++) s += av[(x * ka + i) * kt + t] * bv[(y * kb + j) * kt + t];
            cd[(ra + i) * nc + rb + j] -= s;
          }
        }
      }
    }
  }
}

/** C -= A B' where A is dense (C.rows × cols of B's block columns) and B block-sparse. */
export function mulSubDenseSparse(c: Dense, a: Dense, b: BlockSparse): void {
  const nc = c.cols, na = a.cols;
  const kb = b.kr, kt = b.kc;
  const cd = c.data, ad = a.data, bv = b.values;
  if (kb === 1 && kt === 1) {
    const rows = c.rows, bp = b.colPtr, br = b.rowIdx;
    for (let col = 0; col < b.blockCols; col++) {
      for (let y = bp[col]; y < bp[col + 1]; y++) {
        const rb = br[y], v = bv[y];
        for (let r = 0; r < rows; r++) cd[r * nc + rb] -= ad[r * na + col] * v;
      }
    }
    return;
  }
  for (let col = 0; col < b.blockCols; col++) {
    const ca = col * kt;
    for (let y = b.colPtr[col]; y < b.colPtr[col + 1]; y++) {
      const rb = b.rowIdx[y] * kb;
      for (let r = 0; r < c.rows; r++) {
        for (let j = 0; j < kb; j++) {
          let s = 0;
          for (let t = 0; t < kt; t++) s += ad[r * na + ca + t] * bv[(y * kb + j) * kt + t];
          cd[r * nc + rb + j] -= s;
        }
      }
    }
  }
}

/** S := S L^{-T} for block-sparse S whose block column c meets the diagonal block c of L. */
export function rdivSparseByBlockDiagonal(s: BlockSparse, l: UniformBlockDiagonal): void {
  const { kr, kc, colPtr, values } = s;
  const ld = l.data;
  if (kc === 1) {
    for (let col = 0; col < s.blockCols; col++) {
      const d = ld[col];
      for (let x = colPtr[col] * kr; x < colPtr[col + 1] * kr; x++) values[x] /= d;
    }
    return;
  }
  if (kc === 2) {
    for (let col = 0; col < s.blockCols; col++) {
      const l00 = ld[col * 4], l10 = ld[col * 4 + 2], l11 = ld[col * 4 + 3];
      for (let y = colPtr[col] * kr; y < colPtr[col + 1] * kr; y++) {
        const x0 = values[2 * y] / l00;
        values[2 * y] = x0;
        values[2 * y + 1] = (values[2 * y + 1] - l10 * x0) / l11;
      }
    }
    return;
  }
  for (let col = 0; col < s.blockCols; col++) {
    const lo = col * kc * kc;
    for (let x = colPtr[col]; x < colPtr[col + 1]; x++) {
      for (let i = 0; i < kr; i++) solveRowLower(ld, lo, kc, values, (x * kr + i) * kc);
    }
  }
}

/** D := D L^{-T} for dense D whose columns are grouped as L's diagonal blocks. */
export function rdivDenseByBlockDiagonal(d: Dense, l: UniformBlockDiagonal): void {
  const k = l.k, ld = l.data, dd = d.data;
  for (let r = 0; r < d.rows; r++) {
    const row = r * d.cols;
    if (k === 1) {
      for (let b = 0; b < l.blocks; b++) dd[row + b] /= ld[b];
      continue;
    }
    for (let b = 0; b < l.blocks; b++) solveRowLower(ld, b * k * k, k, dd, row + b * k);
  }
}

/**
 * D := D L^{-T} for dense lower-triangular L: each row of D solves L x = row. Four rows at a time,
 * so each row of L is read once per four solves.
 */
export function rdivDenseByLower(d: Dense, l: Dense): void {
  const n = l.rows, ld = l.data, dd = d.data, w = d.cols;
  let r = 0;
  for (; r + 3 < d.rows; r += 4) {
    const x0 = r * w, x1 = x0 + w, x2 = x1 + w, x3 = x2 + w;
    for (let i = 0; i < n; i++) {
      const ri = i * n;
      let s0 = dd[x0 + i], s1 = dd[x1 + i], s2 = dd[x2 + i], s3 = dd[x3 + i];
      for (let t = 0; t < i; t++) {
        const lt = ld[ri + t];
        s0 -= lt * dd[x0 + t];
        s1 -= lt * dd[x1 + t];
        s2 -= lt * dd[x2 + t];
        s3 -= lt * dd[x3 + t];
      }
      const diag = ld[ri + i];
      dd[x0 + i] = s0 / diag;
      dd[x1 + i] = s1 / diag;
      dd[x2 + i] = s2 / diag;
      dd[x3 + i] = s3 / diag;
    }
  }
  for (; r < d.rows; r++) solveRowLower(ld, 0, n, dd, r * w);
}

/** x := L^{-1} x for a row-major lower triangle at `lo` (size n), x at `xo`. */
function solveRowLower(l: Float64Array, lo: number, n: number, x: Float64Array, xo: number): void {
  for (let i = 0; i < n; i++) {
    let s = x[xo + i];
    const ri = lo + i * n;
    for (let t = 0; t < i; t++) s -= l[ri + t] * x[xo + t];
    x[xo + i] = s / l[ri + i];
  }
}

/** Lower Cholesky factor of a dense block in place. */
export function cholDense(m: Dense): boolean {
  return choleskyInPlaceFast(m.data, m.rows, m.cols);
}
