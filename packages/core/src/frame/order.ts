/**
 * A canonical order of the observations: sorted by their values in every given column, so that
 * the same data in any row order give the same order (rows equal in every column are
 * interchangeable). Every sum over observations in the fitter runs in this order, which makes
 * fits bit-identical whatever the order of the input rows. The design's order uses the columns
 * of X and Z only; sums that involve a response use {@link responseOrder}, so one design serves
 * every response and gives the same bits as a fresh fit of that response.
 */
export function canonicalOrder(n: number, columns: ArrayLike<number>[]): Int32Array {
  // A constant column (the intercept) never decides: leaving it out gives the same order, faster.
  const cols = varying(n, columns);
  const k = cols.length;
  const compare = (from: number) => (a: number, b: number) => {
    for (let j = from; j < k; j++) {
      const c = cols[j], d = c[a] - c[b];
      if (d !== 0) return d < 0 ? -1 : 1;
    }
    return 0;
  };
  const first = cols[0];
  if (first instanceof Int32Array) return bucketThenSort(n, first, compare(1));
  return Int32Array.from({ length: n }, (_, i) => i).sort(compare(0));
}

/**
 * The same order when the first column holds codes 0 … L − 1 (a grouping factor's): a counting sort
 * by code, then each level's few rows sorted by the other columns.
 */
function bucketThenSort(n: number, codes: Int32Array, rest: (a: number, b: number) => number): Int32Array {
  let levels = 0;
  for (let i = 0; i < n; i++) levels = Math.max(levels, codes[i] + 1);
  const start = new Int32Array(levels + 1);
  for (let i = 0; i < n; i++) start[codes[i] + 1]++;
  for (let l = 0; l < levels; l++) start[l + 1] += start[l];
  const order = new Int32Array(n);
  const next = start.slice(0, levels);
  for (let i = 0; i < n; i++) order[next[codes[i]]++] = i;
  for (let l = 0; l < levels; l++) if (start[l + 1] - start[l] > 1) order.subarray(start[l], start[l + 1]).sort(rest);
  return order;
}

function varying(n: number, columns: ArrayLike<number>[]): ArrayLike<number>[] {
  return columns.filter((c) => {
    for (let i = 1; i < n; i++) if (c[i] !== c[0]) return true;
    return false;
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
  const cols = varying(order.length, columns), k = cols.length;
  for (let i = 1; i < order.length; i++) {
    const a = order[i - 1], b = order[i];
    for (let j = 0; j < k; j++) {
      if (cols[j][a] !== cols[j][b]) {
        starts.push(i);
        break;
      }
    }
  }
  starts.push(order.length);
  return Int32Array.from(starts);
}
