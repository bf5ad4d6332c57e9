import type { ModelDispersion, ModelStructure } from "@lmm/core";

/** What a variance decomposition needs from a fit: its structure and parameter estimates. */
export interface FitParameters {
  structure: ModelStructure;
  /** θ in lme4's order. */
  theta: ArrayLike<number>;
  /** Fixed effects, in `structure.fixedMatrix().names` order. */
  beta: ArrayLike<number>;
  /** Residual standard deviation (the reference level's with a dispersion formula). */
  sigma: number;
  /** The residual sd of each level of a dispersion formula (`model.dispersion`); the residual component is then their pooled variance. */
  dispersion?: Pick<ModelDispersion, "levels" | "counts" | "sd" | "pooledVariance"> | null;
}

/** One level's part of a residual that differs by level (a dispersion formula). */
export interface ResidualLevel {
  level: string;
  /** The level's residual sd σδ_g. */
  sd: number;
  /** Its residual variance (σδ_g)². */
  variance: number;
  /** Its share of the pooled residual, n_g (σδ_g)² / n, over the total: the levels' fractions add up to the residual's. */
  fraction: number;
}

/** A percentile bootstrap interval. */
export interface VarianceInterval {
  low: number;
  high: number;
}

/** One component of the variance: a random-effect variance, a fixed-effect term's share, or the residual. */
export interface VarianceComponent {
  /**
   * variancePartition's name: the grouping factor for a random intercept (`patient`),
   * `group.column` for other random-effect columns (`Subject.Days`), the term label for a fixed
   * effect (`grade`), `Residual`.
   */
  name: string;
  kind: "random" | "fixed" | "residual";
  /** Grouping factor (random), term label (fixed), or null (residual). */
  group: string | null;
  /** Random-effect column (`(Intercept)`, `Days`), or null. */
  term: string | null;
  variance: number;
  /** variance / sum of every component's variance. */
  fraction: number;
  /** Bootstrap intervals, when asked for. */
  varianceInterval?: VarianceInterval;
  fractionInterval?: VarianceInterval;
}

/** Intraclass correlations as `performance::icc` computes them. */
export interface Icc {
  /** σ²_random / (σ²_random + σ²_residual). */
  adjusted: number;
  /** σ²_random / (σ²_fixed + σ²_random + σ²_residual). */
  conditional: number;
  adjustedInterval?: VarianceInterval;
  conditionalInterval?: VarianceInterval;
}

/** The batch-to-signal ratio ρ = σ²batch / σ²signal for named components. */
export interface VarianceRatio {
  batch: string[];
  signal: string[];
  value: number;
  interval?: VarianceInterval;
}

/** The variance decomposition of one fit. */
export interface VarianceDecomposition {
  components: VarianceComponent[];
  /** Sum of the components' variances (the denominator of every fraction). */
  total: number;
  icc: Icc;
  ratio: VarianceRatio | null;
  singular: boolean;
  /** Things to know when reading the numbers (random slopes, singular fits, failed replicates). */
  warnings: string[];
  /** Bootstrap replicates used for the intervals (0 without bootstrap). */
  replicates: number;
  /** With a dispersion formula: the residual of each level (the `Residual` component is their pooled variance); null otherwise. */
  residualLevels: ResidualLevel[] | null;
}

/** Options of a variance decomposition. */
export interface DecompositionOptions {
  /** Include fixed-effect terms as variance shares (variancePartition's approach). Default false. */
  fixed?: boolean;
  /** Components whose variance ratio ρ = Σ batch / Σ signal to report, e.g. `{ batch: ["batch", "reader"], signal: ["patient"] }`. */
  ratio?: { batch: readonly string[]; signal: readonly string[] };
}
