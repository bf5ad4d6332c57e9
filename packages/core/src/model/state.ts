// The engine state behind each model, for the core's own inference code: never exported from a
// package entry, so other packages read a model only through its methods and `structure`.
import type { FittedState } from "../engine/fit.js";
import type { Fitter } from "../engine/Fitter.js";
import type { LinearMixedModel } from "./LinearMixedModel.js";

// Kept on the model under symbols only this module knows (non-enumerable, so JSON and spreading never
// see them). Not WeakMaps: a WeakMap entry per model is an ephemeron the collector traces at every
// collection, and a WeakMap of many small fits (fitEach, simulations) made each fit markedly slower.
const STATE = Symbol("lmm.state");
const EVALUATOR = Symbol("lmm.evaluator");
type Holder = { [STATE]: FittedState; [EVALUATOR]?: Fitter };
const holder = (model: LinearMixedModel) => model as unknown as Holder;

/** Called by the model's constructor. */
export function keepState(model: LinearMixedModel, state: FittedState): void {
  Object.defineProperty(model, STATE, { value: state });
}

/** The design, the fitter factored at θ̂ (read it, never evaluate on it) and the estimates of a model. */
export function stateOf(model: LinearMixedModel): FittedState {
  return holder(model)[STATE];
}

/**
 * A fitter for evaluating a model's criterion at other θ (derivatives, heritability): the model's
 * factor at θ̂ stays where it is whatever is evaluated here. One per model, made on first need.
 */
export function evaluatorOf(model: LinearMixedModel): Fitter {
  let fitter = holder(model)[EVALUATOR];
  if (!fitter) Object.defineProperty(model, EVALUATOR, { value: (fitter = stateOf(model).fitter.aside()) });
  return fitter;
}

/** The design of a model (immutable, shared by its refits). */
export function designOf(model: LinearMixedModel): FittedState["design"] {
  return stateOf(model).design;
}
