// The workbench's path for large Parquet files: the notebook worker decodes the file to Arrow, the
// Arrow stream is handed to DuckDB-wasm (its own Web Worker; DuckDB-wasm 1.32.0 has no built-in
// Parquet reader and would fetch one from the network), and the model is fitted from the sums DuckDB
// computes (`fitSql`), so no row is parsed on the page. DuckDB-wasm's worker script and .wasm are copied beside the pages by
// the build (never fetched from a CDN): the page works offline. The "eh" bundle (WebAssembly
// exception handling) is the one every current Chromium runs.
import { AsyncDuckDB, VoidLogger, type AsyncDuckDBConnection } from "@duckdb/duckdb-wasm";
import duckdbWasm from "@duckdb/duckdb-wasm/dist/duckdb-eh.wasm?url";
import duckdbWorker from "@duckdb/duckdb-wasm/dist/duckdb-browser-eh.worker.js?url";
import { parquetArrowInWorker, type Control } from "../jobs.js";
import { duckdbWasmEngine, fitSql, sqlFitJson, sqlFitSummary, type SqlFit } from "@lmm/sql";

/** What the row-level diagnostics need and why this path has none. */
export const DUCKDB_UNAVAILABLE =
  "Residual plots, Q-Q plots, conditional-mode intervals, influence and cross-validation need the rows, which this path never reads into the page: they are not shown for a fit through DuckDB.";

let database: Promise<AsyncDuckDB> | null = null;

/** One DuckDB-wasm database per page, started on first use. */
function duckdb(): Promise<AsyncDuckDB> {
  database ??= (async () => {
    const worker = new Worker(duckdbWorker);
    const db = new AsyncDuckDB(new VoidLogger(), worker);
    await db.instantiate(duckdbWasm);
    return db;
  })();
  return database;
}

let uploads = 0;

/** A fit through DuckDB: the fit, its lme4-style summary text and its JSON. */
export interface DuckdbFit {
  fit: SqlFit;
  summary: string;
  json: Record<string, unknown>;
}

/**
 * Registers a Parquet file's bytes with DuckDB-wasm and fits `formula` from the sums DuckDB computes.
 *
 * @example
 * ```js
 * const {summary} = await fitParquetThroughDuckdb(file, "y ~ x + (1 | g)", {reml: true});
 * ```
 */
export async function fitParquetThroughDuckdb(file: File, formula: string, options: { reml: boolean }, control: Control = {}): Promise<DuckdbFit> {
  const [db, stream] = await Promise.all([duckdb(), parquetArrowInWorker(file, control)]);
  const name = `upload_${++uploads}`;
  let connection: AsyncDuckDBConnection | null = null;
  try {
    connection = await db.connect();
    await connection.insertArrowFromIPCStream(stream, { name });
    const fit = await fitSql(duckdbWasmEngine(connection), { table: name }, formula, { reml: options.reml });
    return { fit, summary: sqlFitSummary(fit), json: sqlFitJson(fit) };
  } finally {
    await connection?.query(`DROP TABLE IF EXISTS ${name}`).catch(() => undefined);
    await connection?.close();
  }
}
