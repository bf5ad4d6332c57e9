import { readFileSync } from "node:fs";
import { LmmError } from "@lmm/core";
import { parseColumnSchema, readCsvColumns, schemaLevels, schemaOrdered, type ColumnSchema, type CsvTable } from "@lmm/arquero";
import type { Flags } from "../command.js";

/** A file named on the command line cannot be read or has the wrong content. */
export class InputFileError extends LmmError {
  readonly path: string;
  constructor(path: string, reason: string) {
    super("INPUT_FILE", `${path}: ${reason}`);
    this.path = path;
  }
}

/** The bytes of a file, or an InputFileError naming it. */
export function readBytes(path: string): Uint8Array {
  try {
    return readFileSync(path);
  } catch (e) {
    const code = (e as { code?: string }).code;
    throw new InputFileError(path, code === "ENOENT" ? "no such file" : code === "EISDIR" ? "is a directory" : (e as Error).message);
  }
}

/** The text of a file (UTF-8, a byte-order mark dropped), or an InputFileError naming it. */
export function readText(path: string): string {
  return new TextDecoder().decode(readBytes(path));
}

/** How to read a data file: `--columns`, `--na` (repeatable) and `--encoding`. */
export interface ReadFlags {
  columns?: string;
  na?: string[];
  encoding?: string;
}

/** The flags of {@link ReadFlags}. */
export const READ_OPTIONS = {
  columns: { type: "string", value: "FILE.columns.json", help: "column types and factor level order; a cell that does not fit its declared type is an error (default: typed from the data)" },
  na: { type: "string", multiple: true, value: "TOKEN", help: 'a cell text that means missing besides empty, NA, NaN and null; repeat for several (--na=-999 for a value starting with "-")' },
  encoding: { type: "string", value: "utf-8|latin1", help: "text encoding of the data file (default utf-8, strictly: other bytes are an error naming their line)" },
} as const satisfies Flags;

/**
 * A CSV or TSV file (`.tsv`, `.tab`: tab-separated) read losslessly into typed columns: strict UTF-8 (or
 * `--encoding latin1`), missing tokens plus `--na`, typed by a `--columns` schema where it has one.
 */
export function readCsvFile(path: string, flags: ReadFlags = {}, extraNa: readonly string[] = []): { csv: CsvTable; schema?: ColumnSchema } {
  const schema = flags.columns ? parseColumnSchema(readText(flags.columns), flags.columns) : undefined;
  const bytes = readBytes(path);
  const delimiter = /\.(tsv|tab)$/i.test(path) ? "\t" : ",";
  const csv = readCsvColumns(bytes, { file: path, schema, na: [...extraNa, ...(flags.na ?? [])], encoding: flags.encoding, delimiter });
  return { csv, schema };
}

/** A data file's columns for the fitter, with factor level order and ordered factors from its schema. */
export function readData(path: string, flags: ReadFlags = {}) {
  const { csv, schema } = readCsvFile(path, flags);
  return { csv, data: csv.dataColumns(), levels: schema ? schemaLevels(schema) : undefined, ordered: schema ? schemaOrdered(schema) : undefined };
}
