import { UnknownColumnError, type DataColumns } from "@lmm/core";
import { table as arqueroTable, type ColumnTable } from "arquero";
import type { CsvEncoding } from "./decode.js";
import { CsvHeaderError } from "./errors.js";
import { notNumeric } from "./notNumeric.js";
import { readRecord } from "./records.js";
import type { CsvColumn } from "./typing.js";

/** How a file was written, so that a file written back looks like it (see `rewriteCsv`). */
export interface CsvFormat {
  delimiter: string;
  encoding: CsvEncoding;
  /** The file began with a UTF-8 byte-order mark. */
  bom: boolean;
  /** The line break of the header row. */
  lineBreak: string;
}

/** Where a table's rows are in its text (kept for reading cells back exactly as written). */
export interface CsvLayout {
  text: string;
  /** Offset in `text` of every data row. */
  starts: Int32Array;
  /** 1-based line of every data row. */
  lines: Int32Array;
  /** Offset of the first data row (the header ends just before). */
  headerEnd: number;
}

/**
 * A CSV file read into plain typed columns, keyed by name in a Map (so `__proto__`, `constructor`, names
 * with spaces or non-ASCII letters are ordinary names), with the line of every row and the cells as
 * written. Made by {@link readCsvColumns}.
 *
 * @example
 * ```ts
 * const t = readCsvColumns("y,site\n1.5,A\n2,B\n", { file: "x.csv" });
 * t.numbers("y"); // Float64Array [1.5, 2]
 * t.line(1); // 3
 * ```
 */
export class CsvTable {
  /** The file name messages use. */
  readonly file: string;
  /** Column names in file order. */
  readonly names: readonly string[];
  /** Number of data rows. */
  readonly rows: number;
  readonly format: CsvFormat;
  readonly #columns: ReadonlyMap<string, CsvColumn>;
  readonly #layout: CsvLayout;

  constructor(file: string, columns: readonly CsvColumn[], layout: CsvLayout, format: CsvFormat) {
    this.file = file;
    this.names = columns.map((c) => c.name);
    this.rows = layout.starts.length;
    this.format = format;
    this.#columns = new Map(columns.map((c) => [c.name, c]));
    this.#layout = layout;
  }

  /** Whether the file has a column of this name. */
  has(name: string): boolean {
    return this.#columns.has(name);
  }

  /** A column, or UnknownColumnError listing the file's columns. */
  column(name: string): CsvColumn {
    const c = this.#columns.get(name);
    if (c === undefined) throw new UnknownColumnError(name, [...this.names]);
    return c;
  }

  /** 1-based line in the file of a 0-based data row. */
  line(row: number): number {
    return this.#layout.lines[row];
  }

  /**
   * A column as numbers (NaN where missing). A column that is not numeric is refused with a
   * {@link CsvValueError} naming the first cell that is not a finite number, its line and its value.
   */
  numbers(name: string, use = "used as a number"): Float64Array {
    const c = this.column(name);
    if (c.kind === "numeric") return c.values as Float64Array;
    throw notNumeric(this, c, use);
  }

  /** The cells of a column as written (quotes removed), every row, missing tokens included. */
  cells(name: string): string[] {
    const j = this.names.indexOf(name);
    if (j < 0) this.column(name);
    return this.records(false).map((r) => r.fields[j]);
  }

  /** Every data row's fields (quotes removed) and, with `spans`, their raw offsets in {@link CsvLayout.text}. */
  records(spans: boolean): { fields: string[]; spans: number[] | null }[] {
    const { text, starts, lines } = this.#layout;
    const delimiter = this.format.delimiter.charCodeAt(0);
    return Array.from(starts, (start, row) => readRecord(text, start, delimiter, this.file, lines[row], spans));
  }

  /** The text the table was read from and where its rows are. */
  get layout(): CsvLayout {
    return this.#layout;
  }

  /**
   * Columns for the core fitter (`lmm`, `ResponseFits.build`): a prototype-free record, so any name is an
   * ordinary key. Numeric columns are Float64Arrays; text and mixed columns hold their cells as written
   * (categorical for the fitter; check numeric use first with {@link checkFormulaColumns}).
   */
  dataColumns(names: readonly string[] = this.names): DataColumns {
    const out: Record<string, ArrayLike<unknown>> = Object.create(null);
    for (const name of names) out[name] = this.column(name).values;
    return out;
  }

  /**
   * An Arquero table of some columns (default all). Arquero keeps columns in a plain object, where a column
   * named `__proto__` is lost; asking for one is an error rather than a table that lacks it.
   */
  arquero(names: readonly string[] = this.names): ColumnTable {
    const columns = new Map<string, ArrayLike<unknown>>();
    for (const name of names) {
      if (name === "__proto__") {
        throw new CsvHeaderError(this.file, `column "__proto__" cannot be held by an Arquero table (it names a built-in property); rename the column, or read the file with readCsvColumns`, name);
      }
      columns.set(name, this.column(name).values);
    }
    return arqueroTable(columns);
  }
}
