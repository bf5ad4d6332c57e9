import { UnknownColumnError, type DataColumns, type LinearMixedModel } from "@lmm/core";
import { DataMismatchError } from "./errors.js";

/** The columns a model uses, over the rows it used (rows dropped for missing values left out). */
export type UsedColumns = Record<string, ArrayLike<unknown>>;

/**
 * The columns the model's formula reads, restricted to the rows the fit used, copied (string
 * columns as arrays, numbers as typed arrays) so they can be sent to workers.
 */
export function usedColumns(model: LinearMixedModel, data: DataColumns): UsedColumns {
  const frame = model.design.frame;
  const out: UsedColumns = Object.create(null);
  for (const ref of frame.spec.variables.values()) {
    if (Object.prototype.hasOwnProperty.call(out, ref.column)) continue;
    if (!Object.prototype.hasOwnProperty.call(data, ref.column)) throw new UnknownColumnError(ref.column, Object.keys(data));
    const column = data[ref.column];
    if (column.length !== frame.nRows) throw new DataMismatchError(column.length, frame.nRows);
    out[ref.column] = takeRows(column, frame.rows);
  }
  return out;
}

/**
 * The level order of every categorical column as the fit coded it (the `levels` option that
 * reproduces the fit's contrasts and grouping factors), keyed by column. Numeric columns are left
 * out so that they stay numeric.
 */
export function fittedLevels(model: LinearMixedModel): Record<string, string[]> {
  const frame = model.design.frame;
  const numericColumns = new Set<string>();
  for (const label of frame.numeric.keys()) numericColumns.add(frame.spec.variables.get(label)!.column);
  const out: Record<string, string[]> = Object.create(null);
  for (const [label, factor] of frame.factors) {
    const ref = frame.spec.variables.get(label);
    if (!ref || numericColumns.has(ref.column) || ref.transform === "factor") continue;
    out[ref.column] = factor.levels.slice();
  }
  return out;
}

/** Values of `column` at `rows`, as a fresh typed array for typed input and a plain array otherwise. */
export function takeRows(column: ArrayLike<unknown>, rows: ArrayLike<number>): ArrayLike<unknown> {
  if (column instanceof Float64Array || column instanceof Float32Array || column instanceof Int32Array || column instanceof Uint8Array || column instanceof Int16Array || column instanceof Uint16Array || column instanceof Uint32Array || column instanceof Int8Array) {
    const Ctor = column.constructor as { new (n: number): { [i: number]: number; length: number } };
    const out = new Ctor(rows.length);
    for (let i = 0; i < rows.length; i++) out[i] = column[rows[i]];
    return out as ArrayLike<unknown>;
  }
  const out = new Array<unknown>(rows.length);
  for (let i = 0; i < rows.length; i++) out[i] = column[rows[i]];
  return out;
}

/** The columns at `rows`. */
export function selectRows(data: UsedColumns, rows: ArrayLike<number>): UsedColumns {
  const out: UsedColumns = Object.create(null);
  for (const name of Object.keys(data)) out[name] = takeRows(data[name], rows);
  return out;
}
