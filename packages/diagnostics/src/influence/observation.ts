import type { LinearMixedModel } from "@lmm/core";
import { table, type ColumnTable } from "arquero";

/** Observation-level influence: leverage and Cook's distance per row used. */
export interface ObservationInfluence {
  /** 0-based data row of each used row. */
  rows: Int32Array;
  /** Diagonal of the hat matrix (lme4's `hatvalues`). */
  leverage: Float64Array;
  /** Cook's distance exactly as lme4's `cooks.distance.merMod`: (r / (1 − h))² h / (σ̂² p). */
  cooksD: Float64Array;
  /** Number of fixed effects p (rank of X). */
  p: number;
  /** Cut-offs used for the flags: Cook's D > 4/n, leverage > 2 · mean leverage. */
  cutoffs: { cooksD: number; leverage: number };
  /** Used-row indices flagged by Cook's D (over 4/n). */
  flagged: Int32Array;
  /** One row per observation: row, leverage, cooksD, flagged. */
  table(): ColumnTable;
}

/**
 * Leverage and Cook's distance of every observation, as lme4's `hatvalues()` and
 * `cooks.distance()`: D_i = (r_i / (1 − h_i))² h_i / (σ̂² p) with r the conditional response
 * residual, h the hat values of the full (fixed and random) fit and p the rank of X. This is the
 * linear-model formula applied to the conditional fit; it is a screening tool, not a deletion
 * statistic (for exact deletion of whole clusters use {@link clusterInfluence}). Flags D > 4/n.
 *
 * @example
 * ```ts
 * const inf = observationInfluence(lmm("Reaction ~ Days + (Days | Subject)", sleepstudy));
 * inf.flagged; // used-row indices with Cook's D > 4/n
 * ```
 */
export function observationInfluence(model: LinearMixedModel): ObservationInfluence {
  const h = model.hatvalues();
  const r = model.residuals("pearson"); // √wᵢ (yᵢ − fittedᵢ) with prior weights, as lme4
  const s2 = model.sigma * model.sigma;
  const p = model.beta.length;
  const n = h.length;
  const cooksD = new Float64Array(n);
  let sumH = 0;
  for (let i = 0; i < n; i++) {
    const d = ((r[i] / (1 - h[i])) ** 2 * h[i]) / (s2 * p);
    // lme4 turns the infinite value of a row with h = 1 into NaN.
    cooksD[i] = Number.isFinite(d) ? d : NaN;
    sumH += h[i];
  }
  const cutoffs = { cooksD: 4 / n, leverage: (2 * sumH) / n };
  const flagged = Int32Array.from([...cooksD.keys()].filter((i) => cooksD[i] > cutoffs.cooksD));
  const rows = Int32Array.from(model.structure.rows);
  return {
    rows,
    leverage: h,
    cooksD,
    p,
    cutoffs,
    flagged,
    table: () => table({ row: rows, leverage: h, cooksD, flagged: Array.from(cooksD, (d) => d > cutoffs.cooksD) }),
  };
}
