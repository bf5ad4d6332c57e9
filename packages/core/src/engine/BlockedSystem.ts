import { BlockSparse, Dense, UniformBlockDiagonal } from "./linalg/Dense.js";
import {
  cholBlockDiagonal,
  cholDense,
  mulSubDenseDense,
  mulSubDenseSparse,
  mulSubSparseSparse,
  rankUpdateDense,
  rankUpdateSparse,
  rdivDenseByBlockDiagonal,
  rdivDenseByLower,
  rdivSparseByBlockDiagonal,
} from "./linalg/kernels.js";
import type { CrossProducts } from "./crossProducts.js";
import type { ReMat } from "./ReMat.js";
import { lmulLambdaT, rmulLambda, scaleInflate } from "./lambda.js";

import type { Block } from "./linalg/products.js";
export type { Block };

/**
 * The blocked normal equations of the penalised least-squares problem (MixedModels.jl's A and L).
 * Columns are [Z_1 … Z_m | X y] with the ReMats sorted by decreasing number of levels. A is given
 * (see {@link CrossProducts}: summed from rows, or by any other producer of the same blocks) and
 * read at every update, so a response changed there is seen here; `update(Λ)` refills
 * L = chol(Λ'AΛ + I) in preallocated storage, block by block.
 *
 * Block types: L[1][1] block diagonal; L[i][1] block-sparse with A's pattern; everything to the
 * right of the first block column dense (fill-in from crossed factors makes it so).
 */
export class BlockedSystem {
  readonly m: number;
  readonly p: number;
  readonly A: Block[][];
  readonly L: Block[][];
  private readonly scratch: Float64Array;

  constructor(
    /** The level structure: one ReMat per grouping factor (only their levels, k and templates' shape are read). */
    readonly reterms: readonly ReMat[],
    sums: CrossProducts,
  ) {
    const m = (this.m = reterms.length);
    this.p = sums.p;
    this.A = sums.A;
    this.L = [];
    for (let i = 0; i <= m; i++) {
      const lrow: Block[] = [];
      for (let j = 0; j <= i; j++) lrow.push(makeL(this.A[i][j], i, j, reterms, this.p));
      this.L.push(lrow);
    }
    this.scratch = new Float64Array(Math.max(...reterms.map((r) => r.k)) ** 2);
  }

  /**
   * Refactors L for the templates Λ (one per ReMat, see `ThetaLayout.fill`). Returns false when a
   * diagonal block is not positive definite (possible only for the fixed-effects block).
   */
  update(templates: readonly Float64Array[]): boolean {
    const { m, A, L, reterms } = this;
    for (let j = 0; j < m; j++) {
      const re = reterms[j], T = templates[j];
      scaleInflate(L[j][j] as UniformBlockDiagonal | Dense, A[j][j] as UniformBlockDiagonal, re, T, this.scratch);
      for (let i = j + 1; i <= m; i++) rmulLambda(copyBlock(L[i][j], A[i][j]), re, T);
      for (let jj = 0; jj < j; jj++) lmulLambdaT(L[j][jj], re, T);
    }
    (L[m][m] as Dense).data.set((A[m][m] as Dense).data);
    for (let j = 0; j <= m; j++) {
      const Ljj = L[j][j];
      for (let jj = 0; jj < j; jj++) {
        const s = L[j][jj];
        if (s instanceof BlockSparse) rankUpdateSparse(Ljj as Dense, s);
        else rankUpdateDense(Ljj as Dense, s as Dense);
      }
      if (!(Ljj instanceof UniformBlockDiagonal ? cholBlockDiagonal(Ljj) : cholDense(Ljj as Dense))) return false;
      for (let i = j + 1; i <= m; i++) {
        const Lij = L[i][j];
        for (let jj = 0; jj < j; jj++) {
          const a = L[i][jj], b = L[j][jj];
          if (a instanceof BlockSparse) mulSubSparseSparse(Lij as Dense, a, b as BlockSparse);
          else if (b instanceof BlockSparse) mulSubDenseSparse(Lij as Dense, a as Dense, b);
          else mulSubDenseDense(Lij as Dense, a as Dense, b as Dense);
        }
        if (Ljj instanceof UniformBlockDiagonal) {
          if (Lij instanceof BlockSparse) rdivSparseByBlockDiagonal(Lij, Ljj);
          else rdivDenseByBlockDiagonal(Lij as Dense, Ljj);
        } else rdivDenseByLower(Lij as Dense, Ljj as Dense);
      }
    }
    return true;
  }

  /** log det(L_Z)² = 2 Σ log diag over the random-effects blocks. */
  logdetZ(): number {
    let s = 0;
    for (let j = 0; j < this.m; j++) {
      const b = this.L[j][j];
      if (b instanceof UniformBlockDiagonal) {
        const k = b.k;
        for (let l = 0; l < b.blocks; l++) for (let r = 0; r < k; r++) s += Math.log(b.data[l * k * k + r * k + r]);
      } else {
        const d = b as Dense;
        for (let r = 0; r < d.rows; r++) s += Math.log(d.data[r * d.cols + r]);
      }
    }
    return 2 * s;
  }

  /** log det(R_X)² = 2 Σ log diag of the fixed-effects part of the last block. */
  logdetX(): number {
    const d = this.L[this.m][this.m] as Dense;
    let s = 0;
    for (let r = 0; r < this.p; r++) s += Math.log(d.data[r * d.cols + r]);
    return 2 * s;
  }

  /** Penalised residual sum of squares r²(θ): the square of L's last diagonal element. */
  pwrss(): number {
    const d = this.L[this.m][this.m] as Dense;
    const r = d.data[d.data.length - 1];
    return r * r;
  }
}

function makeL(a: Block, i: number, j: number, reterms: readonly ReMat[], p: number): Block {
  if (i === j) return a instanceof UniformBlockDiagonal && i === 0 ? new UniformBlockDiagonal(a.k, a.blocks) : new Dense(size(i, reterms, p), size(i, reterms, p));
  if (a instanceof BlockSparse && j === 0) return new BlockSparse(a.kr, a.kc, a.blockRows, a.blockCols, a.colPtr, a.rowIdx);
  return new Dense(size(i, reterms, p), size(j, reterms, p));
}

function size(i: number, reterms: readonly ReMat[], p: number): number {
  return i < reterms.length ? reterms[i].q : p + 1;
}

function copyBlock(target: Block, source: Block): Block {
  if (source instanceof BlockSparse && target instanceof Dense) {
    target.data.fill(0);
    const { kr, kc, colPtr, rowIdx, values } = source;
    for (let c = 0; c < source.blockCols; c++) {
      for (let x = colPtr[c]; x < colPtr[c + 1]; x++) {
        for (let r = 0; r < kr; r++) for (let t = 0; t < kc; t++) target.data[(rowIdx[x] * kr + r) * target.cols + c * kc + t] = values[(x * kr + r) * kc + t];
      }
    }
  } else if (source instanceof BlockSparse) (target as BlockSparse).values.set(source.values);
  else (target as Dense).data.set((source as Dense).data);
  return target;
}
