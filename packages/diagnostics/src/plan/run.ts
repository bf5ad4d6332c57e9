import { contrastTest, expandFormula, lmm, parseFormula, type DataColumns, type LinearMixedModel, type ModelJson } from "@lmm/core";
import { pt2 } from "@lmm/core/numerics";
import { tableColumns } from "@lmm/arquero";
import type { ColumnTable } from "arquero";
import { residualDiagnostics, type ResidualDiagnostics } from "../residuals/residuals.js";
import { residualTrend, type ResidualTrend } from "../residuals/trend.js";
import { qq, type QQDiagnostics } from "../qq/qq.js";
import { observationInfluence, type ObservationInfluence } from "../influence/observation.js";
import { clusterInfluence, type ClusterInfluence } from "../influence/cluster.js";
import { leaveOneLevelOut, type LeaveOneLevelOut } from "../crossValidation/loso.js";
import { shrinkage, type Shrinkage } from "../shrinkage/shrinkage.js";
import type { DeletionPool } from "../caseDeletion/deletionPool.js";
import { canonicalJson } from "./canonicalJson.js";
import { dataFingerprint } from "./dataFingerprint.js";
import { PlanDataError, PlanIntegrityError } from "./errors.js";
import type { AnalysisPlan } from "./plan.js";
import { sha256Hex } from "./sha256.js";
import type { NormalisedPlan, PlannedDiagnostic } from "./spec.js";

/** The outcome of one pre-specified hypothesis (t test with the plan's df method). */
export interface HypothesisResult {
  name: string;
  /** Σ w·β̂ − rhs. */
  estimate: number;
  se: number;
  t: number;
  df: number;
  pValue: number;
  /** p < alpha. */
  rejected: boolean;
}

/** One diagnostic's result, with the options it ran with. */
export type DiagnosticResult =
  | { spec: Extract<PlannedDiagnostic, { name: "residuals" }>; result: ResidualDiagnostics }
  | { spec: Extract<PlannedDiagnostic, { name: "residualTrend" }>; result: ResidualTrend }
  | { spec: Extract<PlannedDiagnostic, { name: "qq" }>; result: QQDiagnostics }
  | { spec: Extract<PlannedDiagnostic, { name: "observationInfluence" }>; result: ObservationInfluence }
  | { spec: Extract<PlannedDiagnostic, { name: "influence" }>; result: ClusterInfluence }
  | { spec: Extract<PlannedDiagnostic, { name: "loso" }>; result: LeaveOneLevelOut }
  | { spec: Extract<PlannedDiagnostic, { name: "shrinkage" }>; result: Shrinkage };

/** What `run` produces: the fit and exactly the planned diagnostics, tied to the plan and the data. */
export interface AnalysisReport {
  /** The plan's SHA-256 fingerprint. */
  planFingerprint: string;
  /** SHA-256 of the data (see {@link dataFingerprint}). */
  dataFingerprint: string;
  plan: NormalisedPlan;
  model: ModelJson;
  hypotheses: HypothesisResult[];
  /** In the plan's order. */
  diagnostics: DiagnosticResult[];
  warnings: { code: string; message: string }[];
}

/** Options of {@link run}: where the case-deletion refits run, progress and abort. */
export interface RunPlanOptions {
  pool?: DeletionPool;
  workers?: number;
  signal?: AbortSignal;
}

/**
 * Runs a plan on data: checks that the plan is intact (its content still has its fingerprint) and
 * that the data have every column, level and coefficient it names — otherwise throws a typed error
 * saying why, and no report exists — then fits the model and runs exactly the listed diagnostics
 * and hypotheses. The report carries the plan's fingerprint and the data's own.
 *
 * @example
 * ```ts
 * const p = await plan({ formula: "Reaction ~ Days + (Days | Subject)", diagnostics: ["residuals", { name: "influence", group: "Subject" }] });
 * const report = await run(p, sleepstudy);
 * report.planFingerprint === p.fingerprint; // true
 * ```
 */
export async function run(analysisPlan: AnalysisPlan, data: DataColumns | ColumnTable, options: RunPlanOptions = {}): Promise<AnalysisReport> {
  const spec = analysisPlan.spec as NormalisedPlan;
  const actual = await sha256Hex(canonicalJson(spec));
  if (actual !== analysisPlan.fingerprint || analysisPlan.canonical !== canonicalJson(spec)) throw new PlanIntegrityError(analysisPlan.fingerprint, actual);
  const columns: DataColumns = isTable(data) ? tableColumns(data) : data;
  const levels = checkData(spec, columns);
  const model = lmm(spec.formula, columns, { reml: spec.reml, na: spec.missing, levels });
  const hypotheses = testHypotheses(spec, model);
  const deletion = { pool: options.pool, workers: options.workers, signal: options.signal };
  const diagnostics: DiagnosticResult[] = [];
  for (const d of spec.diagnostics) diagnostics.push(await runDiagnostic(d, model, columns, deletion));
  return {
    planFingerprint: analysisPlan.fingerprint,
    dataFingerprint: await dataFingerprint(columns),
    plan: spec,
    model: model.toJSON(),
    hypotheses,
    diagnostics,
    warnings: model.warnings.map((w) => ({ code: w.code, message: w.message })),
  };
}

function isTable(data: unknown): data is ColumnTable {
  return typeof (data as ColumnTable).columnNames === "function" && typeof (data as ColumnTable).array === "function";
}

/** Every column, grouping and level the plan names must exist; returns the `levels` option of the contrasts. */
function checkData(spec: NormalisedPlan, data: DataColumns): Record<string, string[]> {
  const available = Object.keys(data);
  const has = (c: string) => Object.prototype.hasOwnProperty.call(data, c);
  const model = expandFormula(parseFormula(spec.formula));
  const needed = [...new Set([...model.variables.values()].map((v) => v.column))];
  const groupLabels = model.random.map((r) => r.groupLabel);
  const missing = needed.filter((c) => !has(c));
  if (missing.length > 0) throw new PlanDataError("the formula's column(s)", missing, available);
  for (const d of spec.diagnostics) {
    if (d.name === "influence" || d.name === "loso" || d.name === "shrinkage") {
      const ok = groupLabels.includes(d.group) || (d.name !== "shrinkage" && has(d.group));
      if (!ok) throw new PlanDataError(`${d.name}'s grouping`, [d.group], d.name === "shrinkage" ? groupLabels : [...groupLabels, ...available]);
    }
    if (d.name === "residualTrend" && d.against !== "fitted" && !has(d.against) && !model.variables.has(d.against)) {
      throw new PlanDataError("residualTrend's covariate", [d.against], ["fitted", ...available]);
    }
  }
  const levels: Record<string, string[]> = Object.create(null);
  for (const [column, contrast] of Object.entries(spec.contrasts)) {
    if (!has(column)) throw new PlanDataError("the contrasts' column(s)", [column], available);
    if (contrast.reference === null) continue;
    const values = distinctLabels(data[column]);
    if (!values.includes(contrast.reference)) throw new PlanDataError(`levels of ${JSON.stringify(column)}: reference`, [contrast.reference], values);
    levels[column] = [contrast.reference, ...values.filter((v) => v !== contrast.reference)];
  }
  return levels;
}

/** The column's labels in the order the fitter would sort them (numbers numerically, else by code point). */
function distinctLabels(column: ArrayLike<unknown>): string[] {
  const seen = new Map<string, unknown>();
  for (let i = 0; i < column.length; i++) {
    const v = column[i];
    if (v === null || v === undefined || (typeof v === "number" && Number.isNaN(v))) continue;
    const label = typeof v === "boolean" ? (v ? "TRUE" : "FALSE") : String(v);
    if (!seen.has(label)) seen.set(label, v);
  }
  const numeric = [...seen.values()].every((v) => typeof v === "number");
  return [...seen.keys()].sort(numeric ? (a, b) => Number(a) - Number(b) : (a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

/** Each hypothesis Σ w·β = rhs as lmerTest's `contest1D` with the plan's df method (the report's df). */
function testHypotheses(spec: NormalisedPlan, model: LinearMixedModel): HypothesisResult[] {
  const names = model.fixefNames;
  return spec.hypotheses.map((h) => {
    const unknown = Object.keys(h.coefficients).filter((n) => !names.includes(n));
    if (unknown.length > 0) throw new PlanDataError(`hypothesis ${JSON.stringify(h.name)}: coefficient(s)`, unknown, names);
    const w = Float64Array.from(names, (n) => h.coefficients[n] ?? 0);
    const test = contrastTest(model, w, { ddf: spec.ddf });
    // The test is of Σ w·β = 0; the standard error and df do not depend on rhs.
    const estimate = test.estimate - h.rhs;
    const t = estimate / test.stdError;
    const pValue = pt2(t, test.df);
    return { name: h.name, estimate, se: test.stdError, t, df: test.df, pValue, rejected: pValue < spec.alpha };
  });
}

async function runDiagnostic(d: PlannedDiagnostic, model: LinearMixedModel, data: DataColumns, deletion: RunPlanOptions): Promise<DiagnosticResult> {
  switch (d.name) {
    case "residuals":
      return { spec: d, result: residualDiagnostics(model) };
    case "residualTrend":
      return { spec: d, result: residualTrend(model, d.against, { data, residuals: d.residuals }) };
    case "qq":
      return { spec: d, result: qq(model, { nsim: d.nsim, seed: d.seed, level: d.level, residuals: d.residuals, signal: deletion.signal }) };
    case "observationInfluence":
      return { spec: d, result: observationInfluence(model) };
    case "influence":
      return { spec: d, result: await clusterInfluence(model, { data, group: d.group, start: d.start, ...deletion }) };
    case "loso":
      return { spec: d, result: await leaveOneLevelOut(model, { data, group: d.group, partialPooling: d.partialPooling ?? undefined, predictWith: d.predictWith, ...deletion }) };
    case "shrinkage":
      return { spec: d, result: shrinkage(model, d.group) };
  }
}
