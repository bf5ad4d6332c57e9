// Runs in a worker: a user's file (its bytes never leave the machine) read with @lmm/arquero's own
// readers — CSV/TSV (strict typing, missing tokens), Parquet (parquet-wasm) and Arrow IPC — and
// turned into the workbench's columns with a summary of each.
import { dictionaryLevels, readArrow, readCsv, readParquet, tableColumns } from "@lmm/arquero";
import { InvalidArgumentError } from "@lmm/core";
import { DISTINCT_CAP, type ColumnSummary, type LoadedColumn, type LoadedTable, type TableFormat } from "./table.js";

const EXTENSIONS: Record<string, TableFormat> = { csv: "csv", tsv: "tsv", tab: "tsv", parquet: "parquet", pq: "parquet", arrow: "arrow", arrows: "arrow", feather: "arrow", ipc: "arrow" };

/** The format a file name says (by extension); anything else is refused naming the file. */
export function tableFormat(name: string): TableFormat {
  const ext = /\.([^.]+)$/.exec(name)?.[1]?.toLowerCase() ?? "";
  const format = EXTENSIONS[ext];
  if (!format) throw new InvalidArgumentError("file", name, "a .csv, .tsv, .parquet or .arrow (Arrow IPC) file");
  return format;
}

/** Reads a file's bytes into the workbench's table; `progress` gets 0–1 through the stages. */
export async function readTableFile(file: { name: string; bytes: ArrayBuffer }, progress: (fraction: number) => void = () => {}): Promise<LoadedTable> {
  const format = tableFormat(file.name);
  progress(0.1);
  const table = await parse(file.name, format, file.bytes);
  progress(0.6);
  const columns = toColumns(table);
  progress(0.9);
  return { file: file.name, format, bytes: file.bytes.byteLength, nRows: table.numRows(), columns, summaries: columns.map(summarise) };
}

type Table = ReturnType<typeof readArrow>;

async function parse(name: string, format: TableFormat, bytes: ArrayBuffer): Promise<Table> {
  if (format === "parquet") return readParquet(new Uint8Array(bytes));
  if (format === "arrow") return readArrow(new Uint8Array(bytes));
  // The reader decodes the bytes itself: it drops a UTF-8 byte-order mark and refuses bytes that are
  // not UTF-8 with their line and byte offset, never guessing.
  return readCsv(new Uint8Array(bytes), { delimiter: format === "tsv" ? "\t" : ",", file: name });
}

function toColumns(table: Table): LoadedColumn[] {
  const data = tableColumns(table);
  const dictionaries = dictionaryLevels(table);
  return Object.keys(data).map((name) => toColumn(name, data[name], dictionaries[name]));
}

function isMissing(v: unknown): boolean {
  return v === null || v === undefined || (typeof v === "number" && Number.isNaN(v));
}

function toColumn(name: string, values: ArrayLike<unknown>, dictionary: string[] | undefined): LoadedColumn {
  // A column that owns its whole buffer can be transferred to the page; a view into a shared Arrow buffer is copied.
  if (values instanceof Float64Array) return { name, kind: "numeric", values: values.byteOffset === 0 && values.buffer.byteLength === values.byteLength && !(values.buffer instanceof SharedArrayBuffer) ? values : values.slice() };
  if (ArrayBuffer.isView(values) && !(values instanceof DataView)) return { name, kind: "numeric", values: Float64Array.from(values as ArrayLike<number | bigint>, Number) };
  let numeric = true;
  for (let i = 0; i < values.length && numeric; i++) {
    const v = values[i];
    if (!isMissing(v) && typeof v !== "number" && typeof v !== "bigint") numeric = false;
  }
  if (numeric && !dictionary) return { name, kind: "numeric", values: Float64Array.from(values, (v) => (isMissing(v) ? NaN : Number(v))) };
  return categorical(name, values, dictionary);
}

function label(v: unknown): string {
  if (typeof v === "boolean") return v ? "TRUE" : "FALSE";
  if (v instanceof Date) return v.toISOString();
  return String(v);
}

function categorical(name: string, values: ArrayLike<unknown>, dictionary: string[] | undefined): LoadedColumn {
  const index = new Map<string, number>();
  const levels: string[] = [];
  const codes = new Int32Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (isMissing(v)) {
      codes[i] = -1;
      continue;
    }
    const l = label(v);
    let code = index.get(l);
    if (code === undefined) index.set(l, (code = levels.push(l) - 1));
    codes[i] = code;
  }
  // Level order: the dictionary's (Arrow/Parquet), else sorted as the fitter sorts labels (by code point).
  // A dictionary that misses a label (not expected since readArrow unifies the batches' dictionaries)
  // says nothing about the order.
  const known = new Set(dictionary);
  const usable = dictionary !== undefined && levels.every((l) => known.has(l));
  const order = usable ? dictionary.filter((l) => index.has(l)) : levels.slice().sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const recode = new Int32Array(levels.length);
  order.forEach((l, k) => (recode[index.get(l)!] = k));
  for (let i = 0; i < codes.length; i++) if (codes[i] >= 0) codes[i] = recode[codes[i]];
  return { name, kind: "categorical", levels: order, codes };
}

function summarise(column: LoadedColumn): ColumnSummary {
  if (column.kind === "categorical") {
    let missing = 0;
    for (const c of column.codes) if (c < 0) missing++;
    return { name: column.name, kind: "categorical", missing, distinct: column.levels.length, min: null, max: null };
  }
  let missing = 0, min = Infinity, max = -Infinity;
  const seen = new Set<number>();
  for (const v of column.values) {
    if (Number.isNaN(v)) {
      missing++;
      continue;
    }
    if (v < min) min = v;
    if (v > max) max = v;
    if (seen.size <= DISTINCT_CAP) seen.add(v);
  }
  const any = missing < column.values.length;
  return { name: column.name, kind: "numeric", missing, distinct: seen.size > DISTINCT_CAP ? null : seen.size, min: any ? min : null, max: any ? max : null };
}
