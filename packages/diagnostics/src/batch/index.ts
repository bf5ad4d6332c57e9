export { batchPca, type BatchPca, type BatchPcaOptions, type BatchComponent } from "./pca.js";
export { batchClassifier, type BatchClassification, type BatchClassifierOptions } from "./classifier.js";
export type { BatchClassifierMethod } from "./classifiers.js";
export { oneWayAnova, type OneWayAnova } from "./anova.js";
export { stratifiedFolds } from "./folds.js";
export { toFeatureColumns, toFactor, type FeatureInput, type FeatureColumns, type Factor, type MissingPolicy } from "./columns.js";
export * from "./errors.js";
