// The summary the workbench prints and exports: the report's data for the model rebuilt at θ̂, with
// the worker fit's own account of convergence (the rebuilt model, given θ̂, does not re-check it).
import type { LinearMixedModel } from "@lmm/core";
import { reportData, type ReportData, type ReportDdf } from "@lmm/report";
import type { FitInfo } from "../notebookWorker.js";

/**
 * @example
 * ```js
 * report(summaryData(fitted, "satterthwaite", "features.csv"));
 * ```
 */
export function summaryData(fitted: { model: LinearMixedModel; info: FitInfo }, ddf: ReportDdf, file: string): ReportData {
  const data = reportData(fitted.model, { ddf, title: `Linear mixed model fitted to ${file}` });
  const seen = new Set(data.model.warnings.map((w) => w.message));
  const warnings = [...data.model.warnings, ...fitted.info.warnings.filter((w) => !seen.has(w.message))];
  return { ...data, model: { ...data.model, warnings, converged: fitted.info.converged, evaluations: fitted.info.evaluations } };
}
