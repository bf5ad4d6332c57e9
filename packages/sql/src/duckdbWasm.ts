// DuckDB-wasm (the browser) as an SqlEngine: given a connection made by the page (its worker and
// wasm files bundled with the page, never fetched from a CDN), answers read from Arrow tables.
import { duckdbDialect } from "./dialects.js";
import type { SqlColumns, SqlEngine, SqlType } from "./engine.js";
import { SqlEngineError } from "./errors.js";
import { plainValue } from "./values.js";

/** What the engine needs of an `AsyncDuckDBConnection` (`@duckdb/duckdb-wasm`): query → Arrow table. */
export interface DuckdbWasmConnection {
  query(sql: string): Promise<{
    schema: { fields: { name: string; type: { typeId: number; scale?: number; toString(): string } }[] };
    getChildAt(i: number): { toArray(): ArrayLike<unknown>; get(i: number): unknown; length: number } | null;
    numRows: number;
  }>;
}

/** Arrow's type ids: Int = 2, Float = 3, Decimal = 7 are numbers; Utf8 = 5, Dictionary = -1 text; Bool = 6. */
function sqlType(typeId: number): SqlType {
  if (typeId === 2 || typeId === 3 || typeId === 7) return "number";
  if (typeId === 5 || typeId === -1 || typeId === 20) return "text";
  if (typeId === 6) return "boolean";
  return "other";
}

/**
 * An SqlEngine over a DuckDB-wasm connection.
 *
 * @example
 * ```ts
 * const engine = duckdbWasmEngine(await db.connect());
 * const fit = await fitSql(engine, { from: "read_parquet('cells.parquet')" }, "y ~ x + (1 | g)");
 * ```
 */
export function duckdbWasmEngine(connection: DuckdbWasmConnection): SqlEngine {
  return {
    dialect: duckdbDialect,
    async query(sql: string): Promise<SqlColumns> {
      let table: Awaited<ReturnType<DuckdbWasmConnection["query"]>>;
      try {
        table = await connection.query(sql);
      } catch (e) {
        throw new SqlEngineError("DuckDB-wasm", e instanceof Error ? e.message : String(e));
      }
      const fields = table.schema.fields;
      const columns = fields.map((field, j) => {
        const child = table.getChildAt(j);
        const out: unknown[] = new Array(table.numRows);
        // Arrow decimals (DuckDB's HUGEINT sums, DECIMAL columns) come as unscaled big numbers.
        const scale = field.type.typeId === 7 ? 10 ** (field.type.scale ?? 0) : 0;
        for (let i = 0; i < table.numRows; i++) {
          const v = child?.get(i) ?? null;
          out[i] = scale && v !== null ? Number(v) / scale : plainValue(v);
        }
        return out;
      });
      return { names: fields.map((f) => f.name), types: fields.map((f) => sqlType(f.type.typeId)), columns };
    },
  };
}
