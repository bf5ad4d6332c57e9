// The variance parameters on lme4's "sdcor" scale (each term's standard deviations and
// correlations, then sigma), their names as lme4's `confint` rows, the maps to and from θ
// (lme4's Cv_to_Sv / Sv_to_Cv), and the ML deviance as a function of them (lme4's `devfun2`).
import { designOf } from "../model/state.js";
import type { Fitter, FitterDesign } from "../engine/Fitter.js";
import type { ThetaLayout } from "../engine/theta.js";
import { parameterPositions, termFactors } from "./varianceParameters.js";
import { semidefiniteFactor } from "../numerics/dense/spd.js";

/**
 * lme4's names of the variance parameters, θ's order then sigma: `sd_(Intercept)|Subject`,
 * `cor_Days.(Intercept)|Subject`, `sd_Days|Subject`, …, `sigma`.
 *
 * @example
 * ```ts
 * varianceParameterNames(designOf(model).theta); // ["sd_(Intercept)|Subject", "cor_Days.(Intercept)|Subject", "sd_Days|Subject", "sigma"]
 * ```
 */
export function varianceParameterNames(layout: ThetaLayout): string[] {
  const names = parameterPositions(layout).map(({ term, row, col }) => {
    const t = layout.terms[term];
    const cols = t.remat.columnNames.slice(t.offset, t.offset + t.k);
    return row === col ? `sd_${cols[row]}|${t.remat.groupLabel}` : `cor_${cols[row]}.${cols[col]}|${t.remat.groupLabel}`;
  });
  return [...names, "sigma"];
}

/** Bounds of the sdcor parameters: sd and sigma in [0, ∞), correlations in [−1, 1]. */
export function sdcorBounds(layout: ThetaLayout): { lower: Float64Array; upper: Float64Array } {
  const pos = parameterPositions(layout);
  const lower = Float64Array.from([...pos.map((p) => (p.row === p.col ? 0 : -1)), 0]);
  const upper = Float64Array.from([...pos.map((p) => (p.row === p.col ? Infinity : 1)), Infinity]);
  return { lower, upper };
}

/** (θ, σ) → sds and correlations of every term, then σ (lme4's Cv_to_Sv; a correlation with a zero sd is 0). */
export function thetaToSdcor(layout: ThetaLayout, theta: ArrayLike<number>, sigma: number): Float64Array {
  const T = termFactors(layout, theta);
  const pos = parameterPositions(layout);
  const cov = (term: number, r: number, c: number) => {
    const k = layout.terms[term].k, t = T[term];
    let s = 0;
    for (let u = 0; u <= Math.min(r, c); u++) s += t[r * k + u] * t[c * k + u];
    return sigma * sigma * s;
  };
  const out = new Float64Array(pos.length + 1);
  pos.forEach(({ term, row, col }, i) => {
    if (row === col) out[i] = Math.sqrt(cov(term, row, row));
    else {
      const v = cov(term, row, col) / Math.sqrt(cov(term, row, row) * cov(term, col, col));
      out[i] = Number.isFinite(v) ? v : 0;
    }
  });
  out[pos.length] = sigma;
  return out;
}

/**
 * sdcor parameters (sigma last) → θ (lme4's Sv_to_Cv): each term's covariance divided by σ²,
 * factored by a Cholesky that tolerates a singular matrix (a zero pivot leaves its column zero).
 */
export function sdcorToTheta(layout: ThetaLayout, v: ArrayLike<number>, out = new Float64Array(layout.length)): Float64Array {
  const sigma = v[v.length - 1];
  const s2 = sigma * sigma;
  for (const t of layout.terms) {
    const k = t.k;
    const sd = new Float64Array(k), cor = new Float64Array(k * k);
    let i = t.start;
    for (let c = 0; c < k; c++) for (let r = c; r < k; r++) {
      if (r === c) sd[r] = v[i++];
      else cor[r * k + c] = cor[c * k + r] = v[i++];
    }
    const a = new Float64Array(k * k);
    for (let r = 0; r < k; r++) for (let c = 0; c <= r; c++) a[r * k + c] = ((r === c ? 1 : cor[r * k + c]) * sd[r] * sd[c]) / s2;
    const L = semidefiniteCholesky(a, k);
    i = t.start;
    for (let c = 0; c < k; c++) for (let r = c; r < k; r++) out[i++] = L[r * k + c];
  }
  return out;
}

function semidefiniteCholesky(a: Float64Array, k: number): Float64Array {
  return semidefiniteFactor(a, k, (j) => 1e-14 * Math.max(a[j * k + j], 1e-300)).factor;
}

/**
 * lme4's `devfun2` for a linear mixed model: the ML deviance at the sdcor parameters (σ explicit,
 * β at its conditional optimum), log|L_θ|² + r²(θ)/σ² + n log(2πσ²). `fitter` must be an ML fitter.
 */
export function sdcorDeviance(fitter: Fitter<FitterDesign>, layout: ThetaLayout): (v: ArrayLike<number>) => number {
  const theta = new Float64Array(layout.length);
  const n = fitter.n;
  return (v) => {
    const sigma = v[v.length - 1];
    if (!(sigma > 0)) return Infinity;
    sdcorToTheta(layout, v, theta);
    if (!Number.isFinite(fitter.evaluate(theta))) return Infinity;
    const { logdetZ, pwrss } = fitter.parts();
    const s2 = sigma * sigma;
    return logdetZ - fitter.logDetWeights + pwrss / s2 + n * Math.log(2 * Math.PI * s2);
  };
}
