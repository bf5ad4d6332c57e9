import { readFactor } from "../frame/variables.js";

/**
 * The levels of a categorical variable in the order a model gives them (numbers numerically,
 * text by code point, booleans FALSE < TRUE), from its distinct values as an engine returns them.
 *
 * @example
 * ```ts
 * factorLevels(["b", "a", null]); // ["a", "b"]
 * ```
 */
export function factorLevels(values: ArrayLike<unknown>): string[] {
  return readFactor({ v: values }, "v", {}).levels;
}
