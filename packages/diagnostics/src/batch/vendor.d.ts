// Type declarations for the two mljs packages that ship without them (only what this folder uses).
declare module "ml-knn" {
  export default class KNN {
    constructor(dataset: number[][], labels: number[], options?: { k?: number; distance?: (a: number[], b: number[]) => number });
    predict(dataset: number[][]): number[];
  }
}

declare module "ml-logistic-regression" {
  import type { Matrix } from "ml-matrix";
  export default class LogisticRegression {
    constructor(options?: { numSteps?: number; learningRate?: number });
    train(features: Matrix, labels: Matrix): void;
    predict(features: Matrix): number[];
  }
}
