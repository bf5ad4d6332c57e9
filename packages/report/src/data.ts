import { coefficients, type CoefficientRow, type DdfMethod, type LinearMixedModel, type ModelJson } from "@lmm/core";

/**
 * Denominator df of the report's t tests: lmerTest's methods, or `"none"` for lme4's own summary
 * (estimate, standard error and t value, no df and no p-value).
 */
export type ReportDdf = DdfMethod | "none";

/** Conditional modes of one grouping factor, with their conditional sds (level-major). */
export interface ReportModes {
  group: string;
  terms: string[];
  levels: string[];
  values: number[];
  sd: number[];
}

/**
 * Everything a report shows, as plain JSON data: a report can be rendered from a live model or
 * from this object saved to a file (`<lmm-report src="model.json">`).
 */
export interface ReportData {
  title?: string;
  model: ModelJson;
  /** Fixed effects with df and p-values (df and p null with `ddf: "none"`). */
  coefficients: CoefficientRow[];
  ddf: ReportDdf;
  modes: ReportModes[];
  /** Why rows were left out: missing values per used column (a row can count in several). */
  missing?: { column: string; missing: number }[];
}

/** Options of {@link reportData}. */
export interface ReportDataOptions {
  title?: string;
  /** Denominator df of the t tests (default Satterthwaite, as lmerTest); `"none"` for lme4's table without df and p. */
  ddf?: ReportDdf;
  /** Include conditional modes for the caterpillar plot (default true; off for very large factors). */
  modes?: boolean;
}

/**
 * The data of a report for a fitted model.
 *
 * @example
 * ```ts
 * const data = reportData(model, { title: "Sleep deprivation" });
 * await writeFile("model.json", JSON.stringify(data));
 * ```
 */
export function reportData(model: LinearMixedModel, options: ReportDataOptions = {}): ReportData {
  const ddf = options.ddf ?? "satterthwaite";
  const modes =
    options.modes === false
      ? []
      : model.ranef().map((r) => ({ group: r.group, terms: r.terms, levels: r.levels, values: Array.from(r.values), sd: Array.from(model.condSd(r.group)) }));
  const rows = ddf === "none" ? model.fixef().map((f) => ({ name: f.name, estimate: f.estimate, stdError: f.stdError, df: NaN, statistic: f.tValue, pValue: NaN })) : coefficients(model, { ddf });
  return { title: options.title, model: model.toJSON(), coefficients: rows, ddf, modes, missing: model.droppedRows.byColumn.filter((c) => c.missing > 0) };
}
