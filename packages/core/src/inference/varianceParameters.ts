// The two parametrisations of the covariance of y that the df methods use, and the chain rule
// between them:
//  - φ = (θ, σ): lme4's relative Cholesky factors and the residual sd (lmerTest's "varpar");
//  - ψ: the variance components themselves (each term's covariance entries σ²(TT')ᵢⱼ, i ≥ j, in
//    θ's order, then σ²), in which Var(y) = Σᵣ ψᵣ Gᵣ is linear (pbkrtest's "ggamma").
import { designOf } from "../model/state.js";
import type { LinearMixedModel } from "../model/LinearMixedModel.js";
import type { ThetaLayout } from "../engine/theta.js";

/** Where one θ (and ψ) entry lives: its lme4 term and its (row, column) in the term's k × k factor. */
export interface ParameterPosition {
  term: number;
  row: number;
  col: number;
}

/** The (term, row, column) of every θ entry, in θ's order (column-wise lower triangles, terms in order). */
export function parameterPositions(layout: ThetaLayout): ParameterPosition[] {
  const out: ParameterPosition[] = [];
  layout.terms.forEach((t, term) => {
    for (let col = 0; col < t.k; col++) for (let row = col; row < t.k; row++) out.push({ term, row, col });
  });
  return out;
}

/** Each term's lower-triangular relative factor T (k × k, row-major) at θ. */
export function termFactors(layout: ThetaLayout, theta: ArrayLike<number>): Float64Array[] {
  return layout.terms.map((t) => {
    const T = new Float64Array(t.k * t.k);
    let i = t.start;
    for (let c = 0; c < t.k; c++) for (let r = c; r < t.k; r++) T[r * t.k + c] = theta[i++];
    return T;
  });
}

/** ψ at (θ, σ): the variance components (as pbkrtest orders them, up to a permutation) then σ². */
export function varianceComponents(model: LinearMixedModel): Float64Array {
  return varianceComponentsAt(designOf(model).theta, model.theta, model.sigma);
}

/** ψ at given (θ, σ) of a layout (a model's, or a fit from sums'). */
export function varianceComponentsAt(layout: ThetaLayout, theta: ArrayLike<number>, sigma: number): Float64Array {
  const T = termFactors(layout, theta);
  const pos = parameterPositions(layout);
  const s2 = sigma * sigma;
  const psi = new Float64Array(pos.length + 1);
  pos.forEach(({ term, row, col }, r) => {
    const k = layout.terms[term].k, t = T[term];
    let s = 0;
    for (let c = 0; c <= col; c++) s += t[row * k + c] * t[col * k + c];
    psi[r] = s2 * s;
  });
  psi[pos.length] = s2;
  return psi;
}

/**
 * Jacobian ∂ψ/∂φ (g × g, row r = ψᵣ, column a = φₐ) and the contraction Σᵣ wᵣ ∇²_φ ψᵣ for given
 * weights w (the gradient of a function of ψ), both at the model's (θ, σ).
 */
export function chainRule(model: LinearMixedModel): { jacobian: Float64Array; contractHessian: (w: Float64Array) => Float64Array } {
  const layout = designOf(model).theta;
  const T = termFactors(layout, model.theta);
  const pos = parameterPositions(layout);
  const m = pos.length, g = m + 1;
  const sigma = model.sigma, s2 = sigma * sigma;
  const psi = varianceComponents(model);
  // ∂(TT')ᵢⱼ/∂T_pq = δᵢₚ T_jq + δⱼₚ T_iq, entries of one term only.
  const dTT = (r: number, a: number): number => {
    const P = pos[r], A = pos[a];
    if (P.term !== A.term) return 0;
    const k = layout.terms[P.term].k, t = T[P.term];
    let v = 0;
    if (P.row === A.row) v += t[P.col * k + A.col];
    if (P.col === A.row) v += t[P.row * k + A.col];
    return v;
  };
  const jacobian = new Float64Array(g * g);
  for (let r = 0; r < m; r++) {
    for (let a = 0; a < m; a++) jacobian[r * g + a] = s2 * dTT(r, a);
    jacobian[r * g + m] = (2 * psi[r]) / sigma;
  }
  jacobian[m * g + m] = 2 * sigma;
  const contractHessian = (w: Float64Array): Float64Array => {
    const h = new Float64Array(g * g);
    for (let r = 0; r < m; r++) {
      const P = pos[r];
      for (let a = 0; a < m; a++) {
        const A = pos[a];
        if (A.term !== P.term) continue;
        for (let b = 0; b < m; b++) {
          const B = pos[b];
          // ∂²(TT')ᵢⱼ/∂T_pq∂T_p'q' = δ_qq' (δᵢₚ δⱼₚ' + δⱼₚ δᵢₚ').
          if (B.term !== P.term || A.col !== B.col) continue;
          const d2 = (P.row === A.row && P.col === B.row ? 1 : 0) + (P.col === A.row && P.row === B.row ? 1 : 0);
          h[a * g + b] += w[r] * s2 * d2;
        }
        // ∂²ψ/∂θ∂σ = (2/σ) ∂ψ/∂θ.
        const cross = (w[r] * 2 * sigma * dTT(r, a));
        h[a * g + m] += cross;
        h[m * g + a] += cross;
      }
      h[m * g + m] += (w[r] * 2 * psi[r]) / s2;
    }
    h[m * g + m] += w[m] * 2;
    return h;
  };
  return { jacobian, contractHessian };
}
