export { bobyqa, type OptimResult } from "./bobyqa/bobyqa.js";
export { quasiNewton, type QuasiNewtonOptions, type QuasiNewtonResult } from "./quasiNewton.js";
export type { BobyqaOptions } from "./bobyqa/options.js";
export type { BobyqaStopReason } from "./bobyqa/bobyqb.js";
export {
  finiteDifferenceDerivatives,
  finiteDifferenceGradient,
  finiteDifferenceHessian,
  type FiniteDifferenceDerivatives,
  type FiniteDifferenceOptions,
} from "./derivatives.js";
