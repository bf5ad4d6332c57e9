import type { ContrastName, DdfMethod, ModelDispersion, VarCorrTerm } from "@lmm/core";

/** What every per-feature fit shares: sent once to each worker (plain, cloneable data). */
export interface EachShared {
  template: string;
  /** Name of the placeholder response column the shared design is built with (not a data column). */
  response: string;
  /** Every column the template's right-hand side uses, as [name, values] pairs over all rows. */
  columns: [string, ArrayLike<unknown>][];
  levels: [string, readonly string[]][];
  /** The model options every feature's design takes (prior weights and offset by column). */
  model: { contrasts?: Record<string, ContrastName>; ordered?: string[]; weights?: string; offset?: string; dispersion?: string };
  nRows: number;
  reml: boolean;
  ddf: DdfMethod | "none";
  maxEval: number | undefined;
  bootstrap: { n: number; seed: number } | null;
}

/** One feature to fit: its values over all rows (NaN = missing). */
export interface FeaturePayload {
  feature: string;
  /** Position of the feature in the run (seeds its bootstrap stream). */
  index: number;
  y: Float64Array;
}

/** Fixed effects of one feature's fit. */
export interface FeatureFixef {
  names: string[];
  estimate: Float64Array;
  se: Float64Array;
  statistic: Float64Array;
  /** Denominator df (NaN with `ddf: "none"`). */
  df: Float64Array;
  pValue: Float64Array;
}

/** Parametric-bootstrap replicates of one feature's parameters (simulate from the fit, refit). */
export interface FeatureBootstrap {
  n: number;
  sigma: Float64Array;
  /** Replicate-major n × p. */
  beta: Float64Array;
  /** Replicate-major n × (length of θ): each replicate's θ, in lme4's order (the fit's `theta`). */
  theta: Float64Array;
  /** Replicates whose optimiser converged. */
  converged: number;
  /** With a dispersion formula, each replicate's residual variance pooled over the levels (Σ n_g sd_g² / n); `sigma` stays the reference level's. Null otherwise. */
  residual: Float64Array | null;
}

/** A per-feature failure, kept as data (the run goes on). */
export interface FeatureError {
  name: string;
  code: string;
  message: string;
}

/** Everything one feature's fit returns (plain data; what workers send back). */
export interface FeatureFit {
  feature: string;
  index: number;
  /**
   * `"shared"`: the feature's missing values are those of the design, so it was fitted on the
   * design's frame and workspace; `"own"`: it has missing values of its own and got its own frame
   * (shared with features of the same missing pattern); null when it failed before that.
   */
  design: "shared" | "own" | null;
  /** Rows used. */
  nobs: number;
  /** 0-based data rows left out (design columns and the feature's own missing values). */
  dropped: Int32Array;
  error: FeatureError | null;
  reml: boolean;
  fixef: FeatureFixef;
  theta: Float64Array;
  /** σ̂ (the reference level's with a dispersion formula). */
  sigma: number;
  varcorr: VarCorrTerm[];
  /** With a dispersion formula, the residual sd of each level; null otherwise. */
  dispersion: ModelDispersion | null;
  objective: number;
  logLik: number;
  AIC: number;
  BIC: number;
  singular: boolean;
  converged: boolean;
  evaluations: number;
  bootstrap: FeatureBootstrap | null;
}
