// The second producer of the fitter's A: sums computed next to the data (SQL `GROUP BY` the
// grouping factors' columns) instead of over rows here. Every row of a cell (one combination of
// levels of all grouping factors) falls in the same level of each factor, so each block of
// A = [Z X y]'[Z X y] is a sum over cells of the cell's cross-products of model-matrix columns.
import { BlockSparse, Dense, UniformBlockDiagonal } from "./linalg/Dense.js";
import type { Block } from "./linalg/products.js";
import type { CrossProducts } from "./crossProducts.js";
import type { ReMat } from "./ReMat.js";

/** Cross-products per cell: Σ over the cell's rows of column a × column b, for the columns of a model. */
export interface CellProducts {
  /** Number of cells. */
  readonly cells: number;
  /** Rows summed over all cells. */
  readonly n: number;
  /** The cell values of Σ a·b (symmetric in a and b). */
  product(a: number, b: number): Float64Array;
}

/** Where each block's columns are among the cell products. */
export interface CellLayout {
  /** Level of each grouping factor (one per ReMat, in the design's order) in each cell. */
  levels: Int32Array[];
  /** Product column of each of a ReMat's k columns. */
  zColumns: number[][];
  /** Product column of each fixed-effect column, then of the response. */
  xyColumns: number[];
}

/**
 * {@link CrossProducts} summed from cells. With prior weights w the sums are Σ w·a·b and
 * `logWeights` is Σ log w over the rows (lme4's `ldW`), both computed where the rows are; a dispersion
 * model's weights 1/δ²_g are constant within a cell, so they scale the cells' sums and enter `logWeights`.
 */
export class CellCrossProducts implements CrossProducts {
  readonly n: number;
  readonly p: number;
  readonly A: Block[][];

  constructor(reterms: readonly ReMat[], layout: CellLayout, sums: CellProducts, readonly logWeights = 0) {
    this.n = sums.n;
    this.p = layout.xyColumns.length - 1;
    const m = reterms.length;
    this.A = [];
    for (let i = 0; i <= m; i++) {
      const row: Block[] = [];
      for (let j = 0; j <= i; j++) {
        if (i === m) row.push(j === m ? fixedFixed(layout.xyColumns, sums) : fixedRandom(layout.xyColumns, reterms[j], layout.levels[j], layout.zColumns[j], sums));
        else if (i === j) row.push(diagonal(reterms[i], layout.levels[i], layout.zColumns[i], sums));
        else row.push(sparse(reterms[i], reterms[j], layout.levels[i], layout.levels[j], layout.zColumns[i], layout.zColumns[j], sums));
      }
      this.A.push(row);
    }
  }
}

function diagonal(re: ReMat, levels: Int32Array, z: number[], sums: CellProducts): UniformBlockDiagonal {
  const k = re.k;
  const out = new UniformBlockDiagonal(k, re.nLevels);
  for (let r = 0; r < k; r++) {
    for (let c = 0; c < k; c++) {
      const v = sums.product(z[r], z[c]);
      for (let x = 0; x < sums.cells; x++) out.data[levels[x] * k * k + r * k + c] += v[x];
    }
  }
  return out;
}

/** Z_a'Z_b (a later, b earlier) at the level pairs that occur, ordered by block column then block row. */
function sparse(a: ReMat, b: ReMat, la: Int32Array, lb: Int32Array, za: number[], zb: number[], sums: CellProducts): BlockSparse {
  const cells = sums.cells, na = a.nLevels;
  const order = Int32Array.from({ length: cells }, (_, x) => x).sort((x, y) => lb[x] * na + la[x] - (lb[y] * na + la[y]));
  const colPtr = new Int32Array(b.nLevels + 1);
  const rows: number[] = [];
  const slot = new Int32Array(cells);
  let last = -1;
  for (const x of order) {
    const key = lb[x] * na + la[x];
    if (key !== last) {
      last = key;
      rows.push(la[x]);
      colPtr[lb[x] + 1]++;
    }
    slot[x] = rows.length - 1;
  }
  for (let c = 0; c < b.nLevels; c++) colPtr[c + 1] += colPtr[c];
  const out = new BlockSparse(a.k, b.k, na, b.nLevels, colPtr, Int32Array.from(rows));
  const ka = a.k, kb = b.k;
  for (let r = 0; r < ka; r++) {
    for (let c = 0; c < kb; c++) {
      const v = sums.product(za[r], zb[c]);
      for (let x = 0; x < cells; x++) out.values[slot[x] * ka * kb + r * kb + c] += v[x];
    }
  }
  return out;
}

/** [X y]'Z_b, dense (p + 1) × q_b. */
function fixedRandom(xy: number[], b: ReMat, levels: Int32Array, z: number[], sums: CellProducts): Dense {
  const k = b.k, out = new Dense(xy.length, b.q), cols = out.cols;
  for (let r = 0; r < xy.length; r++) {
    for (let c = 0; c < k; c++) {
      const v = sums.product(xy[r], z[c]);
      for (let x = 0; x < sums.cells; x++) out.data[r * cols + levels[x] * k + c] += v[x];
    }
  }
  return out;
}

/** [X y]'[X y], dense and symmetric. */
function fixedFixed(xy: number[], sums: CellProducts): Dense {
  const m = xy.length, out = new Dense(m, m);
  for (let r = 0; r < m; r++) {
    for (let c = 0; c <= r; c++) {
      const v = sums.product(xy[r], xy[c]);
      let s = 0;
      for (let x = 0; x < sums.cells; x++) s += v[x];
      out.data[r * m + c] = s;
      out.data[c * m + r] = s;
    }
  }
  return out;
}

/** The cells' products with each cell's scaled by `weight[x]` (0 leaves a cell out but keeps its place in every block's pattern). */
export function weightedCells(sums: CellProducts, weight: Float64Array): CellProducts {
  return {
    cells: sums.cells,
    n: sums.n,
    product: (a, b) => {
      const v = sums.product(a, b), out = new Float64Array(v.length);
      for (let x = 0; x < v.length; x++) out[x] = v[x] * weight[x];
      return out;
    },
  };
}
