// Runs in a worker: how many rows a Parquet file has, from its footer alone (no row is decoded), so
// the workbench can choose between reading the rows and fitting through DuckDB before reading any;
// and a large file's rows as one Arrow IPC stream for DuckDB-wasm (whose 1.32.0 bundles have no
// built-in Parquet reader: they would fetch the extension from extensions.duckdb.org, and the page
// must work offline).

import { parquetToArrowIPC } from "@lmm/arquero";

/** The part of parquet-wasm read here: the footer (@lmm/arquero decodes the rows). */
interface ParquetWasm {
  ParquetFile: { fromFile(file: Blob): Promise<{ metadata(): { fileMetadata(): { numRows(): number } }; free(): void }> };
  default?: unknown;
}

/**
 * Above this many rows a Parquet file is not read into the page's memory: the workbench fits it
 * through DuckDB-wasm from sums (the fit is exact; row-level diagnostics are not shown).
 */
export const DUCKDB_ROWS = 1_000_000;

/**
 * The number of rows a Parquet file's footer declares.
 *
 * @example
 * ```ts
 * if ((await parquetRows(file)) > DUCKDB_ROWS) fitThroughDuckdb(file, formula);
 * ```
 */
export async function parquetRows(file: Blob): Promise<number> {
  const wasm = await parquetWasm();
  const parquet = await wasm.ParquetFile.fromFile(file);
  try {
    return parquet.metadata().fileMetadata().numRows();
  } finally {
    parquet.free();
  }
}

async function parquetWasm(): Promise<ParquetWasm> {
  const wasm = (await import("parquet-wasm")) as unknown as ParquetWasm;
  // The browser build must be initialised first (as @lmm/arquero's readParquet does).
  if (typeof wasm.default === "function") await (wasm.default as () => Promise<unknown>)();
  return wasm;
}

/** A Parquet file's rows as an Arrow IPC stream (decoded here, in the worker, never on the page). */
export async function parquetArrowStream(file: Blob): Promise<Uint8Array> {
  return parquetToArrowIPC(new Uint8Array(await file.arrayBuffer()));
}
