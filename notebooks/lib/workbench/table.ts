// A table loaded from a user's file, as the workbench keeps it: numeric columns as Float64Array
// (NaN = missing), categorical ones as level labels and codes (-1 = missing). Both transfer from the
// reading worker without copying strings row by row.

/** The file formats the workbench reads. */
export type TableFormat = "csv" | "tsv" | "parquet" | "arrow";

export interface NumericColumn {
  name: string;
  kind: "numeric";
  values: Float64Array;
}

export interface CategoricalColumn {
  name: string;
  kind: "categorical";
  /** Level labels in their order: a dictionary's order (Arrow, Parquet), else sorted as the fitter sorts. */
  levels: string[];
  codes: Int32Array;
}

export type LoadedColumn = NumericColumn | CategoricalColumn;

/** What the column panel shows of a column. */
export interface ColumnSummary {
  name: string;
  kind: "numeric" | "categorical";
  missing: number;
  /** Distinct non-missing values (numeric: counted up to {@link DISTINCT_CAP}, then `null`). */
  distinct: number | null;
  min: number | null;
  max: number | null;
}

export interface LoadedTable {
  file: string;
  format: TableFormat;
  bytes: number;
  nRows: number;
  columns: LoadedColumn[];
  summaries: ColumnSummary[];
}

/** Numeric columns with more distinct values than this are not offered levels. */
export const DISTINCT_CAP = 5000;

/** The value of a cell as text ("" when missing), for previews. */
export function cellText(column: LoadedColumn, row: number): string {
  if (column.kind === "numeric") {
    const v = column.values[row];
    return Number.isNaN(v) ? "" : String(v);
  }
  const c = column.codes[row];
  return c < 0 ? "" : column.levels[c];
}
