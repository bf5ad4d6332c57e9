// Data that live in files DuckDB reads (Parquet, a DuckDB database) or behind a query: the model is
// fitted from sums DuckDB computes (`fitSql`), never from rows read into this process. CSV and TSV
// files keep the strict in-memory reader (missing tokens, types, errors naming line and column).
import { existsSync } from "node:fs";
import { InvalidArgumentError } from "@lmm/core";
import type { DataColumns } from "@lmm/core";
import { formulaColumns, type ColumnSchema } from "@lmm/arquero";
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

/** How the model reads the source: its formula and option columns; for CSV files, the strict reader's flags. */
export interface SourceReading {
  formula: string;
  /** Columns read besides the formula's (prior weights, offset). */
  extra?: readonly string[];
  na?: readonly string[];
  /** A column schema (`--columns`) and the text encoding (`--encoding`) of CSV files. */
  schema?: ColumnSchema;
  encoding?: string;
}

/** The columns the model reads: the formula's, then the option columns. */
function columnsRead(reading: SourceReading): string[] {
  const columns = formulaColumns(reading.formula).map((c) => c.column);
  for (const c of reading.extra ?? []) if (!columns.includes(c)) columns.push(c);
  return columns;
}

/** Runs `work` with a DuckDB engine on the source (CSV files typed first); DuckDB is loaded only when used. */
async function withDuckdb<T>(where: DuckdbSource, reading: SourceReading, work: (engine: SqlEngine, source: SqlSource) => Promise<T>): Promise<T> {
  const [{ duckdbEngine }, { strictCsvSource }, { checkUtf8File, utf8Copy }] = await Promise.all([import("@lmm/sql/duckdb"), import("./duckdbCsv.js"), import("./transcode.js")]);
  const engine = await duckdbEngine(where.database, where.database === ":memory:" ? {} : { access_mode: "READ_ONLY" });
  let copy: { path: string; remove(): void } | null = null;
  try {
    let source: SqlSource;
    if ("csv" in where.source) {
      // DuckDB reads UTF-8: a Latin-1 file is read through a UTF-8 copy (decoded as the in-memory reader decodes it).
      copy = await utf8Copy(where.source.csv, reading.encoding);
      if (copy === null) await checkUtf8File(where.source.csv);
      source = await strictCsvSource(engine, copy?.path ?? where.source.csv, columnsRead(reading), reading.na ?? [], reading.schema, where.source.csv);
    } else source = where.source;
    return await work(engine, source);
  } finally {
    engine.close();
    copy?.remove();
  }
}

/** Fits the formula from sums DuckDB computes over the source. */
export async function fitThroughDuckdb(where: DuckdbSource, reading: SourceReading, options: FitSqlOptions): Promise<SqlFit> {
  const { fitSql } = await import("@lmm/sql");
  return withDuckdb(where, reading, (engine, source) => fitSql(engine, source, reading.formula, options));
}

/**
 * The rows of the columns the formula reads, read into memory (for a model sums cannot give), and a
 * line saying so with the memory the columns take (the fit needs a few times that for its matrices).
 */
export async function readRowsThroughDuckdb(where: DuckdbSource, reading: SourceReading): Promise<{ data: DataColumns; note: string }> {
  const { fromItem } = await import("@lmm/sql");
  return withDuckdb(where, reading, async (engine, source) => {
    const d = engine.dialect;
    const columns = columnsRead(reading);
    const answer = await engine.query(`SELECT ${columns.map(d.identifier).join(", ")} FROM ${"query" in source ? `(${source.query}) AS lmm_source` : fromItem(source, d)}`);
    const n = answer.columns[0]?.length ?? 0;
    const data: Record<string, unknown[]> = Object.create(null);
    answer.names.forEach((name, j) => (data[name] = answer.columns[j]));
    const mb = (n * columns.length * 8) / 2 ** 20;
    return { data, note: `reading the ${n.toLocaleString("en")} rows of ${columns.length} columns into memory instead (about ${mb < 10 ? mb.toFixed(1) : mb.toFixed(0)} MB for the columns; the fit needs a few times that)` };
  });
}
