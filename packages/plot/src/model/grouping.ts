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
  const reterms = model.design.reterms;
  const re = group === undefined ? reterms[0] : reterms.find((r) => r.groupLabel === group);
  if (!re) throw new InvalidArgumentError("group", group, `a grouping factor of the model (${reterms.map((r) => JSON.stringify(r.groupLabel)).join(", ")})`);
  if (re.structure) throw new InvalidArgumentError("group", group, "a grouping factor without a known covariance matrix (its levels are ids, not groups)");
  return { group: re.groupLabel, levels: re.levels, codes: re.refs, counts: countLevels(re.refs, re.levels.length) };
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
  const frame = model.design.frame;
  const numeric = frame.numeric.get(name);
  if (numeric) return numeric;
  const factor = frame.factors.get(name);
  if (factor) return Array.from(factor.codes, (c) => factor.levels[c]);
  const re = model.design.reterms.find((r) => r.groupLabel === name && !r.structure);
  if (re) return Array.from(re.refs, (c) => re.levels[c]);
  const known = [...frame.numeric.keys(), ...frame.factors.keys()].map((k) => JSON.stringify(k)).join(", ");
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
  return model.design.frame.spec.response?.label ?? "response";
}
