// The one query a dispersion formula adds: rows per value of its column over all rows (also those
// dropped for missing values elsewhere), so a level whose rows were all dropped is named, as lmm does.
import type { SqlDialect, SqlType } from "./engine.js";
import { fromItem, type SqlSource } from "./generate.js";

/** `[by,] level, rows` per value of the dispersion column that is not missing (NULL, or NaN in a numeric column). */
export function dispersionRowsQuery(source: SqlSource, column: string, type: SqlType, d: SqlDialect, by?: string): string {
  const c = d.identifier(column);
  const present = type === "number" ? `NOT (${c} IS NULL OR ${d.isNaN(c)})` : `${c} IS NOT NULL`;
  const keys = [...(by === undefined ? [] : [d.identifier(by)]), c];
  return `SELECT ${keys.join(", ")}, COUNT(*) AS n FROM ${fromItem(source, d)} WHERE ${present} GROUP BY ${keys.join(", ")}`;
}
