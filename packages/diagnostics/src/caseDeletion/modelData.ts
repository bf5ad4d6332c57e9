import { UnknownColumnError, type DataColumns, type FitOptions, type LinearMixedModel } from "@lmm/core";
import { DataMismatchError } from "./errors.js";

/** The columns a model uses, over the rows it used (rows dropped for missing values left out). */
export type UsedColumns = Record<string, ArrayLike<unknown>>;

/** What a refit on some of the used rows needs besides the formula and the level order. */
export type RefitOptions = Pick<FitOptions, "contrasts" | "transforms" | "weights" | "offset" | "dispersion">;

/**
 * The columns the model's formula reads, restricted to the rows the fit used, copied (string
 * columns as arrays, numbers as typed arrays) so they can be sent to workers; and the options that
 * rebuild the model's coding on them: its contrasts, the bases it learned (a refit on some rows
 * keeps the full fit's `poly`, `scale` and spline knots, as R's safe prediction), and its prior
 * weights and `offset` option as two more columns (named as R's model frame names them,
 * `(weights)` and `(offset)`, unless the data have such columns).
 */
export function usedColumns(model: LinearMixedModel, data: DataColumns): { columns: UsedColumns; options: RefitOptions } {
  const { structure } = model;
  const recipe = structure.refitRecipe();
  const rows = structure.rows;
  const out: UsedColumns = Object.create(null);
  for (const column of recipe.columns) {
    if (!Object.prototype.hasOwnProperty.call(data, column)) throw new UnknownColumnError(column, Object.keys(data));
    const values = data[column];
    if (values.length !== structure.nDataRows) throw new DataMismatchError(values.length, structure.nDataRows);
    out[column] = takeRows(values, rows);
  }
  const free = (name: string) => {
    while (Object.prototype.hasOwnProperty.call(out, name)) name = `.${name}`;
    return name;
  };
  const options: RefitOptions = { contrasts: recipe.contrasts, transforms: recipe.transforms };
  if (recipe.weights) out[(options.weights = free("(weights)"))] = recipe.weights;
  if (recipe.offset) out[(options.offset = free("(offset)"))] = recipe.offset;
  if (recipe.dispersion) options.dispersion = recipe.dispersion;
  return { columns: out, options };
}

/**
 * The level order of every categorical column as the fit coded it (the `levels` option that
 * reproduces the fit's contrasts and grouping factors), keyed by column. Numeric columns are left
 * out so that they stay numeric.
 */
export function fittedLevels(model: LinearMixedModel): Record<string, string[]> {
  return model.structure.refitRecipe().levels;
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
