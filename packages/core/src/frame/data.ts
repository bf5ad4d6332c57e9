import { ColumnLengthError, EmptyDataError, UnknownColumnError } from "../errors/data.js";
import { InvalidArgumentError } from "../errors/LmmError.js";
import type { LearnedTransforms } from "./basis/index.js";
import type { ContrastName } from "./contrasts.js";

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
  /**
   * Contrast coding per factor, by column (or by variable label, e.g. `"factor(dose)"`):
   * `"treatment"` (R's default), `"sum"`, `"helmert"` or `"poly"`, as R's `contrasts` argument
   * (`list(site = "contr.sum")`). Coefficients are named as R names them (`site1`, `grade.L` …).
   */
  contrasts?: Readonly<Record<string, ContrastName>>;
  /**
   * Columns that are ordered factors (R's `ordered()`), read as categories even when their values
   * are numbers; their default coding is `"poly"`, as in R.
   */
  ordered?: readonly string[];
  /**
   * Prior weights, as lme4's `lmer(weights = )`: the residual variance of row i is σ²/wᵢ. A column
   * name or one number per data row. A weight of 0 leaves the row out (reported in `droppedRows`
   * and as a warning); a negative or non-finite weight is an error naming the row; a missing one
   * drops the row like any missing value.
   */
  weights?: string | ArrayLike<number>;
  /**
   * A known offset added to the linear predictor (coefficient fixed at 1), as lme4's `offset =`:
   * a column name or one number per data row. Adds to any `offset(…)` terms of the formula.
   */
  offset?: string | ArrayLike<number>;
  /**
   * Bases learned on another fit (`model.structure.transforms`), used as they are instead of
   * learned from these data: `poly` coefficients, `scale` centres and scales, spline knots (R's
   * safe prediction). What refits on some of the rows pass, so they keep the full fit's basis.
   */
  transforms?: LearnedTransforms;
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
