import type { LinearMixedModel } from "@lmm/core";
import { table, type ColumnTable } from "arquero";
import type { ResidualColumns } from "../results.js";

/** Every residual of a fit, per row used, with what the residual plots need. */
export interface ResidualDiagnostics extends ResidualColumns {
  /** 0-based data row of each used row. */
  rows: Int32Array;
  response: Float64Array;
  /** Conditional fitted values Xβ̂ + Zb̃. */
  fitted: Float64Array;
  /** Marginal (population) fitted values Xβ̂. */
  fittedMarginal: Float64Array;
  /** Conditional response residuals y − Xβ̂ − Zb̃. */
  residual: Float64Array;
  /** Marginal response residuals y − Xβ̂. */
  residualMarginal: Float64Array;
  /** Conditional residuals over σ̂ (see {@link residualDiagnostics} on lme4's "pearson"). */
  pearson: Float64Array;
  /** Marginal residuals over their model standard deviation √V̂_ii, V̂ = σ̂²(I + ZΛΛ'Z'). */
  pearsonMarginal: Float64Array;
  /** Conditional residuals over σ̂ √(1 − h_i): lme4's `rstudent()` for an LMM. */
  studentised: Float64Array;
  /** Hat values h_i (lme4's `hatvalues()`). */
  leverage: Float64Array;
  /** √|studentised|, the y of a scale-location plot (x: fitted). */
  scaleLocation: Float64Array;
  sigma: number;
  /** One row per observation with every column above. */
  table(): ColumnTable;
}

/**
 * Residuals of every kind a reviewer asks for, conditional (with the random effects) and marginal
 * (fixed effects only), with fitted values and leverage: the data of residual-vs-fitted,
 * scale-location and leverage plots.
 *
 * Scales: `pearson` divides the conditional residual by σ̂ so it is comparable to N(0, 1) (lme4's
 * `residuals(type = "pearson")` of an LMM does not divide: it equals the response residual);
 * `studentised` is r / (σ̂ √(1 − h)), exactly lme4's `rstudent()`; `pearsonMarginal` divides the
 * marginal residual by its model sd √(σ̂² (1 + z_i'ΛΛ'z_i)).
 *
 * @example
 * ```ts
 * const r = residualDiagnostics(lmm("Reaction ~ Days + (Days | Subject)", sleepstudy));
 * r.table().select("fitted", "pearson").objects();
 * ```
 */
export function residualDiagnostics(model: LinearMixedModel): ResidualDiagnostics {
  const fitted = model.fitted();
  const fittedMarginal = model.fitted({ re: false });
  const response = Float64Array.from(model.response);
  const leverage = model.hatvalues();
  const sigma = model.sigma;
  const n = response.length;
  const residual = new Float64Array(n);
  const residualMarginal = new Float64Array(n);
  const pearson = new Float64Array(n);
  const pearsonMarginal = new Float64Array(n);
  const studentised = new Float64Array(n);
  const scaleLocation = new Float64Array(n);
  const extra = randomEffectVariance(model);
  // Prior weights: Var(εᵢ) = σ²/wᵢ, so the Pearson residuals are √wᵢ rᵢ / σ (lme4's type = "pearson").
  const weights = model.structure.weights;
  for (let i = 0; i < n; i++) {
    const w = weights ? weights[i] : 1;
    residual[i] = response[i] - fitted[i];
    residualMarginal[i] = response[i] - fittedMarginal[i];
    pearson[i] = weights ? (Math.sqrt(w) * residual[i]) / sigma : residual[i] / sigma;
    pearsonMarginal[i] = residualMarginal[i] / (sigma * Math.sqrt(1 / w + extra[i]));
    const s = (weights ? Math.sqrt(w) * residual[i] : residual[i]) / (sigma * Math.sqrt(1 - leverage[i]));
    // lme4's rstudent() turns the infinite value of a row with h = 1 into NaN.
    studentised[i] = Number.isFinite(s) ? s : NaN;
    scaleLocation[i] = Math.sqrt(Math.abs(studentised[i]));
  }
  const rows = Int32Array.from(model.structure.rows);
  const out = { rows, response, fitted, fittedMarginal, residual, residualMarginal, pearson, pearsonMarginal, studentised, leverage, scaleLocation, sigma };
  return {
    ...out,
    table: () =>
      table({ row: rows, response, fitted, fittedMarginal, residual, residualMarginal, pearson, pearsonMarginal, studentised, leverage, scaleLocation }),
  };
}

/** z_i'ΛΛ'z_i per row: the random effects' share of Var(y_i) in units of σ². */
function randomEffectVariance(model: LinearMixedModel): Float64Array {
  const { structure } = model;
  const lambda = structure.covarianceFactors(model.theta);
  const n = structure.nobs;
  const out = new Float64Array(n);
  for (const [j, factor] of structure.groupingFactors().entries()) {
    const k = factor.columns.length, T = lambda[j], z = factor.z;
    for (let i = 0; i < n; i++) {
      // ‖Λ'z_i‖² with Λ lower triangular (row-major T): (Λ'z)_r = Σ_{u ≥ r} T[u, r] z_u.
      for (let r = 0; r < k; r++) {
        let s = 0;
        for (let u = r; u < k; u++) s += T[u * k + r] * z[i * k + u];
        out[i] += s * s;
      }
    }
  }
  return out;
}
