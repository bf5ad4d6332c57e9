// @lmm/sql/duckdb: DuckDB in Node (`@duckdb/node-api`, native) as an SqlEngine.
import { DuckDBInstance, DuckDBTypeId, type DuckDBConnection, type DuckDBType } from "@duckdb/node-api";
import { duckdbDialect } from "../dialects.js";
import type { SqlColumns, SqlEngine, SqlType } from "../engine.js";
import { SqlEngineError } from "../errors.js";
import { plainValue } from "../values.js";

/** A DuckDB database in this process: an SqlEngine that must be closed. */
export interface DuckdbEngine extends SqlEngine {
  /** Runs a statement without reading an answer (CREATE, COPY …). */
  run(sql: string): Promise<void>;
  close(): void;
}

const NUMBERS = new Set<DuckDBTypeId>([
  DuckDBTypeId.TINYINT, DuckDBTypeId.SMALLINT, DuckDBTypeId.INTEGER, DuckDBTypeId.BIGINT, DuckDBTypeId.HUGEINT,
  DuckDBTypeId.UTINYINT, DuckDBTypeId.USMALLINT, DuckDBTypeId.UINTEGER, DuckDBTypeId.UBIGINT, DuckDBTypeId.UHUGEINT,
  DuckDBTypeId.FLOAT, DuckDBTypeId.DOUBLE, DuckDBTypeId.DECIMAL,
]);

function sqlType(type: DuckDBType): SqlType {
  if (NUMBERS.has(type.typeId)) return "number";
  if (type.typeId === DuckDBTypeId.VARCHAR || type.typeId === DuckDBTypeId.ENUM) return "text";
  if (type.typeId === DuckDBTypeId.BOOLEAN) return "boolean";
  return "other";
}

/**
 * Opens DuckDB (in memory by default, or a database file) as an SqlEngine. Threads and memory are
 * DuckDB's defaults unless given (`{ threads: "2", memory_limit: "2GB" }`).
 *
 * @example
 * ```ts
 * const engine = await duckdbEngine();
 * const fit = await fitSql(engine, { from: "read_parquet('cells.parquet')" }, "y ~ x + (1 | g)");
 * engine.close();
 * ```
 */
export async function duckdbEngine(path = ":memory:", config: Record<string, string> = {}): Promise<DuckdbEngine> {
  const instance = await DuckDBInstance.create(path, config);
  const connection: DuckDBConnection = await instance.connect();
  const fail = (e: unknown): never => {
    throw new SqlEngineError("DuckDB", e instanceof Error ? e.message : String(e));
  };
  return {
    dialect: duckdbDialect,
    async query(sql: string): Promise<SqlColumns> {
      const reader = await connection.runAndReadAll(sql).catch(fail);
      const columns = reader.getColumns().map((c) => c.map(plainValue));
      return { names: reader.columnNames(), types: reader.columnTypes().map(sqlType), columns };
    },
    async run(sql: string): Promise<void> {
      await connection.run(sql).catch(fail);
    },
    close(): void {
      connection.closeSync();
      instance.closeSync();
    },
  };
}
