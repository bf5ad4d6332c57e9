import type { SmoothCurve } from "./loess.js";

/** Options of {@link lowess}. */
export interface LowessOptions {
  /** Share of the points in each local fit (R's `f`, default 2/3). */
  span?: number;
  /** Robustness iterations (R's `iter`, default 3). */
  iterations?: number;
}


/**
 * Cleveland's LOWESS scatterplot smoother, as R's `lowess()` (local linear fits with tricube weights
 * over the nearest `span · n` points, then bisquare robustness iterations; points closer than 1 % of
 * the x range are interpolated). Pairs with a non-finite coordinate are ignored.
 *
 * @example
 * ```ts
 * lowess([1, 2, 3, 4, 5], [2, 4, 5, 4, 6]).y; // smooth values at x = 1..5
 * ```
 */
export function lowess(x: ArrayLike<number>, y: ArrayLike<number>, options: LowessOptions = {}): SmoothCurve {
  const { xs, ys } = sortedPairs(x, y);
  const n = xs.length;
  if (n === 0) return { x: new Float64Array(0), y: new Float64Array(0) };
  if (n === 1) return { x: xs, y: ys };
  const span = options.span ?? 2 / 3;
  const iterations = options.iterations ?? 3;
  const ns = Math.max(2, Math.min(n, Math.round(span * n)));
  const delta = 0.01 * (xs[n - 1] - xs[0]);
  const robustness = new Float64Array(n).fill(1);
  const fit = new Float64Array(n);
  const weights = new Float64Array(n);
  for (let iteration = 0; iteration <= iterations; iteration++) {
    smoothPass(xs, ys, ns, delta, robustness, weights, fit);
    if (iteration === iterations) break;
    if (!updateRobustness(ys, fit, robustness)) break;
  }
  return distinct(xs, fit);
}

function sortedPairs(x: ArrayLike<number>, y: ArrayLike<number>): { xs: Float64Array; ys: Float64Array } {
  const order: number[] = [];
  for (let i = 0; i < Math.min(x.length, y.length); i++) if (Number.isFinite(x[i]) && Number.isFinite(y[i])) order.push(i);
  order.sort((a, b) => x[a] - x[b]);
  return { xs: Float64Array.from(order, (i) => x[i]), ys: Float64Array.from(order, (i) => y[i]) };
}

/** One pass of local fits over the sorted points, skipping (and interpolating) points within `delta`. */
function smoothPass(xs: Float64Array, ys: Float64Array, ns: number, delta: number, rw: Float64Array, w: Float64Array, fit: Float64Array): void {
  const n = xs.length;
  let left = 0, right = ns - 1, last = -1, i = 0;
  for (;;) {
    while (right < n - 1 && xs[i] - xs[left] > xs[right + 1] - xs[i]) {
      left++;
      right++;
    }
    const value = localFit(xs, ys, xs[i], left, right, rw, w);
    fit[i] = Number.isNaN(value) ? ys[i] : value;
    if (last < i - 1) {
      const denom = xs[i] - xs[last];
      for (let j = last + 1; j < i; j++) {
        const alpha = (xs[j] - xs[last]) / denom;
        fit[j] = alpha * fit[i] + (1 - alpha) * fit[last];
      }
    }
    last = i;
    const cut = xs[last] + delta;
    for (i = last + 1; i < n; i++) {
      if (xs[i] > cut) break;
      if (xs[i] === xs[last]) {
        fit[i] = fit[last];
        last = i;
      }
    }
    i = Math.max(last + 1, i - 1);
    if (last >= n - 1) return;
  }
}

/** The local weighted linear fit at `at` over points left..right (NaN when every weight is zero). */
function localFit(xs: Float64Array, ys: Float64Array, at: number, left: number, right: number, rw: Float64Array, w: Float64Array): number {
  const n = xs.length;
  const range = xs[n - 1] - xs[0];
  const h = Math.max(at - xs[left], xs[right] - at);
  const h9 = 0.999 * h, h1 = 0.001 * h;
  let total = 0, j = left;
  for (; j < n; j++) {
    const r = Math.abs(xs[j] - at);
    if (r <= h9) {
      w[j] = (r <= h1 ? 1 : (1 - (r / h) ** 3) ** 3) * rw[j];
      total += w[j];
    } else if (xs[j] > at) break;
    else w[j] = 0;
  }
  const end = j - 1;
  if (total <= 0) return NaN;
  for (j = left; j <= end; j++) w[j] /= total;
  if (h > 0) {
    let mean = 0;
    for (j = left; j <= end; j++) mean += w[j] * xs[j];
    let spread = 0;
    for (j = left; j <= end; j++) spread += w[j] * (xs[j] - mean) ** 2;
    if (Math.sqrt(spread) > 0.001 * range) {
      const b = (at - mean) / spread;
      for (j = left; j <= end; j++) w[j] *= b * (xs[j] - mean) + 1;
    }
  }
  let value = 0;
  for (j = left; j <= end; j++) value += w[j] * ys[j];
  return value;
}

/** Bisquare robustness weights from the residuals; false when the residuals are (near) zero. */
function updateRobustness(ys: Float64Array, fit: Float64Array, rw: Float64Array): boolean {
  const n = ys.length;
  const abs = Float64Array.from(ys, (v, i) => Math.abs(v - fit[i]));
  const scale = abs.reduce((s, v) => s + v, 0) / n;
  const sorted = abs.slice().sort();
  const m = n >> 1;
  const median = n % 2 ? sorted[m] : (sorted[m - 1] + sorted[m]) / 2;
  const cmad = 6 * median;
  if (cmad < 1e-7 * scale) return false;
  const c9 = 0.999 * cmad, c1 = 0.001 * cmad;
  for (let i = 0; i < n; i++) {
    const r = abs[i];
    rw[i] = r <= c1 ? 1 : r <= c9 ? (1 - (r / cmad) ** 2) ** 2 : 0;
  }
  return true;
}

function distinct(xs: Float64Array, fit: Float64Array): SmoothCurve {
  const keepX: number[] = [], keepY: number[] = [];
  for (let i = 0; i < xs.length; i++) {
    if (i > 0 && xs[i] === xs[i - 1]) continue;
    keepX.push(xs[i]);
    keepY.push(fit[i]);
  }
  return { x: Float64Array.from(keepX), y: Float64Array.from(keepY) };
}
