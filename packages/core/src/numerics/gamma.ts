// Gamma and χ² draws from the seeded generator (shared by the datasets' simulations and the
// bootstrap from sums, whose χ² has the rows beyond a cell's rank as df).
import type { Rng } from "./Rng.js";

/**
 * Gamma(shape, rate 1) draw (Marsaglia & Tsang 2000; shape < 1 through the u^(1/shape) boost), O(1)
 * whatever the shape.
 *
 * @example
 * ```ts
 * gammaDraw(new Rng(1), 2.5); // mean 2.5, variance 2.5
 * ```
 */
export function gammaDraw(rng: Rng, shape: number): number {
  if (shape < 1) return gammaDraw(rng, shape + 1) * Math.pow(rng.uniform(), 1 / shape);
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    let x: number, v: number;
    do {
      x = rng.normal();
      v = 1 + c * x;
    } while (v <= 0);
    v = v * v * v;
    const u = rng.uniform();
    if (Math.log(u) < 0.5 * x * x + d - d * v + d * Math.log(v)) return d * v;
  }
}

/**
 * χ² draw with k ≥ 0 degrees of freedom: 2·Gamma(k/2), and 0 for k = 0.
 *
 * @example
 * ```ts
 * chiSquareDraw(new Rng(1), 1_000_000); // about 1e6 ± 1414
 * ```
 */
export function chiSquareDraw(rng: Rng, k: number): number {
  return k <= 0 ? 0 : 2 * gammaDraw(rng, k / 2);
}
