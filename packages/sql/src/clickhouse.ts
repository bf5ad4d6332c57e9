// ClickHouse over its HTTP interface (any version from 18.16): queries are POSTed, answers read as
// JSONCompact (column names and types in `meta`, rows of values).
import { clickhouseDialect } from "./dialects.js";
import type { SqlColumns, SqlEngine, SqlType } from "./engine.js";
import { SqlEngineError } from "./errors.js";

/** Where the server is and who asks. */
export interface ClickhouseOptions {
  /** The HTTP interface, e.g. `http://127.0.0.1:8123/`. */
  url: string;
  user?: string;
  password?: string;
  database?: string;
}

/** ClickHouse's type names as the model reads them (Nullable(…) and LowCardinality(…) unwrapped). */
function sqlType(name: string): SqlType {
  const bare = name.replace(/^(Nullable|LowCardinality)\((.*)\)$/, "$2").replace(/^(Nullable|LowCardinality)\((.*)\)$/, "$2");
  if (/^(U?Int(8|16|32|64|128|256)|Float(32|64)|Decimal.*)$/.test(bare)) return "number";
  if (/^(String|FixedString.*|Enum.*)$/.test(bare)) return "text";
  if (bare === "Bool") return "boolean";
  return "other";
}

/**
 * An SqlEngine talking to ClickHouse over HTTP (`fetch`): runs anywhere `fetch` does.
 *
 * @example
 * ```ts
 * const engine = clickhouseEngine({ url: "http://127.0.0.1:18123/" });
 * await fitSql(engine, { table: "cells" }, "y ~ x + (1 | patient)");
 * ```
 */
export function clickhouseEngine(options: ClickhouseOptions): SqlEngine {
  const url = new URL(options.url);
  if (options.database) url.searchParams.set("database", options.database);
  // 64-bit integers as JSON numbers (counts), not quoted strings.
  url.searchParams.set("output_format_json_quote_64bit_integers", "0");
  // The sums of a model with splines render every basis column as a CASE of polynomials in every
  // product: queries of megabytes, beyond the default 256 KiB text and 50,000 syntax-tree nodes.
  url.searchParams.set("max_query_size", String(64 * 1024 * 1024));
  url.searchParams.set("max_ast_elements", "10000000");
  url.searchParams.set("max_expanded_ast_elements", "10000000");
  const headers: Record<string, string> = { "Content-Type": "text/plain" };
  if (options.user) headers["X-ClickHouse-User"] = options.user;
  if (options.password) headers["X-ClickHouse-Key"] = options.password;
  return {
    dialect: clickhouseDialect,
    async query(sql: string): Promise<SqlColumns> {
      let response: Response;
      try {
        response = await fetch(url, { method: "POST", headers, body: `${sql} FORMAT JSONCompact` });
      } catch (e) {
        throw new SqlEngineError("ClickHouse", `cannot reach ${url.origin}: ${e instanceof Error ? e.message : String(e)}`);
      }
      const text = await response.text();
      if (!response.ok) throw new SqlEngineError("ClickHouse", text.trim());
      const json = JSON.parse(text) as { meta: { name: string; type: string }[]; data: unknown[][] };
      const types = json.meta.map((m) => sqlType(m.type));
      // 64-bit integers may come quoted (older servers ignore the setting): numbers as numbers.
      const columns = json.meta.map((_, j) => json.data.map((row) => (types[j] === "number" && typeof row[j] === "string" ? Number(row[j]) : row[j])));
      return { names: json.meta.map((m) => m.name), types, columns };
    },
  };
}
