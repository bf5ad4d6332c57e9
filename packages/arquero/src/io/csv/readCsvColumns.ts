import { InvalidArgumentError } from "@lmm/core";
import type { ColumnSchema, ColumnSchemaEntry } from "../schema.js";
import { missingTokens } from "./cells.js";
import { CsvTable } from "./CsvTable.js";
import { csvEncoding, decodeCsvBytes, type DecodedText } from "./decode.js";
import { CsvFieldCountError, CsvHeaderError } from "./errors.js";
import { readRecord } from "./records.js";
import { typeColumn } from "./typing.js";

/** Options of {@link readCsvColumns} and `readCsv`. */
export interface ReadCsvOptions {
  /** Column types and factor levels; a cell that does not fit its declared type is an error. Undeclared columns are typed by content. */
  schema?: ColumnSchema;
  /** Cell texts read as missing besides the defaults: empty, `NA`, `NaN`, `null` (e.g. `["-999", "n/a"]`). */
  na?: readonly string[];
  /** Field separator: `","` (default) or `"\t"` for TSV, or another single character. */
  delimiter?: string;
  /** Encoding of bytes (ignored for text): `"utf-8"` (default, strict) or `"latin1"` (windows-1252). */
  encoding?: string;
  /** The file's name in error messages (default `"CSV"`). */
  file?: string;
}

/**
 * Reads CSV or TSV text (or the file's bytes) into plain typed columns, exactly as written or not at all.
 * RFC 4180 quoting (delimiters, line breaks and doubled quotes inside quotes; LF, CRLF or CR line ends);
 * bytes decoded as strict UTF-8 (a byte-order mark is stripped; a byte that is not UTF-8 is an error with
 * its line and offset) or as `latin1`. Refused with one line naming the file and line: an empty file, a
 * column name that appears twice, a row with more or fewer fields than the header. Missing cells: empty,
 * `NA`, `NaN`, `null` and the `na` option. A column whose cells are all finite numbers is numeric; one that
 * is numeric except for some cells (text, `Inf`, `1e400`, `"1,5"`) is `mixed`: an error when used as a
 * number (see {@link checkFormulaColumns}), a factor only when asked for. Blank lines are skipped.
 *
 * @example
 * ```ts
 * const t = readCsvColumns("\uFEFFy,site,__proto__\n1.5,A,x\nNA,B,y\n");
 * t.column("y").kind; // "numeric"
 * t.numbers("y"); // Float64Array [1.5, NaN]
 * t.column("__proto__").values; // ["x", "y"]
 * ```
 */
export function readCsvColumns(input: string | Uint8Array | ArrayBuffer, options: ReadCsvOptions = {}): CsvTable {
  const file = options.file ?? "CSV";
  const delimiter = options.delimiter ?? ",";
  if (typeof delimiter !== "string" || delimiter.length !== 1 || delimiter === '"' || delimiter === "\n" || delimiter === "\r") {
    throw new InvalidArgumentError("delimiter", delimiter, "one character other than a quote or a line break, such as \",\" or \"\\t\"");
  }
  const decoded = decodeInput(input, file, options.encoding);
  const { text } = decoded;
  const sep = delimiter.charCodeAt(0);

  // Header: the first line that is not blank.
  let pos = 0, line = 1;
  let header = pos < text.length ? readRecord(text, pos, sep, file, line, false) : null;
  while (header && header.blank && header.next < text.length) {
    pos = header.next;
    line += header.lineBreaks;
    header = readRecord(text, pos, sep, file, line, false);
  }
  if (!header || header.blank) throw new CsvHeaderError(file, "the file is empty: no header row");
  const names = header.fields;
  checkNames(names, file, options.schema);
  const lineBreak = headerLineBreak(text, header.next);
  line += header.lineBreaks;
  pos = header.next;
  const headerEnd = pos;

  // Rows: cells by column, with where each row starts and its line.
  const cells: string[][] = names.map(() => []);
  const starts: number[] = [], lines: number[] = [];
  while (pos < text.length) {
    const record = readRecord(text, pos, sep, file, line, false);
    if (!record.blank) {
      if (record.fields.length !== names.length) throw new CsvFieldCountError(file, line, record.fields.length, names.length);
      starts.push(pos);
      lines.push(line);
      for (let j = 0; j < names.length; j++) cells[j].push(record.fields[j]);
    }
    pos = record.next;
    line += record.lineBreaks;
  }

  const declared = new Map<string, ColumnSchemaEntry>((options.schema?.columns ?? []).map((c) => [c.name, c]));
  const ctx = { file, lines: Int32Array.from(lines), missing: missingTokens(options.na ?? []) };
  const columns = names.map((name, j) => typeColumn(name, cells[j], ctx, declared.get(name)));
  return new CsvTable(file, columns, { text, starts: Int32Array.from(starts), lines: ctx.lines, headerEnd }, {
    delimiter, encoding: decoded.encoding, bom: decoded.bom, lineBreak,
  });
}

function decodeInput(input: string | Uint8Array | ArrayBuffer, file: string, encoding: string | undefined): DecodedText {
  if (typeof input === "string") {
    const bom = input.charCodeAt(0) === 0xfeff;
    return { text: bom ? input.slice(1) : input, encoding: csvEncoding(encoding), bom };
  }
  if (input instanceof ArrayBuffer) return decodeCsvBytes(new Uint8Array(input), file, csvEncoding(encoding));
  if (input instanceof Uint8Array) return decodeCsvBytes(input, file, csvEncoding(encoding));
  throw new InvalidArgumentError("CSV input", input, "text, or the file's bytes (Uint8Array or ArrayBuffer)");
}

/** Every name once; every column the schema declares present. */
function checkNames(names: readonly string[], file: string, schema: ColumnSchema | undefined): void {
  const first = new Map<string, number>();
  names.forEach((name, j) => {
    const k = first.get(name);
    if (k !== undefined) throw new CsvHeaderError(file, `column ${JSON.stringify(name)} appears twice (columns ${k + 1} and ${j + 1}); column names must be unique`, name);
    first.set(name, j);
  });
  for (const c of schema?.columns ?? []) {
    if (!first.has(c.name)) throw new CsvHeaderError(file, `the column schema declares column ${JSON.stringify(c.name)}, which the file does not have`, c.name);
  }
}

function headerLineBreak(text: string, next: number): string {
  if (text[next - 1] !== "\n" && text[next - 1] !== "\r") return "\n";
  return text[next - 2] === "\r" && text[next - 1] === "\n" ? "\r\n" : text[next - 1];
}
