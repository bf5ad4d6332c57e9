// The engine state behind each model, for the core's own inference code: never exported from a
// package entry, so other packages read a model only through its methods and `structure`.
import type { FittedState } from "../engine/fit.js";
import type { Fitter } from "../engine/Fitter.js";
import type { LinearMixedModel } from "./LinearMixedModel.js";

const states = new WeakMap<LinearMixedModel, FittedState>();
const evaluators = new WeakMap<LinearMixedModel, Fitter>();

/** Called by the model's constructor. */
export function keepState(model: LinearMixedModel, state: FittedState): void {
  states.set(model, state);
}

/** The design, the fitter factored at θ̂ (read it, never evaluate on it) and the estimates of a model. */
export function stateOf(model: LinearMixedModel): FittedState {
  return states.get(model)!;
}

/**
 * A fitter for evaluating a model's criterion at other θ (derivatives, heritability): the model's
 * factor at θ̂ stays where it is whatever is evaluated here. One per model, made on first need.
 */
export function evaluatorOf(model: LinearMixedModel): Fitter {
  let fitter = evaluators.get(model);
  if (!fitter) evaluators.set(model, (fitter = stateOf(model).fitter.aside()));
  return fitter;
}

/** The design of a model (immutable, shared by its refits). */
export function designOf(model: LinearMixedModel): FittedState["design"] {
  return states.get(model)!.design;
}
