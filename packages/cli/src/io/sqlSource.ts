// Data that live in files DuckDB reads (Parquet, a DuckDB database) or behind a query: the model is
// fitted from sums DuckDB computes (`fitSql`), never from rows read into this process. CSV and TSV
// files keep the strict in-memory reader (missing tokens, types, errors naming line and column).
import { existsSync } from "node:fs";
import { InvalidArgumentError } from "@lmm/core";
import type { FitSqlOptions, SqlFit, SqlSource } from "@lmm/sql";
import type { Flags } from "../command.js";
import { InputFileError } from "./files.js";

/** The flags that point a model command at SQL data. */
export const SQL_OPTIONS = {
  table: { type: "string", value: "TABLE", help: "with --data duckdb:FILE.duckdb: the table (or view) to fit from" },
  sql: { type: "string", value: "QUERY", help: 'fit the rows of this query, run by DuckDB (e.g. "SELECT * FROM read_parquet(\'cells/*.parquet\') WHERE qc")' },
  engine: { type: "string", value: "memory|duckdb", help: "how a CSV/TSV file is fitted: read into memory (default) or summed by DuckDB (large files; globs of CSV files always are)" },
} as const satisfies Flags;

/** Where DuckDB finds the rows: its database (":memory:" for files and queries) and the FROM item. */
export interface DuckdbSource {
  database: string;
  /** The FROM item, or CSV files DuckDB reads under the strict rules (typed before the fit). */
  source: SqlSource | { csv: string };
}

const GLOB = /[*?[]/;

/**
 * The DuckDB source the flags name, or null for an in-memory file (CSV, TSV): `--sql QUERY`,
 * `--data duckdb:FILE --table T` (or with `--sql`), `--data FILE.parquet` or a glob of Parquet files.
 */
export function duckdbSourceOf(values: { data?: string; table?: string; sql?: string; engine?: string }): DuckdbSource | null {
  const data = values.data;
  if (values.engine !== undefined && values.engine !== "memory" && values.engine !== "duckdb") throw new InvalidArgumentError("--engine", values.engine, "memory or duckdb");
  if (data?.startsWith("duckdb:")) {
    const database = data.slice("duckdb:".length);
    if (!existsSync(database)) throw new InputFileError(database, "no such file");
    if (values.sql !== undefined) return { database, source: { query: values.sql } };
    if (values.table === undefined) throw new InvalidArgumentError("--table", undefined, `the table of ${database} to fit from (or --sql "SELECT …")`);
    return { database, source: { table: values.table } };
  }
  if (values.table !== undefined) throw new InvalidArgumentError("--table", values.table, "used with --data duckdb:FILE.duckdb");
  if (values.sql !== undefined) {
    if (data !== undefined) throw new InvalidArgumentError("--sql", values.sql, "used without --data (the query names its files), or with --data duckdb:FILE");
    return { database: ":memory:", source: { query: values.sql } };
  }
  if (data !== undefined && /\.(csv|tsv|tab)$/i.test(data) && (GLOB.test(data) || values.engine === "duckdb")) {
    if (!GLOB.test(data) && !existsSync(data)) throw new InputFileError(data, "no such file");
    return { database: ":memory:", source: { csv: data } };
  }
  if (data === undefined || !/\.parquet$/i.test(data)) return null;
  if (!GLOB.test(data) && !existsSync(data)) throw new InputFileError(data, "no such file");
  return { database: ":memory:", source: { from: `read_parquet('${data.split("'").join("''")}')` } };
}

/** Fits the formula from sums DuckDB computes over the source (DuckDB is loaded only when used). */
export async function fitThroughDuckdb(where: DuckdbSource, formula: string, options: FitSqlOptions, na: readonly string[] = []): Promise<SqlFit> {
  const [{ fitSql }, { duckdbEngine }, { strictCsvSource }] = await Promise.all([import("@lmm/sql"), import("@lmm/sql/duckdb"), import("./duckdbCsv.js")]);
  const engine = await duckdbEngine(where.database, where.database === ":memory:" ? {} : { access_mode: "READ_ONLY" });
  try {
    const source = "csv" in where.source ? await strictCsvSource(engine, where.source.csv, formula, na) : where.source;
    return await fitSql(engine, source, formula, options);
  } finally {
    engine.close();
  }
}
