import { InvalidArgumentError } from "@lmm/core";

/** Principal components of a feature matrix with their batch association: `batchPca()` of `@lmm/diagnostics`. */
export interface BatchPcaLike {
  components: readonly { component: number; varianceShare: number; batchR2: number }[];
  /** Scores per component, one value per row. */
  scores: readonly ArrayLike<number>[];
  batchShare?: number;
}

/** PCA before (and after) harmonisation, with the batch of every row. */
export interface BatchPcaInput {
  before: BatchPcaLike;
  after?: BatchPcaLike;
  batch: ArrayLike<string | number>;
}

/** One row's scores on the two components shown. */
export interface ScoreRow {
  stage: string;
  row: number;
  batch: string;
  x: number;
  y: number;
}

/**
 * Facet names of the two stages.
 *
 * @example
 * ```ts
 * scoreRows(input).filter((r) => r.stage === STAGES.after);
 * ```
 */
export const STAGES = { before: "before harmonisation", after: "after harmonisation" } as const;

/**
 * Score rows of both stages on components `pcs` (1-based), checking every score column has one value per row.
 *
 * @example
 * ```ts
 * scoreRows({ before: batchPca(features, batch), batch }, [1, 2]);
 * ```
 */
export function scoreRows(input: BatchPcaInput, pcs: [number, number] = [1, 2]): ScoreRow[] {
  const stages = [[STAGES.before, input.before], ...(input.after ? [[STAGES.after, input.after] as const] : [])] as const;
  return stages.flatMap(([stage, pca]) => {
    const [a, b] = pcs.map((k) => {
      const s = pca.scores[k - 1];
      if (!s) throw new InvalidArgumentError("components", k, `a component number in 1..${pca.scores.length}`);
      if (s.length !== input.batch.length) throw new InvalidArgumentError(`scores of PC${k}`, `${s.length} values`, `${input.batch.length}, one per batch label`);
      return s;
    });
    return Array.from({ length: input.batch.length }, (_, i) => ({ stage, row: i + 1, batch: String(input.batch[i]), x: a[i], y: b[i] }));
  });
}

/**
 * The facet label of one stage: variance shares of the components and their batch R².
 *
 * @example
 * ```ts
 * stageLabel("before harmonisation", pca, [1, 2]); // "before harmonisation: PC1 31% (batch R² 0.62), PC2 …"
 * ```
 */
export function stageLabel(stage: string, pca: BatchPcaLike, pcs: [number, number]): string {
  const part = (k: number) => {
    const c = pca.components[k - 1];
    return c ? `PC${k} ${Math.round(c.varianceShare * 100)}% (batch R² ${c.batchR2.toFixed(2)})` : `PC${k}`;
  };
  return `${stage}: ${part(pcs[0])}, ${part(pcs[1])}`;
}

/** Cross-validated batch prediction accuracy: `batchClassifier()` of `@lmm/diagnostics`. */
export interface BatchClassificationLike {
  method: string;
  accuracy: number;
  /** Majority-batch rate. */
  chance: number;
  uniformChance?: number;
  n: number;
  folds?: readonly { fold: number; n: number; accuracy: number }[];
}

/** Classifier results before (and after) harmonisation. */
export interface BatchAccuracyInput {
  before: BatchClassificationLike;
  after?: BatchClassificationLike;
}
