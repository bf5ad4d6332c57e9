import type { LinearMixedModel } from "@lmm/core";
import { table, type ColumnTable } from "arquero";
import { choleskyFactor, choleskySolve } from "@lmm/core/numerics";
import { UnknownGroupingError } from "../caseDeletion/errors.js";
import type { ShrinkageResult } from "../results.js";

/** One level of a grouping factor: its own estimate, its BLUP and how far it was pulled. */
export interface ShrinkageLevel {
  level: string;
  /** Observations of the level. */
  n: number;
  /** Per-level least squares of the partial residual on the term's columns (NaN where Z_l'Z_l is singular). */
  noPooling: Float64Array;
  /** Conditional modes b̃ (lme4's `ranef`). */
  blup: Float64Array;
  /** The shrinkage matrix S_l (row-major k × k) with b̃ = S_l · noPooling. */
  factor: Float64Array;
  /** Diagonal of S_l: for a random intercept σ_b² / (σ_b² + σ²/n_l). */
  factorDiagonal: Float64Array;
  /** blup / noPooling per column (the realised pull; 1 = none, 0 = all the way to the mean). */
  ratio: Float64Array;
  estimable: boolean;
}

/** Shrinkage of one grouping factor's random effects. */
export interface Shrinkage extends ShrinkageResult {
  group: string;
  /** The factor's random-effect columns (`(Intercept)`, `time` …). */
  terms: string[];
  /** β̂ of the fixed effect with the same name as each column (0 when there is none): add it to compare coefficients. */
  fixed: Float64Array;
  levels: ShrinkageLevel[];
  /** Long form, one row per level and column: level, term, n, noPooling, blup, fixed, factor, ratio. */
  table(): ColumnTable;
}

/**
 * The data of a shrinkage plot for grouping factor `group`: for each level, its no-pooling estimate,
 * its BLUP, its size and its shrinkage factor.
 *
 * The no-pooling estimate is the least-squares fit, within the level alone, of the term's columns
 * to the partial residual y − Xβ̂ − (the other grouping factors' Zb̃): the level's own deviation
 * with the fixed part and the other random effects removed, so it sits on the BLUP's scale. The
 * mixed-model equations then give exactly b̃_l = S_l · noPooling_l with
 * S_l = Λ (Λ'Z_l'Z_l Λ + I)⁻¹ Λ' Z_l'Z_l (for a random intercept, n_l / (n_l + σ²/σ_b²)): small
 * levels are pulled hard toward the mean, big levels barely.
 *
 * @example
 * ```ts
 * const s = shrinkage(lmm("y ~ time + (1 | site)", data), "site");
 * s.levels.map((l) => [l.n, l.factorDiagonal[0]]);
 * ```
 */
export function shrinkage(model: LinearMixedModel, group: string): Shrinkage {
  const { structure } = model;
  const factors = structure.groupingFactors();
  const j = factors.findIndex((f) => f.group === group);
  if (j < 0) throw new UnknownGroupingError(group, factors.map((f) => f.group), "a grouping factor of the model");
  const modes = model.ranef();
  const partial = model.fitted({ re: false });
  // The other factors' random effects are part of what is removed.
  const y = model.response;
  for (let i = 0; i < partial.length; i++) partial[i] = y[i] - partial[i];
  factors.forEach((f, t) => {
    if (t === j) return;
    const k = f.columns.length, b = modes[t].values;
    for (let i = 0; i < partial.length; i++) {
      const o = f.codes[i] * k;
      for (let c = 0; c < k; c++) partial[i] -= f.z[i * k + c] * b[o + c];
    }
  });
  const re = factors[j];
  const k = re.columns.length, L = re.levels.length;
  const ztz = new Float64Array(L * k * k);
  const ztr = new Float64Array(L * k);
  const count = new Int32Array(L);
  // With prior weights the no-pooling fit is weighted least squares (Z'WZ, Z'Wr), as the mixed model's.
  const weights = structure.weights;
  for (let i = 0; i < partial.length; i++) {
    const l = re.codes[i];
    count[l]++;
    for (let a = 0; a < k; a++) {
      const za = weights ? weights[i] * re.z[i * k + a] : re.z[i * k + a];
      ztr[l * k + a] += za * partial[i];
      for (let c = 0; c < k; c++) ztz[l * k * k + a * k + c] += za * re.z[i * k + c];
    }
  }
  const T = structure.covarianceFactors(model.theta)[j];
  const blupAll = modes[j].values;
  const levels = re.levels.map((label, l): ShrinkageLevel => {
    const A = ztz.subarray(l * k * k, (l + 1) * k * k);
    const chol = choleskyFactor(A, k);
    const noPooling = chol ? choleskySolve(chol, k, ztr.subarray(l * k, (l + 1) * k)) : new Float64Array(k).fill(NaN);
    const factor = shrinkageMatrix(T, A, k);
    const blup = blupAll.slice(l * k, (l + 1) * k);
    return {
      level: label,
      n: count[l],
      noPooling,
      blup,
      factor,
      factorDiagonal: Float64Array.from({ length: k }, (_, c) => factor[c * k + c]),
      ratio: blup.map((b, c) => b / noPooling[c]),
      estimable: chol !== null,
    };
  });
  const betaByName = new Map(model.fixefNames.map((name, t) => [name, model.beta[t]]));
  const fixed = Float64Array.from(re.columns, (name) => betaByName.get(name) ?? 0);
  return { group, terms: re.columns.slice(), fixed, levels, table: () => shrinkageTable(levels, re.columns, fixed) };
}

/** S = Λ (Λ'AΛ + I)⁻¹ Λ'A for A = Z_l'Z_l and the lower-triangular template Λ (row-major). */
function shrinkageMatrix(T: Float64Array, A: ArrayLike<number>, k: number): Float64Array {
  const TtA = new Float64Array(k * k); // Λ'A
  for (let r = 0; r < k; r++) for (let c = 0; c < k; c++) {
    let s = 0;
    for (let u = 0; u < k; u++) s += T[u * k + r] * A[u * k + c];
    TtA[r * k + c] = s;
  }
  const M = new Float64Array(k * k); // Λ'AΛ + I
  for (let r = 0; r < k; r++) for (let c = 0; c < k; c++) {
    let s = r === c ? 1 : 0;
    for (let u = 0; u < k; u++) s += TtA[r * k + u] * T[u * k + c];
    M[r * k + c] = s;
  }
  const chol = choleskyFactor(M, k)!;
  const out = new Float64Array(k * k);
  for (let c = 0; c < k; c++) {
    const x = choleskySolve(chol, k, Float64Array.from({ length: k }, (_, r) => TtA[r * k + c]));
    for (let r = 0; r < k; r++) {
      let s = 0;
      for (let u = 0; u < k; u++) s += T[r * k + u] * x[u];
      out[r * k + c] = s;
    }
  }
  return out;
}

function shrinkageTable(levels: ShrinkageLevel[], terms: string[], fixed: Float64Array): ColumnTable {
  const rows = levels.flatMap((l) => terms.map((term, c) => ({ l, term, c })));
  return table({
    level: rows.map((r) => r.l.level),
    term: rows.map((r) => r.term),
    n: Int32Array.from(rows, (r) => r.l.n),
    noPooling: Float64Array.from(rows, (r) => r.l.noPooling[r.c]),
    blup: Float64Array.from(rows, (r) => r.l.blup[r.c]),
    fixed: Float64Array.from(rows, (r) => fixed[r.c]),
    factor: Float64Array.from(rows, (r) => r.l.factorDiagonal[r.c]),
    ratio: Float64Array.from(rows, (r) => r.l.ratio[r.c]),
  });
}
