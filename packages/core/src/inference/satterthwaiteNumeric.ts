// Derivatives in φ = (θ, σ) for Satterthwaite's df by finite differences over θ only: the
// criterion is explicit in σ,
//   dev(θ, σ) = D(θ) + r²(θ)/σ² + d·log(2πσ²),  D = log|L_θ|² (+ log|R_X|² for REML), d = n − p (REML) or n,
// and Var(β̂) = σ² C₀(θ) with C₀ = (R_X'R_X)⁻¹, so every σ-derivative is in closed form and each
// evaluation over θ is one factorisation (`Fitter.evaluate`, the optimiser's two-block factor: fast
// for any number of random effects). Central differences: second-order accurate, 1 + k + k²
// factorisations for k = length(θ).
import type { Fitter, FitterDesign } from "../engine/Fitter.js";
import type { LinearMixedModel } from "../model/LinearMixedModel.js";
import { evaluatorOf } from "../model/state.js";

/**
 * What the differences need of a fit: a fitter whose criterion may be evaluated (its blocked factor
 * may move), θ̂, σ̂, the number of fixed effects and observations, and REML or ML. A model provides
 * it, and so does a fit from sums (SQL), whose fitter is built on the given cross-products.
 */
export interface VarparPoint {
  fitter: Fitter<FitterDesign>;
  theta: ArrayLike<number>;
  sigma: number;
  p: number;
  nobs: number;
  reml: boolean;
}

/** A model's {@link VarparPoint}: its evaluator beside the factor at θ̂. */
export function varparPointOf(model: LinearMixedModel): VarparPoint {
  // A workspace beside the model's factor at θ̂ (the model's own where evaluations go through the
  // two-block system, which leaves the blocked factor alone: no second copy of the blocked system).
  return { fitter: evaluatorOf(model), theta: model.theta, sigma: model.sigma, p: model.beta.length, nobs: model.nobs, reml: model.reml };
}

/**
 * Relative step of the differences over θ (floor 0.1 in |θ|). Measured against the exact
 * derivatives on the reference models, the df err by 3e-5 at 3e-4, 2e-6 at 1e-3, 2e-5 at 3e-3:
 * rounding in the criterion (~1e-14 relative) dominates below, truncation (~h²) above.
 */
const STEP = 1e-3;

/** H (Hessian of the criterion in φ) and ∂Var(β̂)/∂φ by central differences over θ. */
export function numericVarparDerivatives(at0: VarparPoint): { hessian: Float64Array; jacobian: Float64Array[] } {
  const { fitter, theta: theta0, p, sigma, reml } = at0;
  const k = theta0.length, g = k + 1;
  const s2 = sigma * sigma;
  const d = reml ? at0.nobs - p : at0.nobs;
  const point = new Float64Array(k);
  const at = (steps: [number, number][]) => {
    point.set(theta0);
    for (const [i, h] of steps) point[i] += h;
    // The centre too goes through `evaluate`: differences must not mix two factorisations' rounding.
    if (!Number.isFinite(fitter.evaluate(point))) throw new Error(`internal: criterion not finite at θ = ${Array.from(point).join(", ")}`);
    const parts = fitter.parts();
    const D = parts.logdetZ + (reml ? parts.logdetX : 0);
    return { f: D + parts.pwrss / s2, r2: parts.pwrss, C0: fitter.vcovUnscaled() };
  };
  // The criterion is even in the sign of a diagonal θ, so steps across 0 are harmless (as lmerTest).
  const h = Array.from(theta0, (t) => STEP * Math.max(Math.abs(t), 0.1));
  const centre = at([]);
  const plus = h.map((hi, i) => at([[i, hi]]));
  const minus = h.map((hi, i) => at([[i, -hi]]));
  const hessian = new Float64Array(g * g);
  for (let i = 0; i < k; i++) {
    hessian[i * g + i] = (plus[i].f - 2 * centre.f + minus[i].f) / (h[i] * h[i]);
    for (let j = 0; j < i; j++) {
      // Second-order symmetric formula: two extra points per pair.
      const pp = at([[i, h[i]], [j, h[j]]]).f, mm = at([[i, -h[i]], [j, -h[j]]]).f;
      const v = (pp + mm - plus[i].f - minus[i].f - plus[j].f - minus[j].f + 2 * centre.f) / (2 * h[i] * h[j]);
      hessian[i * g + j] = hessian[j * g + i] = v;
    }
    const dr2 = (plus[i].r2 - minus[i].r2) / (2 * h[i]);
    hessian[i * g + k] = hessian[k * g + i] = (-2 * dr2) / (s2 * sigma);
  }
  hessian[k * g + k] = (6 * centre.r2) / (s2 * s2) - (2 * d) / s2;
  const jacobian: Float64Array[] = h.map((hi, i) => {
    const out = new Float64Array(p * p);
    for (let c = 0; c < p * p; c++) out[c] = (s2 * (plus[i].C0[c] - minus[i].C0[c])) / (2 * hi);
    return out;
  });
  jacobian.push(centre.C0.map((v) => 2 * sigma * v));
  return { hessian, jacobian };
}
