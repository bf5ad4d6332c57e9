import { InvalidArgumentError, type LinearMixedModel } from "@lmm/core";

/** A grouping factor of a fitted model over the rows it used. */
export interface Grouping {
  /** lme4's label (`Subject`, `clinic:patient`). */
  group: string;
  levels: string[];
  /** Level index of each used row. */
  codes: Int32Array;
  /** Number of used rows per level. */
  counts: Int32Array;
}

/**
 * The grouping factor `group` of the model (default: the first in lme4's order, the one with the most levels).
 *
 * @example
 * ```ts
 * grouping(model, "Subject").counts; // observations per subject
 * ```
 */
export function grouping(model: LinearMixedModel, group?: string): Grouping {
  const factors = model.structure.groupingFactors();
  const re = group === undefined ? factors[0] : factors.find((f) => f.group === group);
  if (!re) throw new InvalidArgumentError("group", group, `a grouping factor of the model (${factors.map((f) => JSON.stringify(f.group)).join(", ")})`);
  if (re.knownCovariance) throw new InvalidArgumentError("group", group, "a grouping factor without a known covariance matrix (its levels are ids, not groups)");
  return { group: re.group, levels: re.levels, codes: re.codes, counts: countLevels(re.codes, re.levels.length) };
}

/**
 * Number of occurrences of each code 0..k−1.
 *
 * @example
 * ```ts
 * countLevels([0, 1, 1], 2); // Int32Array [1, 2]
 * ```
 */
export function countLevels(codes: ArrayLike<number>, k: number): Int32Array {
  const counts = new Int32Array(k);
  for (let i = 0; i < codes.length; i++) if (codes[i] >= 0 && codes[i] < k) counts[codes[i]]++;
  return counts;
}

/**
 * A variable of the model frame over the used rows: a numeric covariate (`Days`), or a categorical one
 * or grouping factor as labels (`program`, `Subject`).
 *
 * @example
 * ```ts
 * frameVariable(model, "Days"); // Float64Array
 * ```
 */
export function frameVariable(model: LinearMixedModel, name: string): Float64Array | string[] {
  const { structure } = model;
  const variable = structure.variable(name);
  if (variable?.kind === "numeric") return variable.values;
  if (variable) return Array.from(variable.codes, (c) => variable.levels[c]);
  const re = structure.groupingFactors().find((f) => f.group === name && !f.knownCovariance);
  if (re) return Array.from(re.codes, (c) => re.levels[c]);
  const known = structure.variables().map((k) => JSON.stringify(k)).join(", ");
  throw new InvalidArgumentError("variable", name, `a variable of the model (${known})`);
}

/**
 * Name of the response (the left side of the formula).
 *
 * @example
 * ```ts
 * responseName(model); // "Reaction"
 * ```
 */
export function responseName(model: LinearMixedModel): string {
  return model.structure.spec.response?.label ?? "response";
}
