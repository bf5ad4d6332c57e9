import type { FeatureInput } from "../../batch/columns.js";
import type { CovariateInput, CovariateSpec } from "./design.js";
import type { Priors } from "./estimates.js";
import type { Standardisation } from "./standardise.js";

/** Columnar input of ComBat: features (NaN = missing), the batch of each row, biological covariates to protect. */
export interface CombatData {
  features: FeatureInput;
  batch: ArrayLike<string | number>;
  covariates?: CovariateInput;
}

/** Options of {@link combatFit}. */
export interface CombatOptions {
  /** Empirical-Bayes prior (default `"parametric"`: normal γ, inverse-gamma δ²; `"nonparametric"` is sva's int.eprior). */
  prior?: "parametric" | "nonparametric";
  /** Adjust locations only (δ* = 1), as sva's `mean.only = TRUE`. */
  meanOnly?: boolean;
  /** Reference batch: left unchanged, the others moved onto it (sva's `ref.batch`). */
  refBatch?: string;
  /** Level order of the batch (default: sorted labels, as R's factor()). */
  batchLevels?: readonly string[];
  /** Level order of factor covariates (default sorted; the first is the treatment-contrast baseline). */
  covariateLevels?: Record<string, readonly string[]>;
  /** Convergence tolerance of the parametric iteration, on sva's relative-change criterion (default 1e-4, sva's `conv`). */
  tolerance?: number;
  /** Iteration cap of the parametric iteration per batch (default 10,000; sva has none). */
  maxIterations?: number;
}

/**
 * A fitted ComBat: everything needed to harmonise new rows of the same features and batches, plus sva's
 * intermediate estimates for inspection. Per-batch arrays are indexed `[batch][feature]` in `batchLevels` ×
 * `features` order; features left unadjusted (`adjusted[f] === false`) hold NaN estimates.
 */
export interface CombatModel {
  prior: "parametric" | "nonparametric";
  meanOnly: boolean;
  refBatch: string | null;
  features: string[];
  /** False for features sva leaves untouched: constant within some batch of two or more samples. */
  adjusted: boolean[];
  batchLevels: string[];
  batchSizes: number[];
  covariates: CovariateSpec[];
  /** Covariate design column names (e.g. `gradeG2`), in `standardisation.covariateCoefficients` order. */
  covariateColumns: string[];
  standardisation: Standardisation;
  gammaHat: Float64Array[];
  deltaHat: Float64Array[];
  gammaStar: Float64Array[];
  deltaStar: Float64Array[];
  priors: Priors;
  /** Parametric iterations per batch (0 for the other variants). */
  iterations: number[];
  /** Rows the model was fitted on. */
  nSamples: number;
  /** Whether the fit used sva's missing-value formulas (some value was missing). */
  anyMissing: boolean;
  /** Things worth knowing, as data (unadjusted features, iteration cap reached). */
  warnings: string[];
}

/** Harmonised features by name (a prototype-free record, so any column name is an ordinary key). */
export type HarmonisedFeatures = Record<string, Float64Array>;

/** Result of {@link combat}: the model and the harmonised input. */
export interface CombatResult {
  model: CombatModel;
  harmonised: HarmonisedFeatures;
}
