// The workbench's downloads: tidy tables as CSV (broom.mixed's columns), the report as one HTML file,
// and the analysis plan (model, method, diagnostics, data fingerprint) as JSON.
import { formulaColumns, tidy } from "@lmm/arquero";
import type { DataColumns, LinearMixedModel } from "@lmm/core";
import { plan, type DiagnosticSpec, type PlanSpec } from "@lmm/diagnostics";
import { reportHtml, type ReportData, type ReportDdf } from "@lmm/report";
import { table } from "arquero";
import { augmentCsvInWorker, fingerprintInWorker } from "../jobs.js";
import { downloadButton, downloads, safeFileName, textBlob } from "../ui/download.js";
import { h } from "../ui/dom.js";
import { csvText } from "./csv.js";
import type { WorkbenchData } from "./choices.js";

/** What the exports describe: the model, how its tests were made, and the diagnostics chosen. */
export interface ExportContext {
  model: LinearMixedModel;
  /** The summary as printed on the page (the report's data). */
  summary: ReportData;
  data: WorkbenchData;
  /** The columns and levels the model was fitted to. */
  used: { columns: DataColumns; levels: Record<string, string[]> };
  ddf: ReportDdf;
  /** Grouping factors chosen for the diagnostics (null where none). */
  groups: { shrinkage: string | null; influence: string | null; loso: string | null };
  qq: { nsim: number; seed: number };
}

/** Fixed effects with SE, df, t, p and 95% Wald intervals; with ddf "none", df and p are NA (lme4's table). */
export function fixedEffectsCsv(c: ExportContext): string {
  const fixed = tidy(c.model, { effects: "fixed", conf: true, ddf: c.ddf === "none" ? "residual" : c.ddf });
  if (c.ddf !== "none") return csvText(fixed);
  const n = fixed.numRows();
  return csvText(fixed.assign(table({ df: new Float64Array(n).fill(NaN), "p.value": new Float64Array(n).fill(NaN) })));
}

/** The analysis plan that reproduces this analysis, with the data's fingerprint, as JSON text. */
export async function planJson(c: ExportContext): Promise<string> {
  const diagnostics: DiagnosticSpec[] = ["residuals", { name: "qq", nsim: c.qq.nsim, seed: c.qq.seed }];
  if (c.groups.shrinkage) diagnostics.push({ name: "shrinkage", group: c.groups.shrinkage });
  if (c.groups.influence) diagnostics.push({ name: "influence", group: c.groups.influence });
  if (c.groups.loso) diagnostics.push({ name: "loso", group: c.groups.loso });
  // Reference levels of the factors among the fixed effects and slopes (grouping factors have no contrasts).
  const contrasts: NonNullable<PlanSpec["contrasts"]> = {};
  for (const { column, role } of formulaColumns(c.model.formula)) {
    const levels = c.used.levels[column];
    if (levels && (role === "fixed" || role === "random")) contrasts[column] = { type: "treatment", reference: levels[0] };
  }
  const spec: PlanSpec = { formula: c.model.formula, reml: c.model.reml, missing: "omit", diagnostics, contrasts, ...(c.ddf === "none" ? {} : { ddf: c.ddf }) };
  const analysisPlan = await plan(spec);
  const columns = Object.keys(c.used.columns);
  return JSON.stringify(
    {
      plan: analysisPlan.spec,
      planFingerprint: analysisPlan.fingerprint,
      data: {
        file: c.data.file,
        rows: c.data.nRows,
        columns: columns.map((name) => ({ name, type: c.data.kinds[name], levels: c.used.levels[name] ?? null })),
        fingerprint: await fingerprintInWorker(c.used.columns),
        fingerprintOf: "the columns the formula uses, as fitted (categorical columns as their labels), by @lmm/diagnostics' dataFingerprint",
      },
      fit: { nobs: c.model.nobs, droppedRows: c.model.droppedRows.count, objective: c.model.objective, converged: c.summary.model.converged },
    },
    null,
    2,
  );
}

/**
 * The export buttons for a fitted model.
 *
 * @example
 * ```js
 * display(exportPanel({model, data, used, ddf, groups, qq: {nsim: 49, seed: 1}}));
 * ```
 */
export function exportPanel(c: ExportContext): HTMLElement {
  const stem = safeFileName(c.data.file.replace(/\.[^.]+$/, ""));
  const csv = (text: string) => textBlob(text, "text/csv");
  return h(
    "div",
    { class: "lmm-exports" },
    h("p", { class: "lmm-note" }, "Tables as CSV with broom.mixed's column names; missing values as NA."),
    downloads(
      downloadButton("Download fixed effects (CSV)", `${stem}-fixed-effects.csv`, () => csv(fixedEffectsCsv(c))),
      downloadButton("Download random-effect parameters (CSV)", `${stem}-random-effect-parameters.csv`, () => csv(csvText(tidy(c.model, { effects: "ran_pars" })))),
      downloadButton("Download conditional modes with 95% intervals (CSV)", `${stem}-conditional-modes.csv`, () => csv(csvText(tidy(c.model, { effects: "ran_vals", conf: true })))),
      downloadButton("Download data with fitted values and residuals (CSV)", `${stem}-augmented.csv`, async () => csv(await augmentCsvInWorker(c.model, c.used.columns, c.data.columns, { levels: c.used.levels }))),
    ),
    downloads(
      downloadButton("Download the report (standalone HTML)", `${stem}-report.html`, () => textBlob(reportHtml(c.summary), "text/html")),
      downloadButton("Download the analysis plan with data fingerprint (JSON)", `${stem}-analysis-plan.json`, async () => textBlob(await planJson(c), "application/json")),
    ),
  );
}
