// The data of diagnostics' results that views draw: one definition each, shared by the diagnostics that
// compute them (each result type extends its shape here) and by @lmm/plot and @lmm/report that draw them.
// Data only (no methods), so a result that crossed a worker boundary or was rebuilt from JSON still fits.

/**
 * The data of one normal Q-Q plot. `QQData` (`qq(model).residuals`,
 * `qq(model).ranef[k]`) extends it, envelope included.
 */
export interface QqInput {
  /** What the values are: `residuals (pearson)`, `Subject: (Intercept)` … */
  label: string;
  /** N(0, 1) quantiles at the plotting positions. */
  theoretical: ArrayLike<number>;
  /** The values, sorted ascending. */
  sample: ArrayLike<number>;
  /** Which row (residuals) or level (conditional modes) sits at each position. */
  ids?: readonly string[];
  /** Reference line (R's `qqline`, through the quartiles); computed when absent. */
  line?: { intercept: number; slope: number };
  /** Pointwise simulation envelope of the sorted values. */
  envelope?: { lower: ArrayLike<number>; upper: ArrayLike<number>; level: number; nsim: number } | null;
  /** Normality statistics to print under the panel. */
  normality?: {
    andersonDarling?: { statistic: number; pValue: number; simulatedPValue?: number };
    shapiroFrancia?: { statistic: number; pValue: number };
  };
}

/** Q-Q data of a whole model: `QQDiagnostics` (`qq(model)`) extends it. */
export interface QqSet {
  residuals: QqInput;
  ranef: QqInput[];
}

/**
 * Residual columns over the rows a model used. `ResidualDiagnostics`
 * (`residualDiagnostics(model)`) extends it; plot's `residualColumns(model)` gives it without the hat values.
 */
export interface ResidualColumns {
  /** 0-based data row of each used row (shown 1-based in tips). */
  rows?: ArrayLike<number>;
  fitted: ArrayLike<number>;
  /** Response residuals y − fitted. */
  residual?: ArrayLike<number>;
  /** Residuals over σ̂. */
  pearson?: ArrayLike<number>;
  /** Residuals over σ̂√(1 − h). */
  studentised?: ArrayLike<number>;
}

/**
 * Shrinkage as `Shrinkage` (`shrinkage(model, group)`) gives it: per level the own estimate and the
 * BLUP as deviations from the fixed effect of the same name (`fixed`).
 */
export interface ShrinkageResult {
  group: string;
  terms: string[];
  fixed: ArrayLike<number>;
  levels: readonly { level: string; n: number; noPooling: ArrayLike<number>; blup: ArrayLike<number> }[];
}

/**
 * Cluster-level case-deletion influence. `ClusterInfluence` (`clusterInfluence(model, …)`) extends
 * it (lme4's Cook's distance and DFBETAS per deleted level, with the usual cut-offs).
 */
export interface ClusterInfluenceInput {
  group: string;
  fixefNames: readonly string[];
  /** Cook's D > 4/n and |DFBETAS| > 2/√n (n = number of levels). */
  cutoffs: { cooksD: number; dfbetas: number };
  levels: readonly { level: string; nObs: number; cooksD: number; dfbetas: ArrayLike<number>; flagged?: boolean }[];
}

/** Prediction errors over a set of rows. */
export interface PredictionErrors {
  rmse: number;
  mae: number;
  r2?: number;
}

/**
 * Leave-one-level-out cross-validation. `LeaveOneLevelOut` (`leaveOneLevelOut(model, …)`) extends it:
 * per held-out level the mixed model's population-level prediction errors, those of the fixed-effects-only
 * model and, optionally, with partial pooling from a few of the level's observations.
 */
export interface LosoInput {
  group: string;
  levels: readonly { level: string; n: number; mixed: PredictionErrors; fixedOnly?: PredictionErrors; partial?: PredictionErrors | null }[];
  overall?: { mixed: PredictionErrors; fixedOnly?: PredictionErrors; partial?: PredictionErrors | null };
  /** Observations given to the partial-pooling refits. */
  k?: number | null;
}

/** One feature's decomposition as `varpart(…).features` gives it (`FeatureVariance` extends it). */
export interface FeatureVarianceLike {
  feature: string;
  decomposition: { components: readonly { name: string; variance: number; fraction: number }[]; ratio?: { value: number } | null } | null;
}

/** Principal components of a feature matrix with their batch association: `BatchPca` (`batchPca()`) extends it. */
export interface BatchPcaLike {
  components: readonly { component: number; varianceShare: number; batchR2: number }[];
  /** Scores per component, one value per row. */
  scores: readonly ArrayLike<number>[];
  batchShare?: number;
}

/** Cross-validated batch prediction accuracy: `BatchClassification` (`batchClassifier()`) extends it. */
export interface BatchClassificationLike {
  method: string;
  accuracy: number;
  /** Majority-batch rate. */
  chance: number;
  uniformChance?: number;
  n: number;
  folds?: readonly { fold: number; n: number; accuracy: number }[];
}
