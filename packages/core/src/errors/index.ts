// @lmm/core/errors: the typed errors alone (LmmError and every class with its stable code), for code that
// throws or catches them without loading the model code: worker modules, whose start time counts.
export * from "./LmmError.js";
export * from "./formula.js";
export * from "./data.js";
export * from "./covariance.js";
export * from "./aggregate.js";
