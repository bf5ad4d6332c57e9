// The one place where the fitter's numerical input is summed from rows: the blocks of
// A = [Z X y]'W[Z X y] in the blocked layout (one block per pair of grouping factors, then [X y]),
// every sum running in the design's canonical order so that a fit does not depend on the order of
// the rows. Whatever else produces the same blocks (sums computed next to the data, per stratum)
// hands them to the same systems through {@link CrossProducts}; row-level outputs (fitted values,
// residuals) are a separate pass over the design's rows.
import { InvalidArgumentError } from "../errors/LmmError.js";
import { FitFailedError } from "../errors/data.js";
import { responseOrder } from "../frame/order.js";
import { BlockSparse, Dense, UniformBlockDiagonal } from "./linalg/Dense.js";
import type { Block } from "./linalg/products.js";
import type { LmmDesign } from "./design.js";
import type { ReMat } from "./ReMat.js";

/**
 * The fitter's numerical input: the lower block triangle of A = [Z₁ … Z_m X y]'W[Z₁ … Z_m X y]
 * (A[i][j], j ≤ i ≤ m; A[i][i] block diagonal per level for i < m, A[i][j] block-sparse at the level
 * pairs that occur, [X y] rows dense), with the number of observations and Σ log wᵢ. The level
 * structure (levels and columns per grouping factor) is the design's ReMats'.
 */
export interface CrossProducts {
  /** Observations summed (weight-0 rows excluded). */
  readonly n: number;
  /** Fixed-effect columns: [X y] has p + 1. */
  readonly p: number;
  readonly A: Block[][];
  /** Σ log wᵢ of the prior weights (0 without weights): lme4's `ldW`. */
  readonly logWeights: number;
}

/** Beyond this magnitude sums of squares of n values can overflow double precision. */
const MAX_MAGNITUDE = 1e150;

function checkMagnitude(formula: string, y: Float64Array): void {
  let max = 0;
  for (let i = 0; i < y.length; i++) max = Math.max(max, Math.abs(y[i]));
  if (!(max <= MAX_MAGNITUDE)) throw new FitFailedError(formula, `the response has values as large as ${max.toExponential(3)}; their squares overflow. Rescale it (divide by a power of 10)`);
}

/**
 * {@link CrossProducts} summed from a design's rows for one response, which `setResponse` replaces
 * (only the response's row of each [X y] block changes: many features, one design).
 */
export class RowCrossProducts implements CrossProducts {
  readonly n: number;
  readonly p: number;
  readonly A: Block[][];
  readonly logWeights: number;
  /** The canonical order refined by the current response (sums involving y run in it). */
  yOrder: Int32Array;
  private response: Float64Array;

  constructor(
    readonly design: LmmDesign,
    y: Float64Array,
  ) {
    const { X, reterms, order, weights } = design;
    this.n = design.frame.n;
    this.p = X.p;
    checkMagnitude(design.formula, y);
    this.response = y;
    const working = this.working(y);
    this.yOrder = responseOrder(order, design.ties, working);
    const m = reterms.length;
    this.A = [];
    for (let i = 0; i <= m; i++) {
      const row: Block[] = [];
      for (let j = 0; j <= i; j++) {
        if (i === m) row.push(j === m ? crossprodFixedFixed(X.data, X.p, working, order, this.yOrder, weights) : crossprodFixed(X.data, X.p, working, reterms[j], order, this.yOrder, weights));
        else row.push(i === j ? crossprodDiagonal(reterms[i], order, weights) : crossprodSparse(reterms[i], reterms[j], order, weights));
      }
      this.A.push(row);
    }
    let ldW = 0;
    if (weights) for (let i = 0; i < weights.length; i++) ldW += Math.log(weights[order[i]]);
    this.logWeights = ldW;
  }

  /** The response as given (on the data's scale, offset included). */
  get y(): Float64Array {
    return this.response;
  }

  /** Uses a new response of length n (the rows of the frame): refills the response's row of A. */
  setResponse(y: Float64Array): void {
    if (y.length !== this.n) throw new InvalidArgumentError("response", `${y.length} values`, `${this.n} values, one per row used`);
    const { X, reterms, order, ties, weights } = this.design;
    checkMagnitude(this.design.formula, y);
    this.response = y;
    const working = this.working(y);
    this.yOrder = responseOrder(order, ties, working);
    const m = reterms.length, p = X.p;
    for (let j = 0; j < m; j++) fillFixedRows(this.A[m][j] as Dense, X.data, p, working, reterms[j], p, p + 1, order, this.yOrder, weights);
    fillFixedFixed(this.A[m][m] as Dense, X.data, p, working, p, order, this.yOrder, weights);
  }

  /** The response the system is solved for: y minus the offset (y itself without one). */
  private working(y: Float64Array): Float64Array {
    const offset = this.design.offset;
    if (!offset) return y;
    const out = new Float64Array(y.length);
    for (let i = 0; i < y.length; i++) out[i] = y[i] - offset[i];
    checkMagnitude(this.design.formula, out);
    return out;
  }
}

/** Z_i'WZ_i: one k × k block per level (W the prior weights; null: unit weights). */
export function crossprodDiagonal(re: ReMat, order: Int32Array, w: Float64Array | null = null): UniformBlockDiagonal {
  const { k, z, refs } = re;
  const out = new UniformBlockDiagonal(k, re.nLevels);
  const d = out.data;
  for (let x = 0; x < order.length; x++) {
    const i = order[x];
    const o = refs[i] * k * k, zi = i * k;
    if (w) {
      const wi = w[i];
      for (let r = 0; r < k; r++) for (let c = 0; c < k; c++) d[o + r * k + c] += wi * z[zi + r] * z[zi + c];
    } else for (let r = 0; r < k; r++) for (let c = 0; c < k; c++) d[o + r * k + c] += z[zi + r] * z[zi + c];
  }
  return out;
}

/** Z_a'WZ_b for two grouping factors (a later, b earlier), as blocks at the level pairs that occur. */
export function crossprodSparse(a: ReMat, b: ReMat, canonical: Int32Array, w: Float64Array | null = null): BlockSparse {
  const n = a.refs.length;
  const na = a.nLevels;
  // Sort observations by (level of b, level of a) to find the distinct pairs in block-column order;
  // ties keep the canonical order, so sums run in the same order whatever the input row order.
  const keys = new Float64Array(n);
  for (let i = 0; i < n; i++) keys[i] = b.refs[i] * na + a.refs[i];
  const order = countingSort(countingSort(canonical, a.refs, na), b.refs, b.nLevels);
  const colPtr = new Int32Array(b.nLevels + 1);
  const rows: number[] = [];
  const slot = new Int32Array(n);
  let last = -1;
  for (let x = 0; x < n; x++) {
    const i = order[x];
    if (keys[i] !== last) {
      last = keys[i];
      rows.push(a.refs[i]);
      colPtr[b.refs[i] + 1]++;
    }
    slot[i] = rows.length - 1;
  }
  for (let c = 0; c < b.nLevels; c++) colPtr[c + 1] += colPtr[c];
  const out = new BlockSparse(a.k, b.k, a.nLevels, b.nLevels, colPtr, Int32Array.from(rows));
  const v = out.values, ka = a.k, kb = b.k;
  for (let x = 0; x < n; x++) {
    const i = order[x];
    const o = slot[i] * ka * kb;
    if (w) {
      const wi = w[i];
      for (let r = 0; r < ka; r++) for (let c = 0; c < kb; c++) v[o + r * kb + c] += wi * a.z[i * ka + r] * b.z[i * kb + c];
    } else for (let r = 0; r < ka; r++) for (let c = 0; c < kb; c++) v[o + r * kb + c] += a.z[i * ka + r] * b.z[i * kb + c];
  }
  return out;
}

/** `order` stably sorted by `codes` (0 … levels − 1). */
function countingSort(order: Int32Array, codes: Int32Array, levels: number): Int32Array {
  const next = new Int32Array(levels + 1);
  for (let x = 0; x < order.length; x++) next[codes[order[x]] + 1]++;
  for (let l = 0; l < levels; l++) next[l + 1] += next[l];
  const out = new Int32Array(order.length);
  for (let x = 0; x < order.length; x++) out[next[codes[order[x]]]++] = order[x];
  return out;
}

/** [X y]'W Z_b as a dense (p + 1) × q_b block; X column-major n × p. */
export function crossprodFixed(X: Float64Array, p: number, y: Float64Array, b: ReMat, order: Int32Array, yOrder: Int32Array, w: Float64Array | null = null): Dense {
  const out = new Dense(p + 1, b.q);
  fillFixedRows(out, X, p, y, b, 0, p + 1, order, yOrder, w);
  return out;
}

/** Recomputes rows [from, to) of [X y]'W Z_b (row p is the response's). */
export function fillFixedRows(out: Dense, X: Float64Array, p: number, y: Float64Array, b: ReMat, from: number, to: number, order: Int32Array, yOrder: Int32Array, w: Float64Array | null = null): void {
  const n = y.length, k = b.k, d = out.data, cols = out.cols;
  for (let r = from; r < to; r++) {
    d.fill(0, r * cols, (r + 1) * cols);
    const col = r < p ? X.subarray(r * n, (r + 1) * n) : y;
    const rowOrder = r < p ? order : yOrder, refs = b.refs, z = b.z;
    for (let t = 0; t < rowOrder.length; t++) {
      const i = rowOrder[t], x = w ? w[i] * col[i] : col[i];
      if (x === 0) continue;
      const o = r * cols + refs[i] * k, zi = i * k;
      for (let c = 0; c < k; c++) d[o + c] += x * z[zi + c];
    }
  }
}

/** [X y]'W[X y], dense (p + 1) × (p + 1). */
export function crossprodFixedFixed(X: Float64Array, p: number, y: Float64Array, order: Int32Array, yOrder: Int32Array, w: Float64Array | null = null): Dense {
  const out = new Dense(p + 1, p + 1);
  fillFixedFixed(out, X, p, y, 0, order, yOrder, w);
  return out;
}

/** Fills the rows and columns ≥ `from` of [X y]'W[X y] (from = p refreshes only the response's). */
export function fillFixedFixed(out: Dense, X: Float64Array, p: number, y: Float64Array, from: number, order: Int32Array, yOrder: Int32Array, w: Float64Array | null = null): void {
  const n = y.length, m = p + 1, d = out.data;
  const col = (j: number) => (j < p ? X.subarray(j * n, (j + 1) * n) : y);
  for (let r = 0; r < m; r++) {
    for (let c = 0; c <= r; c++) {
      if (r < from && c < from) continue;
      const a = col(r), b = col(c), rowOrder = r === p ? yOrder : order;
      let s = 0;
      if (w) for (let t = 0; t < rowOrder.length; t++) s += w[rowOrder[t]] * a[rowOrder[t]] * b[rowOrder[t]];
      else for (let t = 0; t < rowOrder.length; t++) s += a[rowOrder[t]] * b[rowOrder[t]];
      d[r * m + c] = s;
      d[c * m + r] = s;
    }
  }
}
