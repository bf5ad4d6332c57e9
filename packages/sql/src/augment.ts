// Row-level outputs of an aggregated fit, computed by the engine: every row of the source with its
// fitted value Xβ̂ + Zb̂ and residual, written to a new table (or a file the engine writes), never
// read into this process. Conditional modes join the rows by their grouping columns' values.
import { NotAggregableError } from "@lmm/core";
import type { SqlEngine } from "./engine.js";
import type { SqlFit } from "./fit.js";
import { columnSql, fromItem, hasOffset, keptCondition, offsetSql, responseSql, type SqlSource } from "./generate.js";

/** Where the augmented rows go: a new table, or (DuckDB) a Parquet file. */
export type AugmentTarget = { table: string } | { parquet: string };

/** The SELECT of the augmented rows: the source's columns, `.fitted`, `.fixed` and `.resid` (NULL on rows the fit left out). */
export function augmentQuery(fit: SqlFit, source: SqlSource, d: SqlEngine["dialect"]): string {
  const { plan, types } = fit;
  const { variables } = plan;
  const kept = keptCondition(variables, types, d);
  const byName = new Map(plan.fixed.map((c) => [c.name, c]));
  // As lme4's fitted values: the offset (if any) + Xβ̂ (+ Zb̂).
  const fixed = [...(hasOffset(plan) ? [offsetSql(plan, d)] : []), ...fit.fixef.map((f) => `${d.double(f.estimate)} * ${columnSql(byName.get(f.name)!, plan, types, d)}`)].join(" + ") || d.double(0);
  const joins: string[] = [];
  const random: string[] = [];
  fit.ranef.forEach((r, j) => {
    const term = plan.random.find((t) => t.spec.groupLabel === r.group)!;
    if (term.spec.group.length !== 1) throw new NotAggregableError(`augment of (… | ${r.group})`, "conditional modes of an interaction of grouping factors are not joined by SQL yet");
    const column = variables.spec.variables.get(term.spec.group[0])!.column;
    const alias = `lmm_b${j}`;
    const k = r.terms.length;
    const numeric = types[column] === "number";
    const rows = r.levels.map((level, l) => `(${numeric ? d.double(Number(level)) : d.text(level)}${Array.from({ length: k }, (_, c) => `, ${d.double(r.values[l * k + c])}`).join("")})`);
    // Names no source column is likely to have (the kept condition refers to the source's columns unqualified).
    const names = [`${alias}_level`, ...r.terms.map((_, c) => `${alias}_${c}`)];
    joins.push(`LEFT JOIN (SELECT * FROM (VALUES ${rows.join(", ")}) AS v(${names.join(", ")})) AS ${alias} ON ${numeric ? d.toDouble(`lmm_src.${d.identifier(column)}`) : `lmm_src.${d.identifier(column)}`} = ${alias}.${names[0]}`);
    // Every column of this factor's terms (all terms on one factor share its modes, in order).
    const columns = plan.random.filter((t) => t.spec.groupLabel === r.group).flatMap((t) => t.columns);
    columns.forEach((c, i) => random.push(`${alias}.${alias}_${i} * ${columnSql(c, plan, types, d)}`));
  });
  const fitted = [`(${fixed})`, ...random].join(" + ");
  const y = responseSql(plan, d);
  return (
    `SELECT lmm_src.*, CASE WHEN ${kept} THEN ${fitted} END AS ".fitted", CASE WHEN ${kept} THEN ${fixed} END AS ".fixed", ` +
    `CASE WHEN ${kept} THEN ${y} - (${fitted}) END AS ".resid" FROM ${"query" in source ? `(${source.query})` : fromItem(source, d)} AS lmm_src ${joins.join(" ")}`
  );
}

/**
 * Writes every row of the source with `.fitted`, `.fixed` and `.resid` (broom.mixed's augment) to a new
 * table or a Parquet file, computed by the engine.
 *
 * @example
 * ```ts
 * const fit = await fitSql(engine, { table: "cells" }, "y ~ x + (1 | patient)");
 * await augmentSql(engine, fit, { table: "cells" }, { parquet: "cells-augmented.parquet" });
 * ```
 */
export async function augmentSql(engine: SqlEngine & { run?(sql: string): Promise<void> }, fit: SqlFit, source: SqlSource, target: AugmentTarget): Promise<void> {
  const d = engine.dialect;
  const select = augmentQuery(fit, source, d);
  const sql = "table" in target ? `CREATE TABLE ${d.identifier(target.table)} AS ${select}` : `COPY (${select}) TO ${d.text(target.parquet)} (FORMAT parquet)`;
  if (engine.run) await engine.run(sql);
  else await engine.query(sql);
}
