/** One column as the generated modules store it: numbers as they are, factors as level codes. */
export type EncodedColumn =
  | { name: string; type: "numeric"; values: number[] }
  | { name: string; type: "factor"; levels: string[]; codes: number[] };

/** A table in the compact columnar form the generated modules (`src/generated/*.ts`) export. */
export interface EncodedTable {
  name: string;
  nRows: number;
  columns: EncodedColumn[];
}

/**
 * An example data set: columns by name (numbers as `Float64Array`, factors as string arrays whose
 * level order is in `levels`), column order in `names`, and the truth that generated it.
 */
export interface Dataset<Truth> {
  /** Data set name, e.g. `"radiomics"`. */
  name: string;
  /** Number of rows. */
  nRows: number;
  /** Column names in table order. */
  names: string[];
  /** Columns by name (a prototype-free object: `__proto__` would be an ordinary key). */
  columns: Record<string, Float64Array | string[]>;
  /** Level order of each factor column (the order its `*.columns.json` gives). */
  levels: Record<string, string[]>;
  /** The generating parameters and the realised random effects. */
  truth: Truth;
}

/**
 * Expands an encoded table into named columns; each call returns fresh arrays, so callers may
 * modify them without affecting anyone else.
 *
 * @example
 * ```ts
 * const d = decodeTable({ name: "t", nRows: 2, columns: [
 *   { name: "g", type: "factor", levels: ["a", "b"], codes: [1, 0] },
 *   { name: "y", type: "numeric", values: [1.5, 2] }] }, {});
 * d.columns.g; // ["b", "a"]
 * ```
 */
export function decodeTable<Truth>(table: EncodedTable, truth: Truth): Dataset<Truth> {
  const columns: Record<string, Float64Array | string[]> = Object.create(null);
  const levels: Record<string, string[]> = Object.create(null);
  for (const column of table.columns) {
    if (column.type === "numeric") {
      columns[column.name] = Float64Array.from(column.values);
    } else {
      const lv = column.levels;
      columns[column.name] = column.codes.map((c) => lv[c]);
      levels[column.name] = lv.slice();
    }
  }
  return {
    name: table.name,
    nRows: table.nRows,
    names: table.columns.map((c) => c.name),
    columns,
    levels,
    truth: structuredClone(truth),
  };
}
