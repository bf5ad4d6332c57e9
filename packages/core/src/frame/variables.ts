import { InvalidValueError } from "../errors/data.js";
import type { VariableRef } from "../formula/terms.js";
import { getColumn, isMissing, type DataColumns, type FrameOptions } from "./data.js";

/** A categorical variable: level labels in order and a 0-based code per row (-1 = missing). */
export interface Factor {
  levels: string[];
  codes: Int32Array;
}

/** A variable read from its column over all rows: numbers (NaN = missing) or a factor. */
export type RawVariable = { kind: "numeric"; values: Float64Array } | ({ kind: "factor" } & Factor);

/** Whether a column holds categories (strings, booleans, or given levels) rather than numbers. */
export function isCategorical(data: DataColumns, column: string, options: FrameOptions): boolean {
  if (options.levels && Object.prototype.hasOwnProperty.call(options.levels, column)) return true;
  const values = getColumn(data, column);
  if (ArrayBuffer.isView(values)) return false;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (isMissing(v)) continue;
    return typeof v === "string" || typeof v === "boolean";
  }
  return false;
}

/** Reads a column as numbers (NaN = missing); ±Infinity and non-numbers are refused. */
export function readNumeric(data: DataColumns, ref: Pick<VariableRef, "column">): Float64Array {
  const column = getColumn(data, ref.column);
  const out = new Float64Array(column.length);
  for (let i = 0; i < column.length; i++) {
    const v = column[i];
    if (isMissing(v)) {
      out[i] = NaN;
      continue;
    }
    const x = typeof v === "number" ? v : typeof v === "bigint" ? Number(v) : NaN;
    if (Number.isNaN(x)) throw new InvalidValueError(ref.column, i, v, "is not a number");
    if (!Number.isFinite(x)) throw new InvalidValueError(ref.column, i, v, "is not finite");
    out[i] = x;
  }
  return out;
}

/**
 * Reads a column as a factor. Level order: the `levels` option if given (values outside it are
 * refused), else sorted (numbers numerically, strings by code point, booleans FALSE < TRUE).
 */
export function readFactor(data: DataColumns, column: string, options: FrameOptions): Factor {
  const values = getColumn(data, column);
  const given = options.levels && Object.prototype.hasOwnProperty.call(options.levels, column) ? options.levels[column] : undefined;
  const labels: (string | null)[] = new Array(values.length);
  const seen = new Map<string, number | string>();
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (isMissing(v)) {
      labels[i] = null;
      continue;
    }
    let label: string;
    if (typeof v === "string") label = v;
    else if (typeof v === "boolean") label = v ? "TRUE" : "FALSE";
    else if (typeof v === "number" || typeof v === "bigint") {
      if (!Number.isFinite(Number(v))) throw new InvalidValueError(column, i, v, "is not finite");
      label = String(v);
    } else throw new InvalidValueError(column, i, v, "cannot be a category (expected a string, number or boolean)");
    labels[i] = label;
    if (!seen.has(label)) seen.set(label, typeof v === "number" ? v : label);
  }
  let levels: string[];
  if (given) {
    levels = [...given].map(String);
  } else {
    const keys = [...seen.entries()];
    const numeric = keys.every(([, k]) => typeof k === "number");
    keys.sort(numeric ? (a, b) => (a[1] as number) - (b[1] as number) : (a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
    levels = keys.map(([l]) => l);
  }
  const index = new Map(levels.map((l, i) => [l, i]));
  const codes = new Int32Array(values.length);
  for (let i = 0; i < labels.length; i++) {
    const l = labels[i];
    if (l === null) {
      codes[i] = -1;
      continue;
    }
    const code = index.get(l);
    // Only given levels can miss a label.
    if (code === undefined) throw new InvalidValueError(column, i, l, `is not one of the given levels of ${JSON.stringify(column)}`);
    codes[i] = code;
  }
  return { levels, codes };
}

/** The factor restricted to `rows`, with levels no row uses removed (lme4 drops unused levels). */
export function subsetFactor(f: Factor, rows: Int32Array): Factor {
  const used = new Int32Array(f.levels.length).fill(-1);
  for (let i = 0; i < rows.length; i++) used[f.codes[rows[i]]] = 0;
  const levels: string[] = [];
  for (let l = 0; l < used.length; l++) if (used[l] === 0) used[l] = levels.push(f.levels[l]) - 1;
  const codes = new Int32Array(rows.length);
  for (let i = 0; i < rows.length; i++) codes[i] = used[f.codes[rows[i]]];
  return { levels, codes };
}

/** Values at `rows`. */
export function subsetNumeric(values: Float64Array, rows: Int32Array): Float64Array {
  const out = new Float64Array(rows.length);
  for (let i = 0; i < rows.length; i++) out[i] = values[rows[i]];
  return out;
}
