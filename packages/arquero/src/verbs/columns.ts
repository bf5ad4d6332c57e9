import { table as aqTable, type ColumnTable } from "arquero";

/** broom.mixed's tidy columns, in its order. */
export const TIDY_COLUMNS = ["effect", "group", "level", "term", "estimate", "std.error", "statistic", "df", "p.value", "conf.low", "conf.high"] as const;

/** One tidy row under construction: null where broom.mixed would print NA. */
export type TidyRow = {
  effect: string;
  group: string | null;
  level: string | null;
  term: string;
  estimate: number;
  "std.error"?: number | null;
  statistic?: number | null;
  df?: number | null;
  "p.value"?: number | null;
  "conf.low"?: number | null;
  "conf.high"?: number | null;
};

/**
 * Rows to a column table with the given column order; numbers in Float64Array (NaN where absent),
 * strings in arrays (null where absent). Built column by column, never from row objects in arquero.
 */
export function rowsToTable<R extends Record<string, unknown>>(rows: readonly R[], names: readonly string[], numeric: ReadonlySet<string>): ColumnTable {
  const columns = new Map<string, ArrayLike<unknown>>();
  for (const name of names) {
    if (numeric.has(name)) columns.set(name, Float64Array.from(rows, (r) => toNumber(r[name])));
    else columns.set(name, rows.map((r) => (r[name] === undefined ? null : r[name])));
  }
  return aqTable(columns);
}

function toNumber(v: unknown): number {
  return typeof v === "number" ? v : NaN;
}

/** The numeric columns of a tidy table. */
export const TIDY_NUMERIC: ReadonlySet<string> = new Set(["estimate", "std.error", "statistic", "df", "p.value", "conf.low", "conf.high"]);
