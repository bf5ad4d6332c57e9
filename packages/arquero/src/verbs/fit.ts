import { lmm, type FitOptions, type LinearMixedModel } from "@lmm/core";
import { asTable, type TableInput } from "../io/arrow.js";
import { dictionaryLevels, tableColumns } from "../io/columns.js";

/**
 * Fits a linear mixed model (lme4 formula syntax, REML by default) to the columns of an Arquero
 * table, or of an Arrow table / Arrow IPC bytes read through arquero. Columns are handed to the
 * core as they are stored (no per-row objects). Level order of categorical columns: dictionary
 * (Arrow / Parquet) columns keep their dictionary order; `options.levels` overrides it per column;
 * other string columns are sorted, as R's `factor()` does.
 *
 * @example
 * ```ts
 * import { table } from "arquero";
 * const m = fit(table({ y: [1.1, 2.3, 2.9, 4.2, 4.8, 6.1], g: ["a", "a", "b", "b", "c", "c"] }), "y ~ 1 + (1 | g)");
 * m.fixef();
 * ```
 */
export function fit(table: TableInput, formula: string, options: FitOptions = {}): LinearMixedModel {
  const t = asTable(table);
  return lmm(formula, tableColumns(t), { ...options, levels: tableLevels(t, options.levels) });
}

/** Dictionary level order of the table's columns, overridden by the caller's `levels`. */
export function tableLevels(table: ReturnType<typeof asTable>, override?: Readonly<Record<string, readonly string[]>>): Record<string, readonly string[]> {
  const levels: Record<string, readonly string[]> = dictionaryLevels(table);
  if (override) for (const name of Object.keys(override)) levels[name] = override[name];
  return levels;
}
