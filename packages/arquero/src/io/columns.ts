import { InvalidValueError, type DataColumns } from "@lmm/core";
import type { ColumnTable } from "arquero";

/** What an Arquero column can be: a plain or typed array, or an Arrow-backed column object. */
interface ColumnLike {
  length: number;
  at?(row: number): unknown;
  toArray?(): ArrayLike<unknown>;
  nullCount?: number;
}

/**
 * The columns of an Arquero table as the core fitter takes them, without building rows: an
 * unfiltered, unordered table hands over each column's backing array as it is (typed arrays stay
 * typed, nothing is copied); Arrow-backed columns without nulls are read through their own
 * `toArray()` (a typed view for numbers). Filtered or ordered tables, and Arrow columns with
 * nulls (apache-arrow's `toArray()` turns a null number into 0), are read value by value, so
 * missing values stay missing. Null-prototype object: a column named `__proto__` is ordinary.
 *
 * @example
 * ```ts
 * import { table } from "arquero";
 * const cols = tableColumns(table({ y: Float64Array.of(1, 2), g: ["a", "b"] }));
 * cols.y; // the table's own Float64Array
 * ```
 */
export function tableColumns(table: ColumnTable): DataColumns {
  const out: Record<string, ArrayLike<unknown>> = Object.create(null);
  const direct = !table.isFiltered() && !table.isOrdered();
  for (const name of table.columnNames()) {
    // Arquero keeps columns in a plain object, where a column named like an Object.prototype
    // member (`__proto__`) is lost; say so rather than hand on a column that is not there.
    const column = table.column(name) as unknown as ColumnLike | undefined;
    if (column == null || typeof column.length !== "number" || typeof table.numRows() !== "number") {
      throw new InvalidValueError(name, 0, name, "is a column name an Arquero table cannot hold (it names a built-in property); rename the column, or pass plain columns to the core fitter");
    }
    out[name] = direct ? backingArray(table, name) : (table.array(name) as ArrayLike<unknown>);
  }
  return out;
}

function backingArray(table: ColumnTable, name: string): ArrayLike<unknown> {
  const column = table.column(name) as unknown as ColumnLike;
  if (Array.isArray(column) || (ArrayBuffer.isView(column) && !(column instanceof DataView))) return column as ArrayLike<unknown>;
  if (typeof column.toArray === "function" && !column.nullCount) {
    const values = column.toArray();
    if (values.length === table.numRows()) return values;
  }
  return table.array(name) as ArrayLike<unknown>;
}

/**
 * Level order of every dictionary-encoded (Arrow `Dictionary`) column of an Arquero table, as the
 * dictionary stores it; other columns are not listed. This is how a categorical column read from
 * Arrow or Parquet keeps its level order (the first level is the reference of treatment contrasts).
 *
 * @example
 * ```ts
 * import { fromArrow } from "arquero";
 * dictionaryLevels(fromArrow(arrowTable)); // { grade: ["G1", "G2", "G3"] }
 * ```
 */
export function dictionaryLevels(table: ColumnTable): Record<string, string[]> {
  const out: Record<string, string[]> = Object.create(null);
  for (const name of table.columnNames()) {
    const column = table.column(name) as unknown as { keyFor?: unknown; groups?: (names: string[]) => { size: number; get: ((row: number) => unknown)[] } };
    // Arquero wraps Arrow dictionary columns in an object with keyFor/groups; group k is dictionary entry k.
    if (typeof column?.keyFor !== "function" || typeof column.groups !== "function") continue;
    const { size, get } = column.groups([name]);
    const levels: string[] = [];
    for (let k = 0; k < size; k++) {
      const value = (get[0] as (key: number) => unknown)(k);
      if (value !== null && value !== undefined) levels.push(String(value));
    }
    out[name] = levels;
  }
  return out;
}
