// Tables out as CSV, as R's write.csv writes them: a header, RFC 4180 quoting, numbers in full
// (shortest round-trip) precision, missing values as NA.
import { toCSV, type ColumnTable } from "arquero";

/** A missing number (NaN), or null/undefined, as R writes it. */
function cell(value: unknown): unknown {
  if (value === null || value === undefined || (typeof value === "number" && Number.isNaN(value))) return "NA";
  return value;
}

/**
 * An Arquero table (tidy, augment …) as CSV text.
 *
 * @example
 * ```ts
 * csvText(tidy(model, { effects: "fixed" })); // "effect,group,level,term,estimate,…\nfixed,NA,NA,(Intercept),251.4051…"
 * ```
 */
export function csvText(table: ColumnTable): string {
  const format = Object.fromEntries(table.columnNames().map((name) => [name, cell]));
  return toCSV(table, { format });
}
