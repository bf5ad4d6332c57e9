// What the workbench draws when a table is large: every point of a million-row residual plot would
// be a million SVG elements (the page would stall), so the plots show a seeded random sample of the
// residuals and evenly spaced order statistics of a Q-Q plot. The numbers (fit, tests, downloads)
// always use every row.
import type { LinearMixedModel } from "@lmm/core";
import { Rng } from "@lmm/core/numerics";
import type { QqInput, ResidualColumns } from "@lmm/diagnostics";

/** Plots draw at most this many points per panel. */
export const MAX_POINTS = 20_000;

/**
 * The model's residual columns, or a seeded random sample of `max` of them (in row order) when there
 * are more; `sampled` says which.
 *
 * @example
 * ```js
 * const {columns, sampled} = residualSample(model);
 * residualsVsFitted(columns, {subtitle: sampled ? "a random sample" : undefined});
 * ```
 */
export function residualSample(model: LinearMixedModel, max = MAX_POINTS): { columns: ResidualColumns; sampled: boolean; n: number } {
  const fitted = model.fitted();
  const residual = model.residuals();
  const rows = model.structure.rows;
  const n = fitted.length;
  const sigma = model.sigma;
  if (n <= max) return { columns: { rows, fitted, residual, pearson: residual.map((r) => r / sigma) }, sampled: false, n };
  // A partial Fisher–Yates shuffle of the indices, then row order.
  const rng = new Rng(1);
  const index = Int32Array.from({ length: n }, (_, i) => i);
  for (let i = 0; i < max; i++) {
    const j = i + rng.int(n - i);
    [index[i], index[j]] = [index[j], index[i]];
  }
  const pick = index.slice(0, max).sort();
  return {
    columns: {
      rows: Int32Array.from(pick, (i) => rows[i]),
      fitted: Float64Array.from(pick, (i) => fitted[i]),
      residual: Float64Array.from(pick, (i) => residual[i]),
      pearson: Float64Array.from(pick, (i) => residual[i] / sigma),
    },
    sampled: true,
    n,
  };
}

/**
 * A Q-Q panel with at most `max` points: evenly spaced order statistics (the first and last always
 * kept) with their envelope. The quartile line and normality statistics stay those of all values.
 *
 * @example
 * ```js
 * qqPlot({residuals: thinQq(q.residuals), ranef: q.ranef.map((r) => thinQq(r))});
 * ```
 */
export function thinQq<T extends QqInput>(q: T, max = MAX_POINTS): T {
  const n = q.sample.length;
  if (n <= max) return q;
  const at = Int32Array.from({ length: max }, (_, k) => Math.round((k * (n - 1)) / (max - 1)));
  const take = (values: ArrayLike<number>) => Float64Array.from(at, (i) => values[i]);
  const envelope = q.envelope ? { ...q.envelope, lower: take(q.envelope.lower), upper: take(q.envelope.upper), ...("median" in q.envelope ? { median: take((q.envelope as { median: ArrayLike<number> }).median) } : {}) } : q.envelope;
  return { ...q, theoretical: take(q.theoretical), sample: take(q.sample), ids: q.ids ? Array.from(at, (i) => q.ids![i]) : undefined, envelope };
}
