import { ColumnLengthError, InvalidArgumentError } from "@lmm/core";
import { trainAndPredict, type BatchClassifierMethod } from "./classifiers.js";
import { toFactor, toFeatureColumns, type FeatureInput } from "./columns.js";
import { stratifiedFolds } from "./folds.js";
import type { BatchClassificationLike } from "../results.js";

/** Options of {@link batchClassifier}. */
export interface BatchClassifierOptions {
  /** Classifier (default `{ method: "knn", k: 5 }`). */
  classifier?: BatchClassifierMethod;
  /** Number of stratified folds (default 5); ignored when `foldOf` is given. */
  folds?: number;
  /** Seed of the fold assignment (default 1). */
  seed?: number;
  /** Explicit fold of each row (any integers; one fold per distinct value), e.g. to reuse another tool's folds. */
  foldOf?: ArrayLike<number>;
  /** Level order of the batch (default: sorted labels). */
  batchLevels?: readonly string[];
}

/** Cross-validated accuracy of predicting batch from the features, against chance. */
export interface BatchClassification extends BatchClassificationLike {
  method: BatchClassifierMethod["method"];
  /** Share of rows whose held-out prediction is their batch. */
  accuracy: number;
  /** Majority-batch share: the accuracy of always guessing the largest batch. */
  chance: number;
  /** 1 / number of batches. */
  uniformChance: number;
  nCorrect: number;
  n: number;
  folds: { fold: number; n: number; accuracy: number }[];
  /** Held-out prediction per row. */
  predicted: string[];
  /** Fold (0-based) of each row. */
  foldOf: Int32Array;
  /** `confusion[true][predicted]` counts, in `batchLevels` order. */
  confusion: number[][];
  batchLevels: string[];
}

/**
 * Predicts batch from the features by cross-validation: stratified folds (seeded through `Rng`), each
 * training fold's features z-scored with its own mean and sd (also applied to the held-out fold, as in the
 * ComBat reference), a kNN or logistic classifier, accuracy reported against the majority-batch chance rate.
 * Features are assumed complete (missing values are refused).
 *
 * @example
 * ```ts
 * const r = batchClassifier({ a: [0, 0.1, 0.2, 5, 5.1, 5.2], b: [1, 1.1, 0.9, 1, 1.2, 0.8] },
 *   ["x", "x", "x", "y", "y", "y"], { folds: 3, classifier: { method: "knn", k: 1 } });
 * r.accuracy; // 1, against r.chance = 0.5
 * ```
 */
export function batchClassifier(features: FeatureInput, batch: ArrayLike<string | number>, options: BatchClassifierOptions = {}): BatchClassification {
  const n = batch.length;
  const { columns } = toFeatureColumns(features, n, "refuse");
  const factor = toFactor("batch", batch, options.batchLevels);
  const spec = options.classifier ?? { method: "knn" };
  if (spec.method !== "knn" && spec.method !== "logistic") throw new InvalidArgumentError("classifier.method", (spec as { method: unknown }).method, '"knn" or "logistic"');
  const foldOf = options.foldOf ? renumberFolds(options.foldOf, n) : stratifiedFolds(factor.codes, options.folds ?? 5, options.seed ?? 1);
  const nFolds = Math.max(...foldOf) + 1;

  const predictedCode = new Int32Array(n);
  const folds: BatchClassification["folds"] = [];
  for (let fold = 0; fold < nFolds; fold++) {
    const testRows: number[] = [], trainRows: number[] = [];
    for (let i = 0; i < n; i++) (foldOf[i] === fold ? testRows : trainRows).push(i);
    const { train, test } = standardise(columns, trainRows, testRows);
    const predicted = trainAndPredict(spec, train, trainRows.map((i) => factor.codes[i]), test);
    let correct = 0;
    testRows.forEach((i, j) => {
      predictedCode[i] = predicted[j];
      if (predicted[j] === factor.codes[i]) correct++;
    });
    folds.push({ fold, n: testRows.length, accuracy: correct / testRows.length });
  }

  const K = factor.levels.length;
  const confusion = Array.from({ length: K }, () => new Array<number>(K).fill(0));
  let nCorrect = 0;
  for (let i = 0; i < n; i++) {
    confusion[factor.codes[i]][predictedCode[i]]++;
    if (predictedCode[i] === factor.codes[i]) nCorrect++;
  }
  return {
    method: spec.method,
    accuracy: nCorrect / n,
    chance: Math.max(...factor.counts) / n,
    uniformChance: 1 / K,
    nCorrect,
    n,
    folds,
    predicted: Array.from(predictedCode, (c) => factor.levels[c]),
    foldOf,
    confusion,
    batchLevels: factor.levels,
  };
}

function renumberFolds(foldOf: ArrayLike<number>, n: number): Int32Array {
  if (foldOf.length !== n) throw new ColumnLengthError("foldOf", foldOf.length, n);
  const distinct = [...new Set(Array.from(foldOf))].sort((a, b) => a - b);
  if (distinct.length < 2 || distinct.some((v) => !Number.isFinite(v))) throw new InvalidArgumentError("foldOf", foldOf, "at least two distinct finite fold ids");
  const index = new Map(distinct.map((v, k) => [v, k]));
  return Int32Array.from(foldOf, (v) => index.get(v)!);
}

/** Z-scores with the training rows' mean and sd (n − 1); a constant feature keeps sd 1. */
function standardise(columns: Float64Array[], trainRows: number[], testRows: number[]): { train: number[][]; test: number[][] } {
  const p = columns.length;
  const mean = new Float64Array(p), sd = new Float64Array(p);
  columns.forEach((c, j) => {
    let s = 0;
    for (const i of trainRows) s += c[i];
    const m = s / trainRows.length;
    let ss = 0;
    for (const i of trainRows) ss += (c[i] - m) ** 2;
    mean[j] = m;
    sd[j] = Math.sqrt(ss / (trainRows.length - 1)) || 1;
  });
  const rows = (list: number[]) => list.map((i) => Array.from({ length: p }, (_, j) => (columns[j][i] - mean[j]) / sd[j]));
  return { train: rows(trainRows), test: rows(testRows) };
}
