/** How an engine's column type is read: numbers, text, booleans, anything else (dates, lists …). */
export type SqlType = "number" | "text" | "boolean" | "other";

/** A query's answer, column by column (values as JavaScript numbers, strings, booleans or null). */
export interface SqlColumns {
  names: string[];
  types: SqlType[];
  /** columns[j][i]: column j of row i. */
  columns: unknown[][];
}

/**
 * An SQL engine as an aggregated fit uses it: run one query, get its columns back. Adapters:
 * DuckDB in Node (`@lmm/sql/duckdb`), DuckDB-wasm (`duckdbWasmEngine`, given a connection),
 * ClickHouse over HTTP (`clickhouseEngine`); anything else implements these two members.
 *
 * @example
 * ```ts
 * const engine: SqlEngine = { dialect: duckdbDialect, query: async (sql) => myRun(sql) };
 * ```
 */
export interface SqlEngine {
  readonly dialect: SqlDialect;
  query(sql: string): Promise<SqlColumns>;
}

/** What differs between engines in the SQL an aggregated fit writes (the rest is a portable subset). */
export interface SqlDialect {
  readonly name: string;
  /** An identifier, quoted. */
  identifier(name: string): string;
  /** A text literal. */
  text(value: string): string;
  /** A DOUBLE literal that parses to exactly this number. */
  double(value: number): string;
  /** The expression as a double. */
  toDouble(expr: string): string;
  /** True where a double is NaN. */
  isNaN(expr: string): string;
  /** True where a double is finite. */
  isFinite(expr: string): string;
  /** Element-wise functions of the formula language, by R's name (`log`, `exp`, `sqrt` …). */
  call(fn: "ln" | "log2" | "log10" | "exp" | "sqrt" | "abs", arg: string): string;
  pow(base: string, exponent: string): string;
}
