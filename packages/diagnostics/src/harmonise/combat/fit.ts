import { InvalidArgumentError, NewLevelError } from "@lmm/core";
import { levelsHint, toFactor, toFeatureColumns, type Factor } from "../../batch/columns.js";
import { SingletonBatchError } from "../../batch/errors.js";
import { batchSummary } from "./batchSummary.js";
import { batchColumns, checkConfounding, covariateDesign } from "./design.js";
import { locationScale, priors } from "./estimates.js";
import { nonparametricAdjustment } from "./nonparametric.js";
import { meanOnlyParametric, parametricAdjustment, type Adjustment } from "./parametric.js";
import { sampleVariance, standardise, standardisedData, type Standardisation } from "./standardise.js";
import type { CombatData, CombatModel, CombatOptions } from "./types.js";

/**
 * Fits ComBat (Johnson, Li & Rabinovic 2007) as sva::ComBat 3.46 does: each feature standardised by the pooled
 * least-squares fit on batch and biological covariates, per-batch location γ̂ and scale δ̂² of the standardised
 * data, empirical-Bayes shrinkage across features (parametric, iterated as sva iterates, or non-parametric),
 * optional reference batch and mean-only variant. Apply the model with {@link combatApply}.
 *
 * Differences from sva, all on inputs sva mishandles: a batch with a single sample is refused unless
 * `meanOnly` is set (sva silently switches to mean-only); the non-parametric weights are computed in log space
 * (sva's product underflows for large batches); the parametric loop is capped at `maxIterations`.
 *
 * @example
 * ```ts
 * const model = combatFit({
 *   features: { f1: [1, 2, 3, 6, 7, 9], f2: [5, 4, 6, 1, 2, 2] },
 *   batch: ["a", "a", "a", "b", "b", "b"],
 * });
 * model.gammaStar; // per batch, per feature
 * ```
 */
export function combatFit(data: CombatData, options: CombatOptions = {}): CombatModel {
  const n = data.batch.length;
  const batch = toFactor("batch", data.batch, options.batchLevels);
  const { names, columns } = toFeatureColumns(data.features, n, "allow");
  const meanOnly = options.meanOnly ?? false;
  const prior = options.prior ?? "parametric";
  if (prior !== "parametric" && prior !== "nonparametric") throw new InvalidArgumentError("prior", prior, '"parametric" or "nonparametric"');
  batch.counts.forEach((count, k) => {
    if (count === 0) throw new InvalidArgumentError("batchLevels", batch.levels[k], "levels that occur in the batch column");
    if (count === 1 && !meanOnly) throw new SingletonBatchError(batch.levels[k]);
  });
  if (batch.levels.length < 2) throw new InvalidArgumentError("batch", batch.levels, "at least two batches");
  let reference: number | null = null;
  if (options.refBatch !== undefined) {
    reference = batch.levels.indexOf(String(options.refBatch));
    if (reference < 0) throw new NewLevelError("batch", String(options.refBatch), ` (refBatch must be one of the batches${levelsHint(batch.levels)})`);
  }
  const covariates = covariateDesign(data.covariates, n, undefined, options.covariateLevels);
  const batchCols = batchColumns(batch, reference);
  checkConfounding(batchCols, covariates);

  const warnings: string[] = [];
  const keep = Uint8Array.from(columns, (c) => (variesWithinBatches(c, batch) ? 1 : 0));
  const kept = names.map((_, f) => f).filter((f) => keep[f]);
  const dropped = names.filter((_, f) => !keep[f]);
  if (dropped.length > 0) warnings.push(`left unadjusted (constant within a batch): ${dropped.join(", ")}`);
  if (kept.length < 2) throw new InvalidArgumentError("features", kept.length, "at least two features that vary within every batch (the priors pool across features)");
  const keptNames = kept.map((f) => names[f]);
  const keptColumns = kept.map((f) => columns[f]);
  const anyMissing = keptColumns.some((c) => c.some(Number.isNaN));

  const std = standardise(keptColumns, keptNames, batch, batchCols, covariates, reference, anyMissing);
  const sData = standardisedData(keptColumns, std, covariates.columns);
  const ls = locationScale(sData, keptNames, batch, batchCols, anyMissing, meanOnly);
  const hyper = priors(ls);
  const rowsOf = batch.levels.map(() => [] as number[]);
  batch.codes.forEach((k, i) => rowsOf[k].push(i));
  const tolerance = options.tolerance ?? 1e-4;
  const maxIterations = options.maxIterations ?? 10_000;
  const adjustments: Adjustment[] = batch.levels.map((level, k) => {
    const summary = batchSummary(sData, rowsOf[k]);
    let a: Adjustment;
    if (prior === "nonparametric") a = nonparametricAdjustment(summary, ls.gammaHat[k], ls.deltaHat[k]);
    else if (meanOnly) a = meanOnlyParametric(ls.gammaHat[k], hyper.gammaBar[k], hyper.t2[k]);
    else a = parametricAdjustment(summary, ls.gammaHat[k], ls.deltaHat[k], hyper.gammaBar[k], hyper.t2[k], hyper.aPrior[k], hyper.bPrior[k], tolerance, maxIterations);
    if (!a.converged) warnings.push(`batch ${JSON.stringify(level)}: parametric iteration stopped at ${maxIterations} iterations before reaching tolerance ${tolerance}`);
    if (k === reference) {
      a.gammaStar.fill(0);
      a.deltaStar.fill(1);
    }
    return a;
  });

  const expand = (values: Float64Array) => {
    const out = new Float64Array(names.length).fill(NaN);
    kept.forEach((f, j) => (out[f] = values[j]));
    return out;
  };
  const standardisation: Standardisation = {
    batchCoefficients: std.batchCoefficients.map(expand),
    covariateCoefficients: std.covariateCoefficients.map(expand),
    grandMean: expand(std.grandMean),
    varPooled: expand(std.varPooled),
  };
  return {
    prior,
    meanOnly,
    refBatch: reference === null ? null : batch.levels[reference],
    features: names,
    adjusted: Array.from(keep, (k) => k === 1),
    batchLevels: batch.levels,
    batchSizes: Array.from(batch.counts),
    covariates: covariates.specs,
    covariateColumns: covariates.names,
    standardisation,
    gammaHat: ls.gammaHat.map(expand),
    deltaHat: ls.deltaHat.map(expand),
    gammaStar: adjustments.map((a) => expand(a.gammaStar)),
    deltaStar: adjustments.map((a) => expand(a.deltaStar)),
    priors: hyper,
    iterations: adjustments.map((a) => a.iterations),
    nSamples: n,
    anyMissing,
    warnings,
  };
}

/** sva leaves a feature alone when it is constant within any batch of two or more samples (missing values ignored here). */
function variesWithinBatches(y: Float64Array, batch: Factor): boolean {
  const values = batch.levels.map(() => [] as number[]);
  batch.codes.forEach((k, i) => {
    if (!Number.isNaN(y[i])) values[k].push(y[i]);
  });
  return values.every((v) => v.length < 2 || sampleVariance(v) !== 0);
}
