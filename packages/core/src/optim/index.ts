export { bobyqa, type OptimResult } from "./bobyqa/bobyqa.js";
export type { BobyqaOptions } from "./bobyqa/options.js";
export type { BobyqaStopReason } from "./bobyqa/bobyqb.js";
export {
  finiteDifferenceDerivatives,
  finiteDifferenceGradient,
  finiteDifferenceHessian,
  type FiniteDifferenceDerivatives,
  type FiniteDifferenceOptions,
} from "./derivatives.js";
