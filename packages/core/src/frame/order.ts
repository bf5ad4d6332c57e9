/**
 * A canonical order of the observations: sorted by their values in every given column, so that
 * the same data in any row order give the same order (rows equal in every column are
 * interchangeable). Every sum over observations in the fitter runs in this order, which makes
 * fits bit-identical whatever the order of the input rows.
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
