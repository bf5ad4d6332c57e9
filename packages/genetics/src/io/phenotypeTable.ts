import { IdMatchError } from "../errors.js";

/**
 * A table of typed columns with the line of every row, as `readCsvColumns` of `@lmm/arquero` reads a
 * CSV file (its `CsvTable` is one). The reading rules — encoding, quoting, header, missing tokens, what
 * counts as a number — live there; this package only matches rows to individuals.
 */
export interface PhenotypeTable {
  /** The file name messages use. */
  readonly file: string;
  readonly names: readonly string[];
  readonly rows: number;
  has(name: string): boolean;
  /** A column's cells as written. */
  cells(name: string): string[];
  /** A numeric column (NaN where missing); refuses, naming line and value, a column that is not numeric. */
  numbers(name: string, use?: string): Float64Array;
  /** The 1-based line of a 0-based row. */
  line(row: number): number;
}

/** Columns of a table matched to a list of individual ids. */
export interface MatchedColumns {
  /** One array per requested column, in the order of `ids`; NaN where the individual is absent or the cell is missing. */
  values: Float64Array[];
  /** Ids in `ids` that the table does not list. */
  missingIds: number;
  /** Rows of the table whose id is not in `ids`. */
  unusedRows: number;
}

/**
 * Lines up numeric columns of a table with `ids` (e.g. the `.fam` IIDs) through its id column. Ids are
 * the id cells as written, matched as strings in a Map (names such as `__proto__` are ordinary ids).
 * Errors name the file, line and column: an absent column, a duplicated id, a column that is not numeric
 * (the table's own error, at the first cell that is not a number).
 *
 * @example
 * ```ts
 * import { readCsvColumns } from "@lmm/arquero";
 * const table = readCsvColumns("iid,y\nI1,2.5\n", { file: "pheno.csv" });
 * const { values } = matchColumns(table, ["I1", "I2"], { columns: ["y"] }); // values[0] = [2.5, NaN]
 * ```
 */
export function matchColumns(table: PhenotypeTable, ids: string[], options: { columns: string[]; idColumn?: string }): MatchedColumns {
  const idColumn = options.idColumn ?? "iid";
  for (const name of [idColumn, ...options.columns]) {
    if (!table.has(name)) throw new IdMatchError(table.file, name, undefined, `no such column (header: ${table.names.join(", ")})`);
  }
  const columns = options.columns.map((name) => table.numbers(name, "a phenotype or covariate"));
  const position = new Map<string, number>();
  ids.forEach((id, i) => position.set(id, i));
  const values = options.columns.map(() => new Float64Array(ids.length).fill(NaN));
  const seen = new Map<string, number>();
  let unused = 0;
  table.cells(idColumn).forEach((id, row) => {
    const earlier = seen.get(id);
    if (earlier !== undefined) throw new IdMatchError(table.file, idColumn, id, `is duplicated (lines ${table.line(earlier)} and ${table.line(row)})`);
    seen.set(id, row);
    const i = position.get(id);
    if (i === undefined) {
      unused++;
      return;
    }
    columns.forEach((column, c) => (values[c][i] = column[row]));
  });
  let missingIds = 0;
  for (const id of ids) if (!seen.has(id)) missingIds++;
  return { values, missingIds, unusedRows: unused };
}
