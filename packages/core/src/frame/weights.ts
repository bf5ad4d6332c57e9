import { ColumnLengthError, InvalidValueError } from "../errors/data.js";
import { InvalidArgumentError } from "../errors/LmmError.js";
import { getColumn, isMissing, type DataColumns } from "./data.js";
import { readNumeric } from "./variables.js";

/** A per-row option (`weights`, `offset`): its values over the data rows (NaN = missing) and the name messages use. */
export interface RowValues {
  name: string;
  values: Float64Array;
}

/**
 * Reads the `weights` or `offset` option: a column of the data, or one number per data row.
 * Non-numbers and ±Infinity are refused naming the row; missing values stay NaN.
 */
export function readRowOption(option: "weights" | "offset", given: string | ArrayLike<number>, data: DataColumns, nRows: number): RowValues {
  if (typeof given === "string") {
    getColumn(data, given);
    const values = readNumeric(data, { column: given });
    if (values.length !== nRows) throw new ColumnLengthError(given, values.length, nRows);
    return { name: given, values };
  }
  if (given == null || typeof (given as ArrayLike<number>).length !== "number") throw new InvalidArgumentError(option, given, "a column name or one number per data row");
  if (given.length !== nRows) throw new ColumnLengthError(option, given.length, nRows);
  const values = new Float64Array(nRows);
  for (let i = 0; i < nRows; i++) {
    const v = given[i] as unknown;
    if (isMissing(v)) values[i] = NaN;
    else if (typeof v !== "number") throw new InvalidValueError(option, i, v, "is not a number");
    else if (!Number.isFinite(v)) throw new InvalidValueError(option, i, v, "is not finite");
    else values[i] = v;
  }
  return { name: option, values };
}

/** Refuses negative weights, naming the first such row and its value. */
export function checkWeights(weights: RowValues): void {
  const { values, name } = weights;
  for (let i = 0; i < values.length; i++) {
    if (values[i] < 0) throw new InvalidValueError(name, i, values[i], "is a negative weight; prior weights must be ≥ 0 (0 leaves the row out)");
  }
}
