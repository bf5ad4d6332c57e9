/** A dense matrix stored row by row (row-major), the layout our dot-product kernels stream through. */
export class Dense {
  readonly data: Float64Array;
  constructor(
    readonly rows: number,
    readonly cols: number,
    data?: Float64Array,
  ) {
    this.data = data ?? new Float64Array(rows * cols);
  }
  get(r: number, c: number): number {
    return this.data[r * this.cols + c];
  }
}

/** Square blocks of one size k along a diagonal (k = 1 is a diagonal matrix); each block row-major. */
export class UniformBlockDiagonal {
  readonly data: Float64Array;
  constructor(
    readonly k: number,
    readonly blocks: number,
  ) {
    this.data = new Float64Array(blocks * k * k);
  }
  get size(): number {
    return this.k * this.blocks;
  }
}

/**
 * A sparse matrix of small dense blocks (kr × kc, row-major), stored by block column: the nonzero
 * blocks of block column c are rows[colPtr[c] .. colPtr[c+1]) with ascending block rows.
 * Used for Z_i'Z_1 and its factor block, whose pattern never changes between evaluations.
 */
export class BlockSparse {
  readonly values: Float64Array;
  constructor(
    readonly kr: number,
    readonly kc: number,
    readonly blockRows: number,
    readonly blockCols: number,
    readonly colPtr: Int32Array,
    readonly rowIdx: Int32Array,
  ) {
    this.values = new Float64Array(rowIdx.length * kr * kc);
  }
  get nnzBlocks(): number {
    return this.rowIdx.length;
  }
}
