import { BlockSparse, Dense, UniformBlockDiagonal } from "./linalg/Dense.js";
import type { ReMat } from "./ReMat.js";

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
