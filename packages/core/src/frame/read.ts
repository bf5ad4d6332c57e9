import { InvalidArgumentError } from "../errors/LmmError.js";
import type { VariableRef } from "../formula/variables.js";
import { basisColumns, learnBasis, type LearnedBasis, type LearnedTransforms } from "./basis/index.js";
import type { DataColumns, FrameOptions } from "./data.js";
import { evaluateExpression } from "./evaluate.js";
import { isCategorical, readFactor, readNumeric, type Factor } from "./variables.js";

/** A variable's values over every row of the data (NaN or code −1 where missing). */
export type VariableValues =
  | { kind: "numeric"; values: Float64Array }
  | ({ kind: "factor" } & Factor)
  /** Columns of a basis (`poly`, `scale`, `ns`, `bs`), what it learned, and the rows missing its input. */
  | { kind: "basis"; columns: Float64Array[]; suffixes: string[]; learned: LearnedBasis; missing: Uint8Array };

/**
 * Reads one variable of a term over the n rows of the data: a column as numbers or as a factor
 * (as the data say, or `factor()`), an element-wise expression, or a basis learned from the rows
 * where its argument is present (as R's model frame evaluates `poly(x, 2)` before removing rows
 * with missing values elsewhere) except the rows `skip` marks (prior weight 0: not part of the
 * fit), unless `learned` gives what to use.
 */
export function readVariable(data: DataColumns, ref: VariableRef, n: number, options: FrameOptions, learned?: LearnedTransforms, skip?: Uint8Array): VariableValues {
  switch (ref.kind) {
    case "column":
      if (categorical(data, ref.column, options)) return { kind: "factor", ...readFactor(data, ref.column, options) };
      return { kind: "numeric", values: readNumeric(data, ref) };
    case "factor":
      return { kind: "factor", ...readFactor(data, ref.column, options) };
    case "numeric":
      return { kind: "numeric", values: evaluateExpression(ref.expr, data, n, ref.label).values };
    case "basis": {
      const { values, missing } = evaluateExpression(ref.expr, data, n, ref.label);
      const given = learned && Object.prototype.hasOwnProperty.call(learned, ref.label) ? learned[ref.label] : undefined;
      if (given && given.fn !== ref.basis!.fn) throw new InvalidArgumentError(`transforms[${JSON.stringify(ref.label)}]`, given.fn, `what ${ref.basis!.fn}() learned`);
      const basis = given ?? learnBasis(ref.basis!, sortedPresent(values, skip), ref.label);
      return { kind: "basis", ...basisColumns(basis, values), learned: basis, missing };
    }
  }
}

/** Whether a variable is categorical in these data (without reading all of it). */
export function isFactorVariable(data: DataColumns, ref: VariableRef, options: FrameOptions): boolean {
  return ref.kind === "factor" || (ref.kind === "column" && categorical(data, ref.column, options));
}

/** A column declared ordered is a factor, whatever its values (numbers such as visit 1, 2, 3). */
function categorical(data: DataColumns, column: string, options: FrameOptions): boolean {
  return (options.ordered?.includes(column) ?? false) || isCategorical(data, column, options);
}

/** The values that are not NaN (nor skipped), sorted: learning from them does not depend on the order of the rows. */
function sortedPresent(values: Float64Array, skip?: Uint8Array): Float64Array {
  let k = 0;
  const out = new Float64Array(values.length);
  for (let i = 0; i < values.length; i++) if (!Number.isNaN(values[i]) && !skip?.[i]) out[k++] = values[i];
  return out.subarray(0, k).sort();
}
