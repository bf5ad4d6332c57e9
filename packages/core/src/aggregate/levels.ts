import { readFactor } from "../frame/variables.js";

/**
 * The levels of a categorical variable in the order a model gives them (numbers numerically,
 * text by code point, booleans FALSE < TRUE, or the order `given`, as `lmm`'s `levels` option),
 * from its distinct values as an engine returns them; levels that do not occur are left out.
 *
 * @example
 * ```ts
 * factorLevels(["b", "a", null]); // ["a", "b"]
 * ```
 */
export function factorLevels(values: ArrayLike<unknown>, given?: readonly string[]): string[] {
  const present = readFactor({ v: values }, "v", {}).levels;
  if (!given) return present;
  const seen = new Set(present);
  return given.map(String).filter((l) => seen.has(l));
}
