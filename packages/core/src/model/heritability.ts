import { designOf, evaluatorOf } from "./state.js";
import { InvalidArgumentError } from "../errors/LmmError.js";
import { finiteDifferenceDerivatives } from "../optim/derivatives.js";
import { inverseSPD } from "../numerics/dense/spd.js";
import type { LinearMixedModel } from "./LinearMixedModel.js";

/** Heritability of a model with a known-covariance (relationship) term. */
export interface Heritability {
  group: string;
  /** σ²_g, the variance of the relationship term. */
  vg: number;
  /** σ²_e, the residual variance. */
  ve: number;
  /** h² = σ²_g / (σ²_g + σ²_e). */
  h2: number;
  /** Standard error of h² (delta method on the observed information of the criterion). */
  se: number;
  /** GEMMA's "pve": σ²_g·mean(diag K) / (σ²_g·mean(diag K) + σ²_e), with its standard error. */
  pve: number;
  sePve: number;
}

const LOG_2PI = Math.log(2 * Math.PI);

/**
 * Heritability h² = σ²_g/(σ²_g + σ²_e) of the known-covariance term and its standard error. The
 * information matrix is the Hessian of the (REML or ML) criterion in the variance parameters
 * φ = (σ²_1 … σ²_m, σ²_e), by central differences in log φ (so steps are relative); Cov(φ̂) = 2H⁻¹.
 * Requires every random term to be scalar (one variance each).
 *
 * @example
 * ```ts
 * const m = lmm("y ~ sex + (1 | iid)", pheno, { covariance: { iid: { ids, matrix: K } } });
 * heritability(m); // { h2, se, pve, sePve, vg, ve }
 * ```
 */
export function heritability(model: LinearMixedModel, group?: string): Heritability {
  const layout = designOf(model).theta;
  const g = layout.terms.findIndex((t) => t.tied && (group === undefined || t.remat.groupLabel === group));
  if (g < 0) throw new InvalidArgumentError("group", group, "the grouping factor of a term with a known covariance matrix");
  if (layout.terms.some((t) => !t.tied && t.k !== 1)) throw new InvalidArgumentError("model", model.formula, "scalar random terms only (one variance each) for heritability");
  const structure = layout.terms[g].remat.structure!;
  const m = layout.length;
  const fitter = evaluatorOf(model);
  const dof = model.reml ? model.nobs - model.beta.length : model.nobs;
  const s2 = model.sigma * model.sigma;
  const phi = Float64Array.from({ length: m + 1 }, (_, i) => (i < m ? s2 * model.theta[i] ** 2 : s2));
  if (phi.some((v) => !(v > 0))) throw new InvalidArgumentError("model", model.formula, "variance components away from zero (this fit is singular)");
  const theta = new Float64Array(m);
  const criterion = (logPhi: Float64Array) => {
    const sigma2 = Math.exp(logPhi[m]);
    for (let i = 0; i < m; i++) theta[i] = Math.sqrt(Math.exp(logPhi[i]) / sigma2);
    fitter.evaluate(theta);
    const parts = fitter.parts();
    return parts.logdetZ - fitter.logDetWeights + (model.reml ? parts.logdetX : 0) + dof * (LOG_2PI + Math.log(sigma2)) + parts.pwrss / sigma2;
  };
  const logPhi = phi.map(Math.log);
  const { hessian } = finiteDifferenceDerivatives(criterion, logPhi, { step: 1e-4 });
  // H in φ = D⁻¹ H_log D⁻¹ at the optimum (the gradient vanishes); Cov(φ) = 2 H⁻¹.
  const k = m + 1;
  const h = Float64Array.from(hessian, (v, idx) => v / (phi[Math.floor(idx / k)] * phi[idx % k]));
  const inv = inverseSPD(h, k);
  if (!inv) throw new InvalidArgumentError("model", model.formula, "an information matrix that is positive definite at the optimum (the fit did not converge)");
  const cov = inv.map((v) => 2 * v);
  const vg = phi[g], ve = phi[m];
  const meanDiag = meanDiagonal(structure.factor, structure.ids.length);
  const ratio = (a: number) => ({ value: (a * vg) / (a * vg + ve), grad: [(a * ve) / (a * vg + ve) ** 2, (-a * vg) / (a * vg + ve) ** 2] });
  const se = (a: number) => {
    const { grad } = ratio(a);
    const idx = [g, m];
    let v = 0;
    for (let r = 0; r < 2; r++) for (let c = 0; c < 2; c++) v += grad[r] * grad[c] * cov[idx[r] * k + idx[c]];
    return Math.sqrt(v);
  };
  return { group: layout.terms[g].remat.groupLabel, vg, ve, h2: ratio(1).value, se: se(1), pve: ratio(meanDiag).value, sePve: se(meanDiag) };
}

/** mean(diag K) from K's factor S (K_ii = Σ_c S_ic²). */
function meanDiagonal(factor: Float64Array, q: number): number {
  let s = 0;
  for (let i = 0; i < q * q; i++) s += factor[i] * factor[i];
  return s / q;
}
