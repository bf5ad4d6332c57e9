// The two splines lme4's profile intervals are read from (R's splines package): the natural
// cubic interpolating spline of ζ against the parameter (`interpSpline`), and its inverse, the
// piecewise cubic Hermite "back spline" of the parameter against ζ (`backSpline`), evaluated as
// `predict.polySpline` does (NA outside the knots).

/** A piecewise polynomial: on [knots[i], knots[i+1]], c₀ + c₁d + c₂d² + c₃d³ with d = x − knots[i]. */
export interface PolySpline {
  knots: Float64Array;
  /** nk × 4, row-major (the last row holds the value at the last knot). */
  coefficients: Float64Array;
}

/**
 * `interpSpline(y ~ x)` as a polynomial spline: the natural cubic spline through (xᵢ, yᵢ), x
 * strictly increasing, at least 4 points. Row i holds y, y', y''/2, y'''/6 at xᵢ.
 */
export function interpolatingSpline(x: Float64Array, y: Float64Array): PolySpline {
  const n = x.length;
  const h = new Float64Array(n - 1);
  for (let i = 0; i < n - 1; i++) h[i] = x[i + 1] - x[i];
  // Second derivatives M with M₀ = M_{n−1} = 0: tridiagonal system (Thomas algorithm).
  const M = new Float64Array(n);
  if (n > 2) {
    const m = n - 2;
    const diag = new Float64Array(m), rhs = new Float64Array(m), sub = new Float64Array(m);
    for (let i = 1; i <= m; i++) {
      diag[i - 1] = 2 * (h[i - 1] + h[i]);
      sub[i - 1] = h[i - 1];
      rhs[i - 1] = 6 * ((y[i + 1] - y[i]) / h[i] - (y[i] - y[i - 1]) / h[i - 1]);
    }
    for (let i = 1; i < m; i++) {
      const f = sub[i] / diag[i - 1];
      diag[i] -= f * h[i];
      rhs[i] -= f * rhs[i - 1];
    }
    M[m] = rhs[m - 1] / diag[m - 1];
    for (let i = m - 1; i >= 1; i--) M[i] = (rhs[i - 1] - h[i] * M[i + 1]) / diag[i - 1];
  }
  const coefficients = new Float64Array(n * 4);
  for (let i = 0; i < n; i++) {
    let d1: number, d3: number;
    if (i < n - 1) {
      d1 = (y[i + 1] - y[i]) / h[i] - (h[i] * (2 * M[i] + M[i + 1])) / 6;
      d3 = (M[i + 1] - M[i]) / (6 * h[i]);
    } else {
      d1 = (y[i] - y[i - 1]) / h[i - 1] + (h[i - 1] * (M[i - 1] + 2 * M[i])) / 6;
      d3 = (M[i] - M[i - 1]) / (6 * h[i - 1]);
    }
    coefficients.set([y[i], d1, M[i] / 2, d3], i * 4);
  }
  coefficients[2] = 0;
  coefficients[(n - 1) * 4 + 2] = 0;
  return { knots: Float64Array.from(x), coefficients };
}

/**
 * `backSpline` of a cubic interpolating spline: x as a function of y, Hermite cubics through the
 * knots with slopes 1/y', the end intervals quadratic. Returns null when y is not monotone (R
 * stops with "spline must be monotone").
 */
export function backSpline(s: PolySpline): PolySpline | null {
  const { knots, coefficients: c } = s;
  const nk = knots.length, nkm1 = nk - 1;
  const bknots = Float64Array.from({ length: nk }, (_, i) => c[i * 4]);
  const adiff = new Float64Array(nkm1), kdiff = new Float64Array(nkm1);
  for (let i = 0; i < nkm1; i++) {
    adiff[i] = bknots[i + 1] - bknots[i];
    kdiff[i] = knots[i + 1] - knots[i];
  }
  const increasing = adiff.every((d) => d > 0);
  if (!increasing && !adiff.every((d) => d < 0)) return null;
  const b = new Float64Array(nk * 4);
  for (let i = 0; i < nk; i++) {
    b[i * 4] = knots[i];
    b[i * 4 + 1] = 1 / c[i * 4 + 1];
  }
  for (let i = 0; i < nkm1; i++) {
    // [a², a³; 2a, 3a²] [c₂; c₃] = [kdiff − a·b₁ᵢ; b₁ᵢ₊₁ − b₁ᵢ]
    const a = adiff[i];
    const r1 = kdiff[i] - a * b[i * 4 + 1], r2 = b[(i + 1) * 4 + 1] - b[i * 4 + 1];
    const det = a * a * 3 * a * a - a * a * a * 2 * a;
    b[i * 4 + 2] = (r1 * 3 * a * a - a * a * a * r2) / det;
    b[i * 4 + 3] = (a * a * r2 - 2 * a * r1) / det;
  }
  b[nkm1 * 4 + 1] = b[nkm1 * 4 + 2] = b[nkm1 * 4 + 3] = NaN;
  if (nk > 2) {
    b[3] = 0;
    b[(nkm1 - 1) * 4 + 3] = 0;
    // [a, a²; 1, 2a] [b₁; b₂] = [kdiff₀; 1/y'₁]
    const a = adiff[0], r1 = kdiff[0], r2 = 1 / c[4 + 1];
    const det = a * 2 * a - a * a;
    b[1] = (r1 * 2 * a - a * a * r2) / det;
    b[2] = (a * r2 - r1) / det;
    const l = nkm1 - 1;
    b[l * 4 + 2] = (kdiff[l] - adiff[l] * b[l * 4 + 1]) / (adiff[l] * adiff[l]);
  }
  if (b[2] > 0) {
    b[2] = 0;
    b[1] = kdiff[0] / adiff[0];
  }
  const l = nkm1 - 1;
  if (b[l * 4 + 2] < 0) {
    b[l * 4 + 2] = 0;
    b[l * 4 + 1] = kdiff[l] / adiff[l];
  }
  if (increasing) return { knots: bknots, coefficients: b };
  const rev = new Float64Array(nk * 4);
  for (let i = 0; i < nk; i++) rev.set(b.subarray((nk - 1 - i) * 4, (nk - i) * 4), i * 4);
  return { knots: bknots.reverse(), coefficients: rev };
}

/** `predict.polySpline` at one x: NaN outside [first knot, last knot]. */
export function evaluateSpline(s: PolySpline, x: number): number {
  const { knots, coefficients: c } = s;
  const nk = knots.length;
  if (!(x >= knots[0] && x <= knots[nk - 1])) return NaN;
  // R's cut(x, knots): intervals (kᵢ, kᵢ₊₁], the first knot itself in the first interval.
  let i = 0;
  while (i < nk - 2 && x > knots[i + 1]) i++;
  const d = x - knots[i];
  return ((c[i * 4 + 3] * d + c[i * 4 + 2]) * d + c[i * 4 + 1]) * d + c[i * 4];
}

/** R's `approxfun(x, y)(at)` (rule 1): linear interpolation after sorting by x, NaN outside. */
export function linearInterpolate(x: ArrayLike<number>, y: ArrayLike<number>, at: number): number {
  const idx = Array.from({ length: x.length }, (_, i) => i).filter((i) => Number.isFinite(x[i]) && Number.isFinite(y[i])).sort((a, b) => x[a] - x[b]);
  if (idx.length < 2 || !(at >= x[idx[0]] && at <= x[idx[idx.length - 1]])) return NaN;
  for (let k = 0; k < idx.length - 1; k++) {
    const a = idx[k], b = idx[k + 1];
    if (at <= x[b]) return x[b] === x[a] ? (y[a] + y[b]) / 2 : y[a] + ((at - x[a]) / (x[b] - x[a])) * (y[b] - y[a]);
  }
  return NaN;
}
