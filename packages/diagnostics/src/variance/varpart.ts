import { fitEach, type FitEachOptions, type FitEachResult, type TableInput } from "@lmm/arquero";
import { table as aqTable, type ColumnTable } from "arquero";
import { bootstrapSettings, replicateDecompositions, withIntervals, type VarianceBootstrapOptions } from "./bootstrap.js";
import { decomposeVariance } from "./decompose.js";
import type { DecompositionOptions, VarianceDecomposition } from "./types.js";
import type { FeatureVarianceLike } from "../results.js";

/** Options of {@link varpart}. */
export interface VarpartOptions extends Omit<FitEachOptions, "bootstrap" | "ddf">, DecompositionOptions {
  /** Percentile intervals per feature from a parametric bootstrap (n refits per feature). */
  bootstrap?: VarianceBootstrapOptions;
}

/** One feature's decomposition, or why it has none. */
export interface FeatureVariance extends FeatureVarianceLike {
  feature: string;
  decomposition: VarianceDecomposition | null;
  /** The fit's error message when the feature could not be fitted. */
  error: string | null;
}

/** What {@link varpart} returns. */
export interface VarpartResult {
  /**
   * Long table, one row per feature and component: `feature, component, kind, variance, fraction`
   * (with a bootstrap also `variance.low, variance.high, fraction.low, fraction.high`).
   */
  table: ColumnTable;
  /** One row per feature: `feature, icc.adjusted, icc.conditional, ratio, singular, error` (and interval columns with a bootstrap). */
  summary: ColumnTable;
  features: FeatureVariance[];
  /** The underlying per-feature fits (tidy table, glance, missing-data report). */
  fits: FitEachResult;
}

/**
 * Variance decomposition of many features (variancePartition's `fitExtractVarPartModel`): one
 * linear mixed model per feature through `fitEach` (one design, one workspace, optionally workers),
 * then each fit's components, fractions, ICCs and ratio ρ, with optional bootstrap intervals.
 *
 * @example
 * ```ts
 * const r = await varpart(tma, "{feature} ~ grade + (1|patient) + (1|batch) + (1|reader)", "feature_*", {
 *   ratio: { batch: ["batch", "reader"], signal: ["patient"] }, workers: 2 });
 * r.table.filter((d) => d.component === "batch").objects();
 * ```
 */
export async function varpart(table: TableInput, template: string, features: string | readonly string[], options: VarpartOptions = {}): Promise<VarpartResult> {
  const { fixed, ratio, bootstrap, ...rest } = options;
  const settings = bootstrap ? bootstrapSettings(bootstrap) : null;
  const fits = await fitEach(table, template, features, { ...rest, ddf: "none", bootstrap: settings ? { n: settings.n, seed: settings.seed } : undefined });
  const decomposition: DecompositionOptions = { fixed, ratio };
  const out: FeatureVariance[] = fits.fits.map((f) => {
    if (f.error) return { feature: f.feature, decomposition: null, error: f.error.message };
    const structure = fits.structureOf(f.feature);
    const estimate = decomposeVariance({ structure, theta: f.theta, beta: f.fixef.estimate, sigma: f.sigma }, decomposition);
    if (!settings || !f.bootstrap) return { feature: f.feature, decomposition: estimate, error: null };
    const replicates = replicateDecompositions(structure, f.bootstrap, decomposition);
    return { feature: f.feature, decomposition: withIntervals(estimate, replicates, settings.level, f.bootstrap.converged), error: null };
  });
  return { table: componentTable(out, settings !== null), summary: summaryTable(out, settings !== null), features: out, fits };
}

function componentTable(features: readonly FeatureVariance[], intervals: boolean): ColumnTable {
  const feature: string[] = [], component: string[] = [], kind: string[] = [];
  const variance: number[] = [], fraction: number[] = [], vLow: number[] = [], vHigh: number[] = [], fLow: number[] = [], fHigh: number[] = [];
  for (const f of features) {
    for (const c of f.decomposition?.components ?? []) {
      feature.push(f.feature); component.push(c.name); kind.push(c.kind);
      variance.push(c.variance); fraction.push(c.fraction);
      vLow.push(c.varianceInterval?.low ?? NaN); vHigh.push(c.varianceInterval?.high ?? NaN);
      fLow.push(c.fractionInterval?.low ?? NaN); fHigh.push(c.fractionInterval?.high ?? NaN);
    }
  }
  const columns = new Map<string, ArrayLike<unknown>>([
    ["feature", feature], ["component", component], ["kind", kind], ["variance", Float64Array.from(variance)], ["fraction", Float64Array.from(fraction)],
  ]);
  if (intervals) {
    columns.set("variance.low", Float64Array.from(vLow)).set("variance.high", Float64Array.from(vHigh));
    columns.set("fraction.low", Float64Array.from(fLow)).set("fraction.high", Float64Array.from(fHigh));
  }
  return aqTable(columns);
}

function summaryTable(features: readonly FeatureVariance[], intervals: boolean): ColumnTable {
  const num = (get: (d: VarianceDecomposition) => number | undefined) => Float64Array.from(features, (f) => (f.decomposition ? get(f.decomposition) ?? NaN : NaN));
  const columns = new Map<string, ArrayLike<unknown>>([
    ["feature", features.map((f) => f.feature)],
    ["icc.adjusted", num((d) => d.icc.adjusted)],
    ["icc.conditional", num((d) => d.icc.conditional)],
    ["ratio", num((d) => d.ratio?.value)],
    ["singular", features.map((f) => f.decomposition?.singular ?? null)],
    ["error", features.map((f) => f.error)],
  ]);
  if (intervals) {
    columns.set("icc.adjusted.low", num((d) => d.icc.adjustedInterval?.low)).set("icc.adjusted.high", num((d) => d.icc.adjustedInterval?.high));
    columns.set("ratio.low", num((d) => d.ratio?.interval?.low)).set("ratio.high", num((d) => d.ratio?.interval?.high));
  }
  return aqTable(columns);
}
