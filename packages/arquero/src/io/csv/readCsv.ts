import type { ColumnTable } from "arquero";
import { notNumeric } from "./notNumeric.js";
import { readCsvColumns, type ReadCsvOptions } from "./readCsvColumns.js";

/**
 * Parses CSV text (or bytes) into an Arquero table with {@link readCsvColumns}' rules: numeric columns are
 * Float64Arrays (missing values NaN), factor and text columns stay strings exactly as written (so `308`
 * declared a factor stays the level label "308"), missing cells are null. Strict: a column that is
 * numeric except for some cells (`Inf`, `"1,5"`, a stray word) is refused naming the line and the value,
 * unless the schema declares it a factor or string; so is a column named `__proto__`, which an Arquero
 * table cannot hold (read such files with `readCsvColumns`).
 *
 * @example
 * ```ts
 * const table = readCsv("y,g\n1.5,a\n2,b\n");
 * table.array("y"); // Float64Array [1.5, 2]
 * ```
 */
export function readCsv(text: string | Uint8Array | ArrayBuffer, options: ReadCsvOptions = {}): ColumnTable {
  const csv = readCsvColumns(text, options);
  for (const name of csv.names) {
    const c = csv.column(name);
    if (c.kind === "mixed") throw notNumeric(csv, c, "read as numbers", "declare it a factor or string in the schema");
  }
  return csv.arquero();
}
