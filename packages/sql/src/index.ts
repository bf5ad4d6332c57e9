// @lmm/sql: mixed models fitted from sums an SQL engine computes next to the data. The engine
// interface and its dialects, the SQL generator, `fitSql`, and the engine adapters that need no
// native code (ClickHouse over HTTP, a DuckDB-wasm connection). DuckDB in Node: `@lmm/sql/duckdb`.

// Fitting.
export { fitSql, fitSqlEach, type FitSqlEachOptions, type FitSqlOptions, type SqlFeatureFit, type SqlFit } from "./fit.js";
export { createFitSqlPool, type FitSqlPool } from "./each/pool.js";
export { anovaSql } from "./anova.js";
export { confintSql, profileSql } from "./profile.js";
export { varpartSql, type SqlVarpartRow, type SqlVarpartSummary, type VarpartSqlOptions, type VarpartSqlResult } from "./varpart.js";
export { anovaTypeIIISql, coefficientsSql } from "./tests.js";
export { bootstrapSql } from "./bootstrap.js";

// Engines and their dialects.
export type { SqlColumns, SqlDialect, SqlEngine, SqlType } from "./engine.js";
export { clickhouseDialect, duckdbDialect } from "./dialects.js";
export { clickhouseEngine, type ClickhouseOptions } from "./clickhouse.js";
export { duckdbWasmEngine, type DuckdbWasmConnection } from "./duckdbWasm.js";

// The SQL an aggregated fit runs (to read, log or run elsewhere).
export { cellsQuery, columnsQuery, expressionSql, fromItem, type ColumnTypes, type SqlSource } from "./generate.js";

// Errors.
export { SqlEngineError, SqlNegativeWeightError, SqlValueError } from "./errors.js";

// Reading a fit.
export { sqlFitJson, sqlFitSummary, type SqlFitTextOptions } from "./summary.js";

// Row-level outputs, computed by the engine.
export { augmentQuery, augmentSql, type AugmentTarget } from "./augment.js";
