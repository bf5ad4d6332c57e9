import { ColumnLengthError, InvalidArgumentError, InvalidValueError } from "@lmm/core";

/** Named numeric columns, one per feature: a record or a Map from name to values. */
export type FeatureInput = Record<string, ArrayLike<number>> | ReadonlyMap<string, ArrayLike<number>>;

/** Features as parallel arrays: `names[j]` labels `columns[j]`, every column `nRows` long. */
export interface FeatureColumns {
  names: string[];
  columns: Float64Array[];
  nRows: number;
}

/** A categorical column as level codes: `levels[codes[i]]` is row i's label. */
export interface Factor {
  name: string;
  levels: string[];
  codes: Int32Array;
  /** Rows per level. */
  counts: Int32Array;
}

/** How missing feature values are treated. */
export type MissingPolicy = "allow" | "refuse";

/**
 * Copies named feature columns into Float64Arrays, checking lengths and values: ±Infinity is always
 * refused, NaN / null (missing) only when `missing` is `"refuse"`.
 *
 * @example
 * ```ts
 * toFeatureColumns({ a: [1, 2], b: [3, NaN] }, 2, "allow").columns[1]; // Float64Array [3, NaN]
 * ```
 */
export function toFeatureColumns(features: FeatureInput, nRows: number, missing: MissingPolicy): FeatureColumns {
  const entries: [string, ArrayLike<number>][] = features instanceof Map ? [...features.entries()] : Object.keys(features).map((k) => [k, (features as Record<string, ArrayLike<number>>)[k]]);
  if (entries.length === 0) throw new InvalidArgumentError("features", features, "at least one feature column");
  const names: string[] = [];
  const columns: Float64Array[] = [];
  for (const [name, values] of entries) {
    if (values == null || typeof values.length !== "number") throw new InvalidArgumentError(`feature ${JSON.stringify(name)}`, values, "an array of numbers");
    if (values.length !== nRows) throw new ColumnLengthError(name, values.length, nRows);
    const column = new Float64Array(nRows);
    for (let i = 0; i < nRows; i++) {
      const v = values[i] as unknown;
      if (v === null || v === undefined || (typeof v === "number" && Number.isNaN(v))) {
        if (missing === "refuse") throw new InvalidValueError(name, i, v, "is missing; drop or impute incomplete rows first");
        column[i] = NaN;
      } else if (typeof v !== "number" || !Number.isFinite(v)) {
        throw new InvalidValueError(name, i, v, "is not a finite number");
      } else {
        column[i] = v;
      }
    }
    names.push(name);
    columns.push(column);
  }
  return { names, columns, nRows };
}

/**
 * Encodes a categorical column. Levels are `levels` when given (every value must be one of them), otherwise
 * the distinct values sorted (numbers numerically, strings by code point), as R's `factor()` sorts them.
 *
 * @example
 * ```ts
 * toFactor("site", ["S2", "S1", "S2"]); // { levels: ["S1", "S2"], codes: [1, 0, 1], counts: [1, 2], … }
 * ```
 */
export function toFactor(name: string, values: ArrayLike<string | number>, levels?: readonly string[]): Factor {
  const n = values.length;
  const labels: string[] = new Array(n);
  let numeric = true;
  for (let i = 0; i < n; i++) {
    const v = values[i] as unknown;
    if (v === null || v === undefined || v === "" || (typeof v === "number" && !Number.isFinite(v))) throw new InvalidValueError(name, i, v, "is not a usable label");
    if (typeof v !== "number") numeric = false;
    labels[i] = String(v);
  }
  let order: string[];
  if (levels) {
    order = levels.slice();
    if (new Set(order).size !== order.length) throw new InvalidArgumentError(`levels of ${JSON.stringify(name)}`, levels, "distinct labels");
  } else {
    const distinct = [...new Set(labels)];
    order = numeric ? distinct.sort((a, b) => Number(a) - Number(b)) : distinct.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  }
  const index = new Map(order.map((l, k) => [l, k]));
  const codes = new Int32Array(n);
  const counts = new Int32Array(order.length);
  for (let i = 0; i < n; i++) {
    const k = index.get(labels[i]);
    if (k === undefined) throw new InvalidValueError(name, i, labels[i], `is not one of the given levels of ${JSON.stringify(name)}`);
    codes[i] = k;
    counts[k]++;
  }
  return { name, levels: order, codes, counts };
}

/** Message tail listing the known levels, e.g. ` (levels: "a", "b")`. */
export function levelsHint(levels: readonly string[]): string {
  const shown = levels.slice(0, 12).map((l) => JSON.stringify(l)).join(", ");
  return ` (levels: ${shown}${levels.length > 12 ? ", …" : ""})`;
}
