import type { SqlDialect } from "./engine.js";

const quoteWith = (q: string) => (name: string) => q + name.split(q).join(q + q) + q;
/** Shortest text that reads back as exactly this double (JavaScript's String does that). */
const exact = (x: number) => String(x);

/** DuckDB (Node and WebAssembly). */
export const duckdbDialect: SqlDialect = {
  name: "duckdb",
  identifier: quoteWith('"'),
  text: (v) => `'${v.split("'").join("''")}'`,
  double: (x) => `CAST('${exact(x)}' AS DOUBLE)`,
  toDouble: (e) => `CAST(${e} AS DOUBLE)`,
  isNaN: (e) => `isnan(CAST(${e} AS DOUBLE))`,
  isFinite: (e) => `isfinite(CAST(${e} AS DOUBLE))`,
  call: (fn, a) => `${fn}(${a})`,
  pow: (b, e) => `pow(${b}, ${e})`,
};

/** ClickHouse (18.16 and later): functions by their ClickHouse names, text escaped with backslashes too. */
export const clickhouseDialect: SqlDialect = {
  name: "clickhouse",
  identifier: quoteWith("`"),
  text: (v) => `'${v.split("\\").join("\\\\").split("'").join("\\'")}'`,
  double: (x) => `toFloat64('${exact(x)}')`,
  toDouble: (e) => `toFloat64(${e})`,
  isNaN: (e) => `isNaN(toFloat64(${e}))`,
  isFinite: (e) => `isFinite(toFloat64(${e}))`,
  call: (fn, a) => (fn === "ln" ? `log(${a})` : `${fn}(${a})`),
  pow: (b, e) => `pow(${b}, ${e})`,
};
