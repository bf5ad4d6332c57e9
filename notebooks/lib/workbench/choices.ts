// The user's choices in the column panel — numeric or categorical, and a factor's reference level —
// applied to a loaded table: the columns and `levels` option the fitter gets.
import { InvalidValueError, type DataColumns } from "@lmm/core";
import type { LoadedColumn, LoadedTable } from "./table.js";

export type ColumnKind = "numeric" | "categorical";

/** What the column panel says: a kind per switched column, a reference level per factor. */
export interface ColumnChoices {
  kind: Record<string, ColumnKind>;
  reference: Record<string, string>;
}

/** A loaded table as the fitter takes it. */
export interface WorkbenchData {
  file: string;
  nRows: number;
  /** Every column by name (a null-prototype record: any column name is an ordinary name). */
  columns: DataColumns;
  /** Level order of every categorical column, reference level first. */
  levels: Record<string, string[]>;
  kinds: Record<string, ColumnKind>;
}

/** No choices yet: every column as read. */
export function noChoices(): ColumnChoices {
  return { kind: Object.create(null), reference: Object.create(null) };
}

/** A column's kind after the user's choice. */
export function kindOf(column: LoadedColumn, choices: ColumnChoices): ColumnKind {
  return Object.prototype.hasOwnProperty.call(choices.kind, column.name) ? choices.kind[column.name] : column.kind;
}

const labelCache = new WeakMap<LoadedColumn, (string | null)[]>();

/** Labels of a column read as categorical (numbers as R prints them: `String(x)`), null where missing. */
export function labelsOf(column: LoadedColumn): (string | null)[] {
  let labels = labelCache.get(column);
  if (!labels) {
    labels = column.kind === "categorical" ? Array.from(column.codes, (c) => (c < 0 ? null : column.levels[c])) : Array.from(column.values, (v) => (Number.isNaN(v) ? null : String(v)));
    labelCache.set(column, labels);
  }
  return labels;
}

/** A column's levels when read as categorical: its own order, or numbers in numeric order. */
export function levelsOf(column: LoadedColumn): string[] {
  if (column.kind === "categorical") return column.levels;
  const distinct = [...new Set(column.values)].filter((v) => !Number.isNaN(v)).sort((a, b) => a - b);
  return distinct.map(String);
}

/** A categorical column as numbers; a label that is not a finite number is refused, naming its first row. */
export function numbersOf(column: LoadedColumn): Float64Array {
  if (column.kind === "numeric") return column.values;
  const asNumber = column.levels.map((l) => (l.trim() === "" ? NaN : Number(l)));
  const bad = asNumber.findIndex((x) => !Number.isFinite(x));
  if (bad >= 0) {
    const row = column.codes.indexOf(bad);
    throw new InvalidValueError(column.name, row, column.levels[bad], "is not a number, so the column cannot be numeric");
  }
  return Float64Array.from(column.codes, (c) => (c < 0 ? NaN : asNumber[c]));
}

/**
 * The table with the choices applied. A reference level moves to the front of its factor's levels
 * (treatment contrasts compare every other level with it).
 *
 * @example
 * ```ts
 * const data = applyChoices(loaded, { kind: { patient: "categorical" }, reference: { grade: "G2" } });
 * lmm(formula, data.columns, { levels: data.levels });
 * ```
 */
export function applyChoices(table: LoadedTable, choices: ColumnChoices): WorkbenchData {
  const columns: Record<string, ArrayLike<unknown>> = Object.create(null);
  const levels: Record<string, string[]> = Object.create(null);
  const kinds: Record<string, ColumnKind> = Object.create(null);
  for (const column of table.columns) {
    const kind = kindOf(column, choices);
    kinds[column.name] = kind;
    if (kind === "numeric") {
      columns[column.name] = numbersOf(column);
      continue;
    }
    columns[column.name] = labelsOf(column);
    const order = levelsOf(column);
    const reference = Object.prototype.hasOwnProperty.call(choices.reference, column.name) ? choices.reference[column.name] : undefined;
    levels[column.name] = reference !== undefined && order.includes(reference) ? [reference, ...order.filter((l) => l !== reference)] : order;
  }
  return { file: table.file, nRows: table.nRows, columns, levels, kinds };
}

/** The columns a fit needs (and their levels), so workers get no more than that. */
export function pickColumns(data: WorkbenchData, names: string[]): { columns: DataColumns; levels: Record<string, string[]> } {
  const columns: Record<string, ArrayLike<unknown>> = Object.create(null);
  const levels: Record<string, string[]> = Object.create(null);
  for (const name of names) {
    if (!Object.prototype.hasOwnProperty.call(data.columns, name)) continue;
    columns[name] = data.columns[name];
    if (Object.prototype.hasOwnProperty.call(data.levels, name)) levels[name] = data.levels[name];
  }
  return { columns, levels };
}
