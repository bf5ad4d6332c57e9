import KNN from "ml-knn";
import LogisticRegression from "ml-logistic-regression";
import { Matrix } from "ml-matrix";

/** Which classifier predicts batch, with its settings. */
export type BatchClassifierMethod =
  | { method: "knn"; k?: number }
  | { method: "logistic"; numSteps?: number; learningRate?: number };

/**
 * Trains on (standardised) rows with class codes and predicts the test rows' codes.
 * kNN: ml-knn, Euclidean, default k = 5; vote ties go to the class that reached the top count first among the
 * neighbours as ml-knn returns them (class::knn in R breaks them at random).
 * Logistic: ml-logistic-regression, one-vs-rest, with an intercept column, plain gradient ascent (no penalty),
 * default 200 steps of rate 1 / (training rows) on ml-logistic-regression's summed gradient (a unit step on the
 * mean gradient; the step count is what keeps the unpenalised fit from running off on separable data); classes
 * absent from the training rows are never predicted.
 */
export function trainAndPredict(spec: BatchClassifierMethod, train: number[][], labels: number[], test: number[][]): number[] {
  if (spec.method === "knn") {
    const k = Math.min(spec.k ?? 5, train.length);
    return new KNN(train, labels, { k }).predict(test);
  }
  // ml-logistic-regression numbers classes 0..m-1 by position, so relabel the classes present.
  const present = [...new Set(labels)].sort((a, b) => a - b);
  if (present.length === 1) return test.map(() => present[0]);
  const local = new Map(present.map((c, j) => [c, j]));
  const withIntercept = (rows: number[][]) => new Matrix(rows.map((r) => [1, ...r]));
  const model = new LogisticRegression({ numSteps: spec.numSteps ?? 200, learningRate: spec.learningRate ?? 1 / train.length });
  model.train(withIntercept(train), Matrix.columnVector(labels.map((c) => local.get(c)!)));
  return model.predict(withIntercept(test)).map((j) => present[j]);
}
