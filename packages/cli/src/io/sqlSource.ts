// Data that live in files DuckDB reads (Parquet, a DuckDB database) or behind a query: the model is
// fitted from sums DuckDB computes (`fitSql`), never from rows read into this process. CSV and TSV
// files keep the strict in-memory reader (missing tokens, types, errors naming line and column).
import { existsSync } from "node:fs";
import { dispersionColumn, InvalidArgumentError } from "@lmm/core";
import type { DataColumns } from "@lmm/core";
import { formulaColumns } from "@lmm/arquero";
import type { FitSqlOptions, SqlEngine, SqlFit, SqlSource } from "@lmm/sql";
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

/** Runs `work` with a DuckDB engine on the source (CSV files typed first); DuckDB is loaded only when used. */
async function withDuckdb<T>(where: DuckdbSource, formula: string, na: readonly string[], work: (engine: SqlEngine, source: SqlSource) => Promise<T>, extra: readonly string[] = []): Promise<T> {
  const [{ duckdbEngine }, { strictCsvSource }] = await Promise.all([import("@lmm/sql/duckdb"), import("./duckdbCsv.js")]);
  const engine = await duckdbEngine(where.database, where.database === ":memory:" ? {} : { access_mode: "READ_ONLY" });
  try {
    const source = "csv" in where.source ? await strictCsvSource(engine, where.source.csv, formula, na, extra) : where.source;
    return await work(engine, source);
  } finally {
    engine.close();
  }
}

/** Fits the formula from sums DuckDB computes over the source. */
export async function fitThroughDuckdb(where: DuckdbSource, formula: string, options: FitSqlOptions, na: readonly string[] = []): Promise<SqlFit> {
  const { fitSql } = await import("@lmm/sql");
  const extra = options.dispersion !== undefined ? [dispersionColumn(options.dispersion)] : [];
  return withDuckdb(where, formula, na, (engine, source) => fitSql(engine, source, formula, options), extra);
}

/**
 * The rows of the columns the formula reads, read into memory (for a model sums cannot give), and a
 * line saying so with the memory the columns take (the fit needs a few times that for its matrices).
 */
export async function readRowsThroughDuckdb(where: DuckdbSource, formula: string, na: readonly string[] = [], extra: readonly string[] = []): Promise<{ data: DataColumns; note: string }> {
  const { fromItem } = await import("@lmm/sql");
  return withDuckdb(where, formula, na, async (engine, source) => {
    const d = engine.dialect;
    // The formula's columns and any other the model reads (a dispersion formula's).
    const columns = [...new Set([...formulaColumns(formula).map((c) => c.column), ...extra])];
    const answer = await engine.query(`SELECT ${columns.map(d.identifier).join(", ")} FROM ${"query" in source ? `(${source.query}) AS lmm_source` : fromItem(source, d)}`);
    const n = answer.columns[0]?.length ?? 0;
    const data: Record<string, unknown[]> = Object.create(null);
    answer.names.forEach((name, j) => (data[name] = answer.columns[j]));
    const mb = (n * columns.length * 8) / 2 ** 20;
    return { data, note: `reading the ${n.toLocaleString("en")} rows of ${columns.length} columns into memory instead (about ${mb < 10 ? mb.toFixed(1) : mb.toFixed(0)} MB for the columns; the fit needs a few times that)` };
  }, extra);
}
