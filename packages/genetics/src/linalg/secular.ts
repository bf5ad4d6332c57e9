import { ConvergenceError } from "../errors.js";

const EPS = 2 ** -52;

/**
 * Solves the secular equation 1/ρ + Σ_j w_j² / (δ_j − λ) = 0 for its root number `i` (0-based), where
 * `dl` holds the K poles in strictly ascending order, Σ w_j² = 1 and ρ > 0. Root i lies in (dl_i, dl_{i+1})
 * (the last one in (dl_{K-1}, dl_{K-1} + ρ)). Writes `delta[j] = dl_j − λ_i` computed relative to the nearer
 * pole, which is what keeps the eigenvectors orthogonal (Gu & Eisenstat), and returns λ_i.
 *
 * Iteration: a rational model with one pole on each side of the root fitted to the value and slope of the
 * two partial sums (the "middle way" of Li, as in LAPACK dlaed4), safeguarded by bisection on a bracket.
 *
 * @example
 * ```ts
 * const delta = new Float64Array(2);
 * secularRoot(Float64Array.of(0, 1), Float64Array.of(Math.SQRT1_2, Math.SQRT1_2), 1, 0, delta);
 * ```
 */
export function secularRoot(dl: Float64Array, w: Float64Array, rho: number, i: number, delta: Float64Array): number {
  const K = dl.length;
  const last = i === K - 1;
  let origin: number;
  let lo: number, hi: number; // bracket for τ (λ = origin + τ)
  if (last) {
    origin = i;
    lo = 0;
    hi = rho;
    // Tighter upper end when possible: λ ≤ dl_{K-1} + ρ (Σ w² = 1).
  } else {
    const gap = dl[i + 1] - dl[i];
    const mid = 0.5 * gap;
    // Value at the midpoint decides which pole the root is nearer to.
    let f = 1 / rho;
    for (let j = 0; j < K; j++) f += (w[j] * w[j]) / (dl[j] - dl[i] - mid);
    if (f >= 0) { origin = i; lo = 0; hi = mid; }
    else { origin = i + 1; lo = -mid; hi = 0; }
  }
  const base = dl[origin];
  for (let j = 0; j < K; j++) delta[j] = dl[j] - base;
  const dI = delta[i], dI1 = last ? Infinity : delta[i + 1];
  let tau = 0.5 * (lo + hi);
  for (let iter = 0; iter < 200; iter++) {
    let psi = 0, dpsi = 0, phi = 0, dphi = 0;
    for (let j = 0; j <= i; j++) {
      const t = w[j] / (delta[j] - tau);
      psi += w[j] * t;
      dpsi += t * t;
    }
    for (let j = i + 1; j < K; j++) {
      const t = w[j] / (delta[j] - tau);
      phi += w[j] * t;
      dphi += t * t;
    }
    const f = 1 / rho + psi + phi;
    const errBound = 8 * EPS * (1 / rho + Math.abs(psi) + Math.abs(phi)) + EPS * Math.abs(tau) * (dpsi + dphi);
    if (Math.abs(f) <= errBound) break;
    if (f > 0) hi = tau; else lo = tau;
    // τ is the distance to the origin pole and enters δ_origin = −τ directly: it needs full *relative*
    // precision, so the bracket is judged against |τ|, not |λ|.
    if (hi - lo <= 2 * EPS * Math.max(Math.abs(lo), Math.abs(hi))) break;
    // Two-pole model: psi ≈ a + s/(dI − t), phi ≈ b + r/(dI1 − t), matched in value and slope at τ.
    let next: number;
    const ei = dI - tau;
    const s = dpsi * ei * ei;
    if (last) {
      const c = 1 / rho + psi - s / ei + phi;
      next = c > 0 ? dI + s / c : NaN;
    } else {
      const ej = dI1 - tau;
      const r = dphi * ej * ej;
      const c = 1 / rho + psi - s / ei + phi - r / ej;
      // c + s/(dI − t) + r/(dI1 − t) = 0  ⇔  c (dI − t)(dI1 − t) + s (dI1 − t) + r (dI − t) = 0
      const qa = c;
      const qb = -(c * (dI + dI1) + s + r);
      const qc = c * dI * dI1 + s * dI1 + r * dI;
      next = solveQuadraticIn(qa, qb, qc, dI, dI1);
    }
    if (!(next > lo && next < hi)) next = 0.5 * (lo + hi);
    if (next === tau) break;
    tau = next;
    if (iter === 199) throw new ConvergenceError("secular equation", i);
  }
  for (let j = 0; j < K; j++) delta[j] -= tau;
  return base + tau;
}

// Root of a t² + b t + c = 0 inside (lo, hi), computed stably; NaN if none.
function solveQuadraticIn(a: number, b: number, c: number, lo: number, hi: number): number {
  if (a === 0) return b === 0 ? NaN : -c / b;
  const disc = b * b - 4 * a * c;
  if (disc < 0) return NaN;
  const sq = Math.sqrt(disc);
  const q = -0.5 * (b + (b >= 0 ? sq : -sq));
  const r1 = q / a;
  const r2 = q === 0 ? NaN : c / q;
  if (r1 > lo && r1 < hi) return r1;
  if (r2 > lo && r2 < hi) return r2;
  return NaN;
}
