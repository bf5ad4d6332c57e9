import { UnknownColumnError, type DataColumns } from "@lmm/core";

/** A column by name (own properties only), or UnknownColumnError listing the table's columns. */
export function getColumnOrThrow(columns: DataColumns, name: string): ArrayLike<unknown> {
  if (!Object.prototype.hasOwnProperty.call(columns, name)) throw new UnknownColumnError(name, Object.keys(columns));
  return columns[name];
}
