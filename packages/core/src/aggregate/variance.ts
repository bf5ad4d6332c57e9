// The parts of a variance decomposition that need rows in memory (var(Xβ) and each random term's
// mean z'Σz over the observations), from a fit's sums instead: every one is a quadratic form in
// column totals Σ a·b and Σ a over the rows, which the cells hold.
import { NotAggregableError } from "../errors/aggregate.js";
import { fitSumsOf, type AggregatedFit } from "./fit.js";
import { plannedColumns, type AggregationPlan } from "./plan.js";

/** What a variance decomposition reads of a fit besides its parameters (see `decomposeVariance` of @lmm/diagnostics). */
export interface AggregatedVariances {
  /**
   * The fixed-effects predictor's variance, as @lmm/diagnostics' `fixedVariance` splits it: per term
   * (label) its share Σ_{j in term} v_j / Σ_j v_j × var(Xβ), v_j the population variance of X_j β_j;
   * `total` the population and `sample` the sample variance (n − 1) of Xβ.
   */
  fixed: { terms: { term: string; variance: number }[]; total: number; sample: number };
  /** Per lme4 random term (VarCorr's order): the mean over observations of z_i'Σz_i. */
  responseVariances: number[];
}

/**
 * The fixed-effects variance and each random term's response-scale variance of a fit from sums, equal
 * to what the in-memory decomposition computes over the rows up to rounding. The column variances
 * come from Σx² − (Σx)²/n: a column whose mean is many times its sd (years, not centred) loses digits.
 * Needs the column sums of X, i.e. a constant among the model's columns (an intercept, fixed or random).
 *
 * @example
 * ```ts
 * const fit = fitAggregated(plan, cells);
 * aggregatedVariances(fit, plan).fixed.terms; // [{ term: "x", variance: 0.41 }]
 * ```
 */
export function aggregatedVariances(fit: AggregatedFit, plan: AggregationPlan): AggregatedVariances {
  const { sums, layout, design } = fitSumsOf(fit);
  const n = fit.nobs;
  const total = (a: number, b: number) => {
    const v = sums.product(a, b);
    let s = 0;
    for (let x = 0; x < v.length; x++) s += v[x];
    return s;
  };
  const one = plan.products.findIndex((p) => p.atoms.length === 0);

  // Fixed columns as fitted (aliased ones dropped), their product columns and terms.
  const assign: number[] = [];
  if (plan.fixedCoding.intercept) assign.push(-1);
  plan.fixedCoding.terms.forEach((term, t) => plannedColumns({ intercept: false, terms: [term] }).forEach(() => assign.push(t)));
  const byName = new Map(plan.fixed.map((c, j) => [c.name, j]));
  const kept = fit.fixef.map((f) => byName.get(f.name)!);
  const columns = kept.map((j) => plan.fixedIndex[j]);
  const beta = fit.fixef.map((f) => f.estimate);
  const slopes = kept.map((j, c) => c).filter((c) => assign[kept[c]] >= 0);
  if (slopes.length > 0 && one < 0) throw new NotAggregableError("the variance of Xβ", "the sums hold no column totals Σx (the model has no intercept, fixed or random)");
  const mean = (c: number) => total(columns[c], one) / n;
  const columnVar = new Float64Array(beta.length);
  for (const c of slopes) columnVar[c] = beta[c] * beta[c] * (total(columns[c], columns[c]) / n - mean(c) ** 2);
  let second = 0, first = 0;
  for (const a of slopes) {
    first += beta[a] * mean(a);
    for (const b of slopes) second += beta[a] * beta[b] * total(columns[a], columns[b]);
  }
  const variance = Math.max(second / n - first * first, 0);
  const sumColumns = columnVar.reduce((s, v) => s + v, 0);
  const present = new Set(kept.map((j) => assign[j]));
  const terms = plan.fixedCoding.terms
    .map((term, t) => {
      let v = 0;
      kept.forEach((j, c) => (v += assign[j] === t ? columnVar[c] : 0));
      return { term: term.label, variance: sumColumns > 0 ? (v / sumColumns) * variance : 0, t };
    })
    .filter((x) => present.has(x.t))
    .map(({ term, variance }) => ({ term, variance }));

  const responseVariances = design.theta.terms.map((t, i) => {
    const covariance = fit.varCorr.terms[i].covariance, k = covariance.length;
    const z = layout.zColumns[t.index];
    let s = 0;
    for (let r = 0; r < k; r++) for (let c = 0; c < k; c++) s += covariance[r][c] * total(z[t.offset + r], z[t.offset + c]);
    return s / n;
  });
  return { fixed: { terms, total: variance, sample: n > 1 ? (variance * n) / (n - 1) : 0 }, responseVariances };
}
