import { readFileSync } from "node:fs";
import { LmmError } from "@lmm/core";
import { parseColumnSchema, readCsv, schemaLevels, schemaOrdered, tableColumns, type ColumnSchema } from "@lmm/arquero";
import type { ColumnTable } from "arquero";

/** A file named on the command line cannot be read or has the wrong content. */
export class InputFileError extends LmmError {
  readonly path: string;
  constructor(path: string, reason: string) {
    super("INPUT_FILE", `${path}: ${reason}`);
    this.path = path;
  }
}

/** The text of a file, or an InputFileError naming it. */
export function readText(path: string): string {
  try {
    return readFileSync(path, "utf8");
  } catch (e) {
    const code = (e as { code?: string }).code;
    throw new InputFileError(path, code === "ENOENT" ? "no such file" : code === "EISDIR" ? "is a directory" : (e as Error).message);
  }
}

/** A CSV file as an Arquero table, typed by an optional `*.columns.json` schema. */
export function readTable(dataPath: string, columnsPath?: string): { table: ColumnTable; schema?: ColumnSchema } {
  const schema = columnsPath ? parseColumnSchema(readText(columnsPath)) : undefined;
  const text = readText(dataPath);
  if (text.trim() === "") throw new InputFileError(dataPath, "is empty");
  return { table: readCsv(text, { schema }), schema };
}

/** Columns, factor levels and ordered factors of a CSV file, ready for the fitter. */
export function readData(dataPath: string, columnsPath?: string) {
  const { table, schema } = readTable(dataPath, columnsPath);
  return { data: tableColumns(table), levels: schema ? schemaLevels(schema) : undefined, ordered: schema ? schemaOrdered(schema) : undefined, table };
}
