import { ColumnLengthError, EmptyDataError, UnknownColumnError } from "../errors/data.js";
import { InvalidArgumentError } from "../errors/LmmError.js";

/** Columnar data: one array (plain or typed) per column, all of the same length. */
export type DataColumns = Readonly<Record<string, ArrayLike<unknown>>>;

/** How rows with missing values are treated: dropped and reported, or refused. */
export type NaAction = "omit" | "fail";

/** Options that shape the model frame. */
export interface FrameOptions {
  /** Level order per categorical column (the first level is the reference of treatment contrasts). */
  levels?: Readonly<Record<string, readonly string[]>>;
  /** `"omit"` (default) drops rows with a missing value in any used column; `"fail"` throws. */
  na?: NaAction;
}

/** Reads a column by name without touching the prototype chain (`__proto__` is an ordinary name). */
export function getColumn(data: DataColumns, name: string): ArrayLike<unknown> {
  if (!Object.prototype.hasOwnProperty.call(data, name)) throw new UnknownColumnError(name, Object.keys(data));
  const column = data[name];
  if (column == null || typeof (column as ArrayLike<unknown>).length !== "number") {
    throw new InvalidArgumentError(`column ${JSON.stringify(name)}`, column, "an array or typed array");
  }
  return column;
}

/** Checks that the named columns exist and share one length, and returns that length. */
export function commonLength(data: DataColumns, names: Iterable<string>): number {
  if (data == null || typeof data !== "object") throw new InvalidArgumentError("data", data, "an object of columns");
  let length = -1;
  let first = "";
  for (const name of names) {
    const n = getColumn(data, name).length;
    if (length < 0) {
      length = n;
      first = name;
    } else if (n !== length) throw new ColumnLengthError(name, n, length);
  }
  if (length === 0) throw new EmptyDataError(`the data have no rows (column ${JSON.stringify(first)} is empty)`);
  return Math.max(length, 0);
}

/** null, undefined and NaN are missing; everything else is a value. */
export function isMissing(value: unknown): boolean {
  return value === null || value === undefined || (typeof value === "number" && Number.isNaN(value));
}
