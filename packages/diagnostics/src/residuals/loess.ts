/** A smooth curve through a scatter: ascending x (a grid, or the distinct x of the points) and the smooth at each. */
export interface SmoothCurve {
  x: Float64Array;
  y: Float64Array;
}

/**
 * Local linear regression with tricube weights over the nearest `span` fraction of the points
 * (LOESS of degree 1 without robustness iterations, as R's `loess(degree = 1, family = "gaussian")`
 * up to its interpolation), evaluated at `points` x values spread evenly over the range.
 *
 * @example
 * ```ts
 * loessCurve(Float64Array.of(1, 2, 3, 4, 5), Float64Array.of(2, 4, 6, 8, 10), { points: 3 }).y; // ≈ [2, 6, 10]
 * ```
 */
export function loessCurve(x: ArrayLike<number>, y: ArrayLike<number>, options: { span?: number; points?: number } = {}): SmoothCurve {
  const span = options.span ?? 0.75;
  const order = Array.from({ length: x.length }, (_, i) => i).filter((i) => Number.isFinite(x[i]) && Number.isFinite(y[i]));
  order.sort((a, b) => x[a] - x[b]);
  const xs = Float64Array.from(order, (i) => x[i]);
  const ys = Float64Array.from(order, (i) => y[i]);
  const n = xs.length;
  const m = Math.max(2, options.points ?? 50);
  if (n === 0) return { x: new Float64Array(0), y: new Float64Array(0) };
  const q = Math.min(n, Math.max(2, Math.ceil(span * n)));
  const lo = xs[0], hi = xs[n - 1];
  const grid = Float64Array.from({ length: lo === hi ? 1 : m }, (_, g) => lo + ((hi - lo) * g) / (m - 1));
  const out = new Float64Array(grid.length);
  let left = 0;
  grid.forEach((x0, g) => {
    // Slide a window of q consecutive sorted points to the q nearest neighbours of x0.
    while (left + q < n && x0 - xs[left] > xs[left + q] - x0) left++;
    const right = left + q - 1;
    const dmax = Math.max(x0 - xs[left], xs[right] - x0) * (1 + 1e-10) || 1;
    let sw = 0, sx = 0, sy = 0, sxx = 0, sxy = 0;
    for (let i = left; i <= right; i++) {
      const u = Math.abs(xs[i] - x0) / dmax;
      const w = (1 - u * u * u) ** 3;
      const dx = xs[i] - x0;
      sw += w; sx += w * dx; sy += w * ys[i]; sxx += w * dx * dx; sxy += w * dx * ys[i];
    }
    const det = sw * sxx - sx * sx;
    // Intercept of the weighted line in x − x0; a window with one distinct x gives its mean.
    out[g] = Math.abs(det) > 1e-12 * sw * sxx ? (sxx * sy - sx * sxy) / det : sy / sw;
  });
  return { x: grid, y: out };
}
