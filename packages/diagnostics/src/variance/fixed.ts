import type { ModelStructure } from "@lmm/core";

/** The fixed effects' contribution to the variance of the response. */
export interface FixedVariance {
  /** Per fixed term (label, e.g. `grade`, `Days`): its share of the fixed-effects variance. */
  terms: { term: string; variance: number }[];
  /** Population variance (denominator n) of the fixed-effects predictor Xβ. */
  total: number;
  /** Sample variance (denominator n − 1) of Xβ, as `insight::get_variance` uses for the ICC. */
  sample: number;
}

/**
 * Variance of the fixed-effects predictor and its split over terms as variancePartition (≥ 1.5.2)
 * splits it: each column's contribution X_j β_j has population variance v_j; a term gets
 * Σ_{j in term} v_j / Σ_j v_j × var(Xβ), so the shares add up to the variance of the whole
 * predictor whatever the correlation between columns. variancePartition lists factor columns
 * (`gradeG2`, `gradeG3`) separately; here a term's columns are added together.
 *
 * @example
 * ```ts
 * fixedVariance(m.structure, m.beta).terms; // [{ term: "Days", variance: 946.6 }]
 * ```
 */
export function fixedVariance(structure: ModelStructure, beta: ArrayLike<number>): FixedVariance {
  const { data, n, p, assign, terms: labels } = structure.fixedMatrix();
  const eta = new Float64Array(n);
  const columnVar = new Float64Array(p);
  for (let j = 0; j < p; j++) {
    if (assign[j] < 0) continue; // the intercept adds a constant
    const b = beta[j];
    let mean = 0;
    for (let i = 0; i < n; i++) mean += data[j * n + i] * b;
    mean /= n;
    let ss = 0;
    for (let i = 0; i < n; i++) {
      const v = data[j * n + i] * b;
      eta[i] += v;
      ss += (v - mean) ** 2;
    }
    columnVar[j] = ss / n;
  }
  let mean = 0;
  for (let i = 0; i < n; i++) mean += eta[i];
  mean /= n;
  let ss = 0;
  for (let i = 0; i < n; i++) ss += (eta[i] - mean) ** 2;
  const total = ss / n;
  const sumColumns = columnVar.reduce((s, v) => s + v, 0);
  const terms = labels.map((label, index) => {
    let v = 0;
    for (let j = 0; j < p; j++) if (assign[j] === index) v += columnVar[j];
    return { term: label, variance: sumColumns > 0 ? (v / sumColumns) * total : 0 };
  });
  // Terms whose columns were all dropped as aliased have no coefficient and no share.
  const present = new Set(Array.from(assign));
  return { terms: terms.filter((_, index) => present.has(index)), total, sample: n > 1 ? ss / (n - 1) : 0 };
}
