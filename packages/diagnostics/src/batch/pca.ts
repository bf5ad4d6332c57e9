import { ColumnLengthError, InvalidArgumentError } from "@lmm/core";
import { PCA } from "ml-pca";
import { oneWayAnova } from "./anova.js";
import { toFactor, toFeatureColumns, type FeatureInput } from "./columns.js";
import type { BatchPcaLike } from "../results.js";

/** Options of {@link batchPca}. */
export interface BatchPcaOptions {
  /** Number of principal components reported (default 10, at most min(rows − 1, features)). */
  nComponents?: number;
  /** Scale each feature to unit variance before the PCA (default true: features come in unrelated units). */
  scale?: boolean;
  /** Level order of the batch (default: sorted labels). */
  batchLevels?: readonly string[];
}

/** One principal component and how much of it batch explains. */
export interface BatchComponent {
  /** 1-based component number. */
  component: number;
  /** Share of the total (scaled) feature variance this component carries. */
  varianceShare: number;
  /** One-way ANOVA R² of the component scores on batch. */
  batchR2: number;
  /** F statistic and p-value of that ANOVA. */
  f: number;
  pValue: number;
}

/** Result of {@link batchPca}. */
export interface BatchPca extends BatchPcaLike {
  components: BatchComponent[];
  /** Σ varianceShare · batchR2 over the reported components: the share of all feature variance that is batch-associated along them (with every component kept, the mean batch R² of the scaled features). */
  batchShare: number;
  /** Component scores, one Float64Array (rows long) per reported component. */
  scores: Float64Array[];
  batchLevels: string[];
  features: string[];
}

/**
 * Principal components of the feature matrix (ml-pca, SVD) and the share of each component explained by
 * batch (one-way ANOVA of its scores on batch). Rows with missing values are refused.
 *
 * @example
 * ```ts
 * const pcs = batchPca({ f1: [1, 2, 3, 4], f2: [2, 1, 4, 3] }, ["a", "a", "b", "b"], { nComponents: 2 });
 * pcs.components[0].batchR2;
 * ```
 */
export function batchPca(features: FeatureInput, batch: ArrayLike<string | number>, options: BatchPcaOptions = {}): BatchPca {
  const n = batch.length;
  const { names, columns } = toFeatureColumns(features, n, "refuse");
  const factor = toFactor("batch", batch, options.batchLevels);
  if (n < 3) throw new ColumnLengthError("batch", n, 3);
  const maxComponents = Math.min(n - 1, names.length);
  const k = options.nComponents ?? Math.min(10, maxComponents);
  if (!Number.isInteger(k) || k < 1 || k > maxComponents) throw new InvalidArgumentError("nComponents", k, `an integer in 1..${maxComponents}`);

  const rows: number[][] = Array.from({ length: n }, (_, i) => columns.map((c) => c[i]));
  const pca = new PCA(rows, { center: true, scale: options.scale ?? true, ignoreZeroVariance: true });
  const projected = pca.predict(rows, { nComponents: k });
  const shares = pca.getExplainedVariance();
  const scores: Float64Array[] = [];
  const components: BatchComponent[] = [];
  let batchShare = 0;
  for (let j = 0; j < k; j++) {
    const s = Float64Array.from(projected.getColumn(j));
    const anova = oneWayAnova(s, factor.codes, factor.levels.length);
    scores.push(s);
    components.push({ component: j + 1, varianceShare: shares[j], batchR2: anova.r2, f: anova.f, pValue: anova.pValue });
    batchShare += shares[j] * anova.r2;
  }
  return { components, batchShare, scores, batchLevels: factor.levels, features: names };
}
