import type { DataColumns } from "@lmm/core";
import type { ColumnTable } from "arquero";

/**
 * The columns of an Arquero table as the core fitter takes them, without copying or building rows:
 * each column's backing array (typed arrays stay typed). Null-prototype object, so a column
 * named `__proto__` is an ordinary column.
 */
export function tableColumns(table: ColumnTable): DataColumns {
  const out: Record<string, ArrayLike<unknown>> = Object.create(null);
  for (const name of table.columnNames()) out[name] = table.array(name) as ArrayLike<unknown>;
  return out;
}
