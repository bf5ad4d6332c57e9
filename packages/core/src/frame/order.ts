/**
 * A canonical order of the observations: sorted by their values in every given column, so that
 * the same data in any row order give the same order (rows equal in every column are
 * interchangeable). Every sum over observations in the fitter runs in this order, which makes
 * fits bit-identical whatever the order of the input rows. The design's order uses the columns
 * of X and Z only; sums that involve a response use {@link responseOrder}, so one design serves
 * every response and gives the same bits as a fresh fit of that response.
 */
export function canonicalOrder(n: number, columns: ArrayLike<number>[]): Int32Array {
  const order = Int32Array.from({ length: n }, (_, i) => i);
  return order.sort((a, b) => {
    for (const c of columns) {
      const d = c[a] - c[b];
      if (d !== 0) return d < 0 ? -1 : 1;
    }
    return 0;
  });
}

/**
 * The canonical order refined by a response: within each run of observations that the design's
 * order cannot tell apart (equal in every column of X and Z), sorted by y. Runs are usually single
 * observations, so this costs about one pass.
 */
export function responseOrder(order: Int32Array, ties: Int32Array, y: ArrayLike<number>): Int32Array {
  const out = order.slice();
  for (let t = 0; t + 1 < ties.length; t++) {
    const from = ties[t], to = ties[t + 1];
    if (to - from > 1) out.subarray(from, to).sort((a, b) => y[a] - y[b]);
  }
  return out;
}

/** Start positions (in `order`) of the runs of observations equal in every column, and the end. */
export function tieRuns(order: Int32Array, columns: ArrayLike<number>[]): Int32Array {
  const starts = [0];
  for (let i = 1; i < order.length; i++) {
    const a = order[i - 1], b = order[i];
    if (columns.some((c) => c[a] !== c[b])) starts.push(i);
  }
  starts.push(order.length);
  return Int32Array.from(starts);
}
