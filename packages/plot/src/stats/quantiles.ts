import { qnorm } from "@lmm/core/numerics";

/**
 * Standard normal quantiles at R's plotting positions `ppoints(n)`: (i − a) / (n + 1 − 2a) with
 * a = 3/8 for n ≤ 10 and 1/2 above, the theoretical axis of `qqnorm`.
 *
 * @example
 * ```ts
 * normalScores(3); // [-0.674…, 0, 0.674…]
 * ```
 */
export function normalScores(n: number): Float64Array {
  const a = n <= 10 ? 3 / 8 : 1 / 2;
  return Float64Array.from({ length: n }, (_, i) => qnorm((i + 1 - a) / (n + 1 - 2 * a)));
}

/**
 * Indices that sort `values` ascending (NaN last), stable.
 *
 * @example
 * ```ts
 * ascendingOrder([3, 1, 2]); // Int32Array [1, 2, 0]
 * ```
 */
export function ascendingOrder(values: ArrayLike<number>): Int32Array {
  const order = Int32Array.from({ length: values.length }, (_, i) => i);
  return order.sort((a, b) => compareNumbers(values[a], values[b]) || a - b);
}

function compareNumbers(a: number, b: number): number {
  if (Number.isNaN(a)) return Number.isNaN(b) ? 0 : 1;
  if (Number.isNaN(b)) return -1;
  return a - b;
}
