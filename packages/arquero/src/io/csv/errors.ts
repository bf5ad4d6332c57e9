import { LmmError } from "@lmm/core";

/** A cell value as a message shows it: quoted, and shortened when long. */
export function quoteValue(value: string): string {
  return JSON.stringify(value.length > 40 ? value.slice(0, 37) + "..." : value);
}

/**
 * The bytes of a CSV file are not text in the encoding asked for (UTF-8 unless told otherwise).
 *
 * @example
 * ```ts
 * try { readCsvColumns(Uint8Array.of(0x79, 0x0a, 0xe9, 0x0a)); } catch (e) { if (e instanceof CsvEncodingError) e.byteOffset; } // 2
 * ```
 */
export class CsvEncodingError extends LmmError {
  readonly file: string;
  /** 1-based line of the first undecodable byte. */
  readonly line: number;
  /** 0-based offset of that byte in the file. */
  readonly byteOffset: number;
  constructor(file: string, line: number, byteOffset: number, problem: string) {
    super("CSV_ENCODING", `${file}: line ${line}, byte offset ${byteOffset}: ${problem}`);
    this.file = file;
    this.line = line;
    this.byteOffset = byteOffset;
  }
}

/**
 * A CSV file breaks the quoting rules of RFC 4180 (a quoted field never closed, text after a closing quote).
 *
 * @example
 * ```ts
 * try { readCsvColumns('y,g\n1,"a\n'); } catch (e) { if (e instanceof CsvSyntaxError) e.line; } // 2
 * ```
 */
export class CsvSyntaxError extends LmmError {
  readonly file: string;
  readonly line: number;
  constructor(file: string, line: number, problem: string) {
    super("CSV_SYNTAX", `${file}: line ${line}: ${problem}`);
    this.file = file;
    this.line = line;
  }
}

/**
 * The header row cannot name the columns: the file is empty, or a name appears twice.
 *
 * @example
 * ```ts
 * try { readCsvColumns("y,x,x\n1,2,3\n"); } catch (e) { if (e instanceof CsvHeaderError) e.column; } // "x"
 * ```
 */
export class CsvHeaderError extends LmmError {
  readonly file: string;
  /** The column name at fault, when there is one. */
  readonly column: string | undefined;
  constructor(file: string, problem: string, column?: string) {
    super("CSV_HEADER", `${file}: line 1: ${problem}`);
    this.file = file;
    this.column = column;
  }
}

/**
 * A row has more or fewer fields than the header has columns.
 *
 * @example
 * ```ts
 * try { readCsvColumns("y,x\n1,2\n3\n"); } catch (e) { if (e instanceof CsvFieldCountError) e.line; } // 3
 * ```
 */
export class CsvFieldCountError extends LmmError {
  readonly file: string;
  readonly line: number;
  readonly fields: number;
  readonly expected: number;
  constructor(file: string, line: number, fields: number, expected: number) {
    super(
      "CSV_FIELD_COUNT",
      `${file}: line ${line}: ${fields} field${fields === 1 ? "" : "s"}, but the header has ${expected} column${expected === 1 ? "" : "s"}` +
        (fields > expected ? " (an unquoted comma inside a value? quote the value)" : ""),
    );
    this.file = file;
    this.line = line;
    this.fields = fields;
    this.expected = expected;
  }
}

/**
 * A cell cannot be read as its column is used or declared: text or `Inf` in a numeric column, a value outside
 * a factor's declared levels, a cell a column schema does not allow.
 *
 * @example
 * ```ts
 * try { readCsvColumns("y\n1\n1,5\n", { schema: { columns: [{ name: "y", type: "numeric" }] } }); }
 * catch (e) { if (e instanceof CsvValueError) console.log(e.line, e.column, e.value); }
 * ```
 */
export class CsvValueError extends LmmError {
  readonly file: string;
  readonly line: number;
  readonly column: string;
  readonly value: string;
  constructor(file: string, line: number, column: string, value: string, problem: string) {
    super("CSV_VALUE", `${file}: line ${line}, column ${JSON.stringify(column)}: value ${quoteValue(value)} ${problem}`);
    this.file = file;
    this.line = line;
    this.column = column;
    this.value = value;
  }
}

/**
 * A column schema (`*.columns.json`) that is not a schema: not JSON, not an object, an unknown type, bad levels.
 *
 * @example
 * ```ts
 * try { parseColumnSchema("null"); } catch (e) { if (e instanceof ColumnSchemaError) console.log(e.message); }
 * ```
 */
export class ColumnSchemaError extends LmmError {
  readonly file: string;
  constructor(file: string, problem: string) {
    super("COLUMN_SCHEMA", `${file}: ${problem}`);
    this.file = file;
  }
}
