// @lmm/core: linear mixed models with lme4's formula syntax — fit (`lmm`), read the fit
// (`LinearMixedModel` and its `structure`), infer (tests, intervals, profiles, bootstrap).
// Other entry points: `@lmm/core/numerics` (distributions, Rng, small dense algebra),
// `@lmm/core/parallel` (worker pools), `@lmm/core/engine` (refitting many responses or rows),
// `@lmm/core/node` (atomic result files), `@lmm/core/errors` (the error classes alone), `@lmm/core/wasm`
// (the WebAssembly assembler alone).

// Errors: every bad input is one of these, with a stable code.
export * from "./errors/index.js";

// The formula language and the data a model reads.
export * from "./formula/index.js";
export type { DataColumns, FrameOptions, NaAction } from "./frame/data.js";
export type { DroppedRows } from "./frame/ModelFrame.js";
export { responseValues } from "./frame/ModelFrame.js";
export type { ContrastName } from "./frame/contrasts.js";
export type { LearnedBasis, LearnedTransforms } from "./frame/basis/index.js";
export type { KnownCovariance } from "./frame/knownCovariance.js";
export { dispersionColumn } from "./frame/dispersion.js";

// Fitting, and the fitted model.
export { lmm } from "./model/lmm.js";
export type { FitOptions } from "./engine/fit.js";
export type { DesignOptions, FitWarning } from "./engine/design.js";
export { LinearMixedModel, type FixedEffect, type RandomEffects, type OptimisationInfo, type ModelDispersion } from "./model/LinearMixedModel.js";
export type { OptimizerInfo } from "./model/optimizerInfo.js";
export { ModelStructure, type GroupingFactor, type RandomTerm, type FixedMatrix, type FrameVariable, type RefitRecipe } from "./model/structure.js";
export type { VarCorrTerm } from "./model/varcorr.js";
export type { PredictOptions } from "./model/predict.js";
export type { SimulateOptions } from "./model/simulate.js";
export type { ConvergenceCheck } from "./engine/convergence.js";
export type { ModelJson } from "./model/json.js";
export type { SummaryColumns } from "./model/summary.js";
export { heritability, type Heritability } from "./model/heritability.js";

// Inference on fitted models.
export * from "./inference/index.js";

// Speed switch of the large dense factorisations (WebAssembly SIMD).
export { useSimd } from "./engine/linalg/wasm/simdKernels.js";
export { useFma } from "./numerics/wasm/relaxed.js";
