// fitSql: a mixed model fitted where the data live. Four kinds of query — the columns' types, the
// rows used and dropped, the levels of categorical variables, and the sums per cell of the grouping
// columns — then the same fitter as an in-memory fit, on the sums alone.
import { EmptyDataError, ResponseError, UnknownColumnError, type DroppedRows } from "@lmm/core";
import { classifyTerms, factorLevels, fitAggregated, modelVariables, planAggregation, type AggregatedCells, type AggregatedFit, type AggregatedFitOptions, type ColumnKind, type PlanOptions } from "@lmm/core/aggregate";
import type { SqlEngine, SqlType } from "./engine.js";
import { cellsQuery, checkQuery, columnKind, columnsQuery, levelsQuery, summaryQuery, type SqlSource } from "./generate.js";
import { SqlValueError } from "./errors.js";

/** Options of {@link fitSql}: REML or ML, the optimiser's, and codings as `lmm`'s. */
export interface FitSqlOptions extends AggregatedFitOptions, PlanOptions {}

/** An aggregated fit with the rows it read and dropped, and the SQL it ran. */
export interface SqlFit extends AggregatedFit {
  /** Rows in the source. */
  nRows: number;
  /** Rows dropped for a missing value (NULL, or NaN in a numeric column) in a column the model reads. */
  droppedRows: Pick<DroppedRows, "count" | "byColumn">;
  /** The queries run, in order (for logs and for running them elsewhere). */
  queries: string[];
}

/**
 * Fits a linear mixed model from sums an SQL engine computes next to the data: the same estimates
 * as `lmm(formula, rows)` on the same rows (up to the order of summation), without the rows ever
 * leaving the engine. Bases learned from the rows (`poly`, `scale`, `ns`, `bs`), offsets and prior
 * weights are refused (`NotAggregableError`): fit those in memory.
 *
 * @example
 * ```ts
 * const engine = await duckdbEngine();
 * const fit = await fitSql(engine, { from: "read_parquet('cells.parquet')" }, "y ~ x + (1 | patient) + (1 | batch)");
 * fit.fixef; fit.varCorr; fit.droppedRows.count;
 * ```
 */
export async function fitSql(engine: SqlEngine, source: SqlSource, formula: string, options: FitSqlOptions = {}): Promise<SqlFit> {
  const d = engine.dialect;
  const queries: string[] = [];
  const run = (sql: string) => {
    queries.push(sql);
    return engine.query(sql);
  };
  const variables = modelVariables(formula);
  const head = await run(columnsQuery(source, d));
  const types: Record<string, SqlType> = Object.create(null);
  const kinds: Record<string, ColumnKind> = Object.create(null);
  for (const c of variables.columns) {
    const j = head.names.indexOf(c);
    if (j < 0) throw new UnknownColumnError(c, head.names);
    types[c] = head.types[j];
    kinds[c] = columnKind(head.types[j]);
  }

  const summary = await run(summaryQuery(source, variables, types, d));
  const nRows = Number(summary.columns[0][0] ?? 0);
  const dropped = Number(summary.columns[1][0] ?? 0);
  const byColumn = variables.columns.map((column, i) => ({ column, missing: Number(summary.columns[2 + i][0] ?? 0) }));
  if (nRows === 0) throw new EmptyDataError("the data have no rows");
  if (dropped === nRows) throw new EmptyDataError(`no rows are left after removing rows with missing values (${byColumn.filter((c) => c.missing > 0).map((c) => `${c.column}: ${c.missing} missing`).join(", ")})`);

  if (kinds[variables.response.column] === "categorical" || variables.response.kind === "factor") {
    throw new ResponseError(variables.response.column, "is categorical; a linear mixed model needs a numeric response");
  }
  const terms = classifyTerms(variables, kinds, options);
  const numeric = [variables.response, ...terms.numeric];
  const check = await run(checkQuery(source, variables, numeric, types, d)).catch(async (e: unknown) => {
    // An engine that raises on log(0) or sqrt(−1) instead of returning ±Infinity or NaN: find the variable.
    for (const ref of numeric) await run(checkQuery(source, variables, [ref], types, d)).catch(() => Promise.reject(new SqlValueError(ref.label, `in some rows (${(e as Error).message})`)));
    throw e;
  });
  numeric.forEach((ref, i) => {
    const bad = Number(check.columns[2 + i][0] ?? 0);
    if (bad > 0) throw new SqlValueError(ref.label, `in ${bad} row${bad === 1 ? "" : "s"}`);
  });
  if (Number(check.columns[0][0]) === Number(check.columns[1][0])) {
    throw new ResponseError(variables.response.column, `is constant (every used value is ${Number(check.columns[0][0])}); there is no variation to model`);
  }

  const levels = new Map<string, string[]>();
  for (const label of terms.categorical) {
    const ref = variables.terms.get(label)!;
    const distinct = await run(levelsQuery(source, ref.column, variables, types, d));
    levels.set(label, factorLevels(distinct.columns[0]));
  }
  const plan = planAggregation(variables, kinds, levels, options);

  const answer = await run(cellsQuery(source, plan, types, d));
  const g = variables.groups.length;
  const groups: Record<string, unknown[]> = Object.create(null);
  variables.groups.forEach((column, i) => (groups[column] = answer.columns[i]));
  const cells: AggregatedCells = { groups, counts: answer.columns[g].map(Number), sums: answer.columns.slice(g + 1).map((c) => c.map(Number)) };
  const fit = fitAggregated(plan, cells, options);
  return { ...fit, nRows, droppedRows: { count: dropped, byColumn }, queries };
}
