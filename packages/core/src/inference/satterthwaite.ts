// Satterthwaite's denominator df as lmerTest 3.1 computes them (Kuznetsova, Brockhoff,
// Christensen 2017): the variance parameters are φ = (θ, σ) ("varpar"), A = 2 H⁺ with H the
// Hessian of the REML criterion (ML deviance for ML fits) in φ and H⁺ its Moore–Penrose inverse
// over eigenvalues above 1e-8, and J_a = ∂Var(β̂)/∂φ_a. lmerTest differentiates numerically
// (numDeriv); here the derivatives are exact (q-space algebra, models with few random effects) or
// central differences over θ on the fitter with the σ-derivatives in closed form (large models).
import { designOf } from "../model/state.js";
import type { LinearMixedModel } from "../model/LinearMixedModel.js";
import { pfUpper, pt2 } from "../numerics/distributions.js";
import { inverseFromEigen, matMul, quadForm, symmetricEigen, transpose } from "../numerics/dense/matrices.js";
import { ContrastError } from "./errors.js";
import { marginalCovariance } from "./marginalCovariance.js";
import { numericVarparDerivatives, varparPointOf, type VarparPoint } from "./satterthwaiteNumeric.js";
import { chainRule } from "./varianceParameters.js";

/**
 * How the derivatives in φ = (θ, σ) are obtained.
 *
 * @example
 * ```ts
 * const method: DerivativeMethod = "exact";
 * ```
 */
export type DerivativeMethod = "auto" | "exact" | "numeric";

/**
 * Above this many random effects, `"auto"` uses finite differences (the exact algebra is O(q³)).
 *
 * @example
 * ```ts
 * coefficients(model, { derivatives: q <= EXACT_DERIVATIVES_MAX_Q ? "exact" : "numeric" });
 * ```
 */
export const EXACT_DERIVATIVES_MAX_Q = 400;

/**
 * lmerTest's `vcov_varpar` and `Jac_list` for one model, with how they were obtained.
 *
 * @example
 * ```ts
 * const { vcovVarpar, jacobian, warnings }: SatterthwaiteState = satterthwaiteState(model);
 * ```
 */
export interface SatterthwaiteState {
  /** Var(β̂), p × p. */
  vcov: Float64Array;
  /** A = 2 H⁺, the asymptotic covariance of φ̂ = (θ̂, σ̂), g × g. */
  vcovVarpar: Float64Array;
  /** ∂Var(β̂)/∂φ_a, one p × p matrix per φ_a (θ then σ). */
  jacobian: Float64Array[];
  /** H, the Hessian of the criterion in φ, g × g. */
  hessian: Float64Array;
  method: "exact" | "numeric";
  /** lmerTest's warnings about negative or near-zero eigenvalues of H. */
  warnings: string[];
  p: number;
  g: number;
}

const cache = new WeakMap<LinearMixedModel, Map<DerivativeMethod, SatterthwaiteState>>();

/**
 * The Satterthwaite ingredients of a model (cached per model and method).
 *
 * @example
 * ```ts
 * const s = satterthwaiteState(model);
 * s.vcovVarpar; // 2 H⁻¹ in (θ, σ)
 * ```
 */
export function satterthwaiteState(model: LinearMixedModel, method: DerivativeMethod = "auto"): SatterthwaiteState {
  let byMethod = cache.get(model);
  if (!byMethod) cache.set(model, (byMethod = new Map()));
  const hit = byMethod.get(method);
  if (hit) return hit;
  const q = designOf(model).reterms.reduce((s, r) => s + r.q, 0);
  const exact = method === "exact" || (method === "auto" && q <= EXACT_DERIVATIVES_MAX_Q);
  const { hessian, jacobian } = exact ? exactVarparDerivatives(model) : numericVarparDerivatives(varparPointOf(model));
  const state = varparState(hessian, jacobian, model.vcov(), exact ? "exact" : "numeric");
  byMethod.set(method, state);
  return state;
}

/**
 * The Satterthwaite ingredients of any fit that offers a {@link VarparPoint} (a fit from sums
 * computed by SQL): the derivatives by central differences over θ on its fitter, as
 * `satterthwaiteState(model, "numeric")`.
 *
 * @example
 * ```ts
 * const s = satterthwaiteAt({ fitter, theta, sigma, p, nobs, reml }, vcov);
 * satterthwaiteT({ beta, sigma }, s, [0, 1]).df;
 * ```
 */
export function satterthwaiteAt(point: VarparPoint, vcov: Float64Array): SatterthwaiteState {
  const { hessian, jacobian } = numericVarparDerivatives(point);
  return varparState(hessian, jacobian, vcov, "numeric");
}

/** lmerTest's `vcov_varpar` (2 H⁺ over eigenvalues above 1e-8) and its warnings, from H and J. */
function varparState(hessian: Float64Array, jacobian: Float64Array[], vcov: Float64Array, method: "exact" | "numeric"): SatterthwaiteState {
  const g = jacobian.length, p = Math.round(Math.sqrt(vcov.length));
  const e = symmetricEigen(hessian, g);
  const tol = 1e-8;
  const warnings: string[] = [];
  const neg = Array.from(e.values).filter((v) => v < -tol);
  const zero = Array.from(e.values).filter((v) => v >= -tol && v <= tol);
  if (neg.length > 0) warnings.push(`Model failed to converge with ${neg.length} negative eigenvalue${neg.length > 1 ? "s" : ""}: ${neg.map((v) => v.toExponential(1)).join(" ")}`);
  if (zero.length > 0) warnings.push(`Model may not have converged with ${zero.length} eigenvalue${zero.length > 1 ? "s" : ""} close to zero: ${zero.map((v) => v.toExponential(1)).join(" ")}`);
  const vcovVarpar = inverseFromEigen(e, g, (v) => v > tol).map((v) => 2 * v);
  return { vcov, vcovVarpar, jacobian, hessian, method, warnings, p, g };
}

/**
 * What the t and F tests read of a fit besides its {@link SatterthwaiteState}: β̂ and σ̂ (a model,
 * or a fit from sums).
 *
 * @example
 * ```ts
 * const at: FixedEstimates = { beta: model.beta, sigma: model.sigma };
 * ```
 */
export interface FixedEstimates {
  beta: ArrayLike<number>;
  sigma: number;
}

/** Exact H and J from the q-space algebra, by the chain rule from the variance components ψ. */
function exactVarparDerivatives(model: LinearMixedModel): { hessian: Float64Array; jacobian: Float64Array[] } {
  const mc = marginalCovariance(model, "Satterthwaite (exact derivatives)");
  const { g, p } = mc;
  // In ψ: gradient tr(S Gᵣ) − y'PGᵣPy and Hessian −tr(S Gᵣ S Gₛ) + 2 y'PGᵣPGₛPy, with S = P
  // for the REML criterion and S = Σ⁻¹ for the ML deviance (β profiled out).
  const t1 = model.reml ? mc.traceP : mc.traceS;
  const t2 = model.reml ? mc.traceP2 : mc.K;
  const gradPsi = t1.map((v, r) => v - mc.y1[r]);
  const hessPsi = t2.map((v, c) => -v + 2 * mc.y2[c]);
  const { jacobian: J, contractHessian } = chainRule(model);
  const JtH = matMul(transpose(J, g, g), hessPsi, g, g, g);
  const hessian = matMul(JtH, J, g, g, g);
  const second = contractHessian(gradPsi);
  for (let c = 0; c < g * g; c++) hessian[c] += second[c];
  // ∂Φ/∂ψᵣ = −Φ PPᵣ Φ, then ∂Φ/∂φₐ = Σᵣ ∂Φ/∂ψᵣ Jᵣₐ.
  const dPhi = mc.PP.map((P) => matMul(matMul(mc.phi, P, p, p, p), mc.phi, p, p, p).map((v) => -v));
  const jacobian = Array.from({ length: g }, (_, a) => {
    const out = new Float64Array(p * p);
    for (let r = 0; r < g; r++) {
      const j = J[r * g + a];
      if (j !== 0) for (let c = 0; c < p * p; c++) out[c] += j * dPhi[r][c];
    }
    return out;
  });
  return { hessian, jacobian };
}

/**
 * A t test of one linear combination of the fixed effects.
 *
 * @example
 * ```ts
 * const { df, pValue }: TTest = contrastTest(model, [0, 1]);
 * ```
 */
export interface TTest {
  estimate: number;
  stdError: number;
  df: number;
  statistic: number;
  pValue: number;
}

/**
 * An F test of several linear combinations (lmerTest's `contestMD` columns).
 *
 * @example
 * ```ts
 * const { numDf, denDf, F }: FTest = contrastTest(model, [[0, 1]]);
 * ```
 */
export interface FTest {
  sumSq: number;
  meanSq: number;
  numDf: number;
  denDf: number;
  F: number;
  pValue: number;
}

/** lmerTest's `contest1D`: Satterthwaite t test of L'β = 0. */
export function satterthwaiteT(model: FixedEstimates, state: SatterthwaiteState, L: ArrayLike<number>): TTest {
  const { p, g } = state;
  let estimate = 0;
  for (let j = 0; j < p; j++) estimate += L[j] * model.beta[j];
  const variance = quadForm(L, state.vcov, p);
  const grad = state.jacobian.map((J) => quadForm(L, J, p));
  const denom = quadForm(grad, state.vcovVarpar, g);
  const df = (2 * variance * variance) / denom;
  const se = Math.sqrt(variance);
  const statistic = estimate / se;
  return { estimate, stdError: se, df, statistic, pValue: pt2(statistic, df) };
}

/** lmerTest's `contestMD`: Satterthwaite F test of Lβ = 0 (L rows × p, row-major). */
export function satterthwaiteF(model: FixedEstimates, state: SatterthwaiteState, L: Float64Array, rows: number): FTest {
  const { p, g } = state;
  const s2 = model.sigma * model.sigma;
  const table = (F: number, numDf: number, denDf: number): FTest => ({ sumSq: F * s2 * numDf, meanSq: F * s2, numDf, denDf, F, pValue: pfUpper(F, numDf, denDf) });
  if (rows === 1) {
    const t = satterthwaiteT(model, state, L);
    return table(t.statistic * t.statistic, 1, t.df);
  }
  const VL = matMul(matMul(L, state.vcov, rows, p, p), transpose(L, rows, p), rows, p, rows);
  const e = symmetricEigen(VL, rows);
  const tol = Math.max(Math.sqrt(Number.EPSILON) * e.values[0], 0);
  const pos: number[] = [];
  e.values.forEach((v, i) => v > tol && pos.push(i));
  const q = pos.length;
  if (q === 0) throw new ContrastError(-1, "L Var(β̂) L' is zero: the contrast does not involve the estimable fixed effects");
  // Rows of P'L for the q positive eigenvalues: independent t statistics.
  const PtL = pos.map((k) => {
    const row = new Float64Array(p);
    for (let i = 0; i < rows; i++) {
      const v = e.vectors[i * rows + k];
      for (let j = 0; j < p; j++) row[j] += v * L[i * p + j];
    }
    return row;
  });
  if (q === 1) {
    const t = satterthwaiteT(model, state, PtL[0]);
    return table(t.statistic * t.statistic, 1, t.df);
  }
  let t2 = 0;
  const nu = pos.map((k, m) => {
    let lb = 0;
    for (let j = 0; j < p; j++) lb += PtL[m][j] * model.beta[j];
    const d = e.values[k];
    t2 += (lb * lb) / d;
    const grad = state.jacobian.map((J) => quadForm(PtL[m], J, p));
    return (2 * d * d) / quadForm(grad, state.vcovVarpar, g);
  });
  return table(t2 / q, q, fStatisticDf(nu));
}

/** lmerTest's `get_Fstat_ddf`: the df of a mean of q independent squared t statistics. */
export function fStatisticDf(nu: number[]): number {
  if (nu.length === 1) return nu[0];
  if (nu.every((v, i) => i === 0 || Math.abs(v - nu[i - 1]) < 1e-8)) return nu.reduce((a, b) => a + b, 0) / nu.length;
  if (nu.some((v) => v <= 2)) return 2;
  const E = nu.reduce((s, v) => s + v / (v - 2), 0);
  return (2 * E) / (E - nu.length);
}
