import { expandFormula, parseFormula, type ModelSpec } from "@lmm/core";

/** How a formula uses a column. */
export type ColumnRole = "response" | "fixed" | "random" | "group" | "offset" | "weights" | "dispersion";

/**
 * The columns a formula uses with their role, in formula order: the response, the fixed-effect
 * variables, the random-effect (slope) variables, the grouping factors, the `offset(…)` terms. A
 * column used in several ways takes the first of those roles; every column an expression reads
 * counts (`I(y / baseline)`: y and baseline).
 *
 * @example
 * ```ts
 * formulaColumns("log(y) ~ x + (1 + t | g)"); // [{ column: "y", role: "response" }, { column: "x", role: "fixed" }, { column: "t", role: "random" }, { column: "g", role: "group" }]
 * ```
 */
export function formulaColumns(formula: string | ModelSpec): { column: string; role: ColumnRole }[] {
  const spec = typeof formula === "string" ? expandFormula(parseFormula(formula)) : formula;
  const out = new Map<string, ColumnRole>();
  const add = (label: string, role: ColumnRole) => {
    const ref = spec.variables.get(label);
    if (ref) for (const column of ref.columns) if (!out.has(column)) out.set(column, role);
  };
  if (spec.response) add(spec.response.label, "response");
  spec.fixed.terms.forEach((t) => t.forEach((v) => add(v, "fixed")));
  spec.random.forEach((r) => r.lhs.terms.forEach((t) => t.forEach((v) => add(v, "random"))));
  spec.random.forEach((r) => r.group.forEach((g) => add(g, "group")));
  spec.offsets.forEach((o) => add(o, "offset"));
  return [...out.entries()].map(([column, role]) => ({ column, role }));
}

/**
 * 1 where a value is missing (null, undefined, NaN), as the model frame decides.
 *
 * @example
 * ```ts
 * missingMask([1, null, NaN, "a"]); // Uint8Array [0, 1, 1, 0]
 * ```
 */
export function missingMask(values: ArrayLike<unknown>): Uint8Array {
  const n = values.length;
  const mask = new Uint8Array(n);
  if (values instanceof Float64Array || values instanceof Float32Array) {
    for (let i = 0; i < n; i++) if (values[i] !== values[i]) mask[i] = 1;
    return mask;
  }
  for (let i = 0; i < n; i++) {
    const v = values[i];
    if (v === null || v === undefined || (typeof v === "number" && Number.isNaN(v))) mask[i] = 1;
  }
  return mask;
}
