import { levelsHint, toFactor, toFeatureColumns } from "../../batch/columns.js";
import { InvalidValueError, NewLevelError, UnknownColumnError } from "@lmm/core";
import { covariateDesign } from "./design.js";
import { combatFit } from "./fit.js";
import { standardMean } from "./standardise.js";
import type { CombatData, CombatModel, CombatOptions, CombatResult, HarmonisedFeatures } from "./types.js";

/**
 * Harmonises rows with a fitted ComBat model (sva's `dat_test` path): each value is standardised with the
 * fitted grand mean, covariate effects and pooled variance, moved by its batch's γ* and δ*, and mapped back;
 * rows of the reference batch and features the fit left unadjusted are returned unchanged, missing values
 * stay missing. The rows may be new (unseen samples of fitted batches) or the fitting data themselves.
 * Unlike sva, new data may hold a single batch.
 *
 * @example
 * ```ts
 * const train = { features: { f1: [1, 2, 3, 6, 7, 9], f2: [5, 4, 6, 1, 2, 2] }, batch: ["a", "a", "a", "b", "b", "b"] };
 * const model = combatFit(train);
 * combatApply(model, { features: { f1: [2.5], f2: [1.5] }, batch: ["b"] }).f1;
 * ```
 */
export function combatApply(model: CombatModel, data: CombatData): HarmonisedFeatures {
  const n = data.batch.length;
  const batch = encodeBatch(data.batch, model.batchLevels);
  const { columns } = toFeatureColumns(pick(data.features, model.features), n, "allow");
  const covariates = covariateDesign(data.covariates, n, model.covariates);
  const reference = model.refBatch === null ? -1 : model.batchLevels.indexOf(model.refBatch);
  const std = model.standardisation;
  const out: HarmonisedFeatures = Object.create(null);
  model.features.forEach((name, f) => {
    const y = columns[f];
    if (!model.adjusted[f]) {
      out[name] = y;
      return;
    }
    const sd = Math.sqrt(std.varPooled[f]);
    const gamma = Float64Array.from(model.gammaStar, (g) => g[f]);
    const scale = Float64Array.from(model.deltaStar, (d) => Math.sqrt(d[f]));
    const mean = standardMean(std, covariates.columns, f, n);
    const h = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const k = batch[i];
      h[i] = k === reference ? y[i] : (((y[i] - mean[i]) / sd - gamma[k]) / scale[k]) * sd + mean[i];
    }
    out[name] = h;
  });
  return out;
}

/**
 * Fits ComBat on the data and harmonises the same data: `combatFit` then `combatApply`, the equivalent of
 * `sva::ComBat(dat, batch, mod, par.prior, mean.only, ref.batch)`.
 *
 * @example
 * ```ts
 * const { harmonised, model } = combat(
 *   { features: { f1: [1, 2, 3, 6, 7, 9], f2: [5, 4, 6, 1, 2, 2] }, batch: ["a", "a", "a", "b", "b", "b"] },
 *   { prior: "nonparametric" },
 * );
 * harmonised.f1; model.deltaStar;
 * ```
 */
export function combat(data: CombatData, options: CombatOptions = {}): CombatResult {
  const model = combatFit(data, options);
  return { model, harmonised: combatApply(model, data) };
}

function encodeBatch(values: ArrayLike<string | number>, levels: string[]): Int32Array {
  try {
    return toFactor("batch", values, levels).codes;
  } catch (error) {
    if (error instanceof InvalidValueError && typeof error.value === "string") throw new NewLevelError("batch", error.value, levelsHint(levels));
    throw error;
  }
}

/** The fitted features, by name, from the new data (extra columns are ignored). */
function pick(features: CombatData["features"], names: string[]): Map<string, ArrayLike<number>> {
  const get = features instanceof Map ? (k: string) => features.get(k) : (k: string) => (Object.prototype.hasOwnProperty.call(features, k) ? (features as Record<string, ArrayLike<number>>)[k] : undefined);
  const available = () => (features instanceof Map ? [...features.keys()] : Object.keys(features));
  const out = new Map<string, ArrayLike<number>>();
  for (const name of names) {
    const values = get(name);
    if (values === undefined) throw new UnknownColumnError(name, available());
    out.set(name, values);
  }
  return out;
}
