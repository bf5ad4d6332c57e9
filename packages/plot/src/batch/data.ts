import { InvalidArgumentError } from "@lmm/core";
import type { BatchClassificationLike, BatchPcaLike } from "@lmm/diagnostics";

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

/** Classifier results before (and after) harmonisation. */
export interface BatchAccuracyInput {
  before: BatchClassificationLike;
  after?: BatchClassificationLike;
}
