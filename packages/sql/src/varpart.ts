// Variance fractions of many features from one grouped pass (variancePartition's default
// decomposition: each random-effect variance and the residual variance over their sum).
import type { SqlEngine } from "./engine.js";
import { fitSqlEach, type FitSqlOptions } from "./fit.js";
import type { SqlSource } from "./generate.js";

/** One component of one feature (a row of `varpart`'s long table), or the feature's error. */
export interface SqlVarpartRow {
  feature: string;
  component: string;
  kind: "random" | "residual";
  variance: number;
  fraction: number;
}

/**
 * `varpart` of `@lmm/diagnostics` for a long table in an SQL engine: every feature's sums in one
 * `GROUP BY feature, …` pass, one fit per feature, then each random-effect variance (VarCorr's
 * diagonal, named `group` or `group.column`) and the residual variance as fractions of their sum.
 * Fixed-effect shares and ICCs (which need var(Xβ) and z'Σz over rows) are not computed here.
 *
 * @example
 * ```ts
 * const { rows, errors } = await varpartSql(engine, { table: "expression" }, "value ~ (1 | donor) + (1 | batch)", { by: "gene" });
 * rows.filter((r) => r.component === "batch");
 * ```
 */
export async function varpartSql(engine: SqlEngine, source: SqlSource, formula: string, options: FitSqlOptions & { by: string }): Promise<{ rows: SqlVarpartRow[]; errors: { feature: string; message: string }[] }> {
  const fits = await fitSqlEach(engine, source, formula, options);
  const rows: SqlVarpartRow[] = [];
  const errors: { feature: string; message: string }[] = [];
  for (const { feature, fit, error } of fits) {
    if (!fit) {
      errors.push({ feature, message: error!.message });
      continue;
    }
    const parts: Omit<SqlVarpartRow, "fraction">[] = [];
    for (const t of fit.varCorr.terms) t.terms.forEach((column, i) => parts.push({ feature, component: column === "(Intercept)" ? t.name : `${t.name}.${column}`, kind: "random", variance: t.variance[i] }));
    parts.push({ feature, component: "Residual", kind: "residual", variance: fit.varCorr.residual.variance });
    const total = parts.reduce((s, p) => s + p.variance, 0);
    for (const p of parts) rows.push({ ...p, fraction: p.variance / total });
  }
  return { rows, errors };
}
