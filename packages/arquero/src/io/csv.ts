import { fromCSV, table as aqTable, type ColumnTable } from "arquero";
import type { ColumnSchema } from "./schema.js";

/** Options of {@link readCsv}. */
export interface ReadCsvOptions {
  /** Column types and factor levels; without it, a column is numeric when every value is a number. */
  schema?: ColumnSchema;
  /** Strings read as missing values (default `["NA", ""]`, as R's read.csv). */
  na?: string[];
  delimiter?: string;
}

/**
 * Parses CSV text into an Arquero table with arquero's own reader. Numeric columns become numbers
 * (missing values null), factor and string columns stay strings exactly as written (so `308` stays
 * the level label "308"), and the NA markers become null.
 *
 * @example
 * ```ts
 * const table = readCsv("y,g\n1.5,a\n2,b\n", {});
 * ```
 */
export function readCsv(text: string, options: ReadCsvOptions = {}): ColumnTable {
  const na = new Set(options.na ?? ["NA", ""]);
  const types = new Map((options.schema?.columns ?? []).map((c) => [c.name, c.type]));
  const header = text.slice(0, text.search(/\r?\n|$/)).split(options.delimiter ?? ",");
  const asString = (v: string) => (na.has(v) ? null : v);
  const parse: Record<string, (v: string) => unknown> = Object.create(null);
  for (const name of header) {
    const type = types.get(name);
    parse[name] = type === "numeric" || type === "integer" ? (v: string) => (na.has(v) ? null : Number(v)) : asString;
  }
  const table = fromCSV(text, { delimiter: options.delimiter, parse, autoType: false });
  if (options.schema) return table;
  // No schema: a column whose every value reads as a finite number is numeric.
  const columns = new Map<string, ArrayLike<unknown>>();
  for (const name of table.columnNames()) {
    const values = table.array(name) as (string | null)[];
    const numeric = values.length > 0 && values.every((v) => v === null || (v.trim() !== "" && Number.isFinite(Number(v))));
    columns.set(name, numeric ? Float64Array.from(values, (v) => (v === null ? NaN : Number(v))) : values);
  }
  return aqTable(columns);
}
