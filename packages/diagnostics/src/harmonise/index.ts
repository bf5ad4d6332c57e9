export { combat, combatApply } from "./combat/apply.js";
export { combatFit } from "./combat/fit.js";
export type { CombatData, CombatOptions, CombatModel, CombatResult, HarmonisedFeatures } from "./combat/types.js";
export type { CovariateInput, CovariateSpec } from "./combat/design.js";
export type { Priors } from "./combat/estimates.js";
export type { Standardisation } from "./combat/standardise.js";
