export { decomposeVariance, varianceRatio } from "./decompose.js";
export { varianceDecomposition, type VarianceDecompositionOptions } from "./model.js";
export { varpart, type VarpartOptions, type VarpartResult, type FeatureVariance } from "./varpart.js";
export type { VarianceBootstrapOptions } from "./bootstrap.js";
export { termCovariances, type TermCovariance } from "./covariance.js";
export { fixedVariance, type FixedVariance } from "./fixed.js";
export type { FitParameters, VarianceComponent, VarianceDecomposition, Icc, VarianceRatio, VarianceInterval, DecompositionOptions } from "./types.js";
