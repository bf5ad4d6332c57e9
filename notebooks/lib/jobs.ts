// Long computations for notebook cells, run in a Web Worker (one shared worker; tasks queue). Each
// takes an optional control: the signal of a Cancel button (the worker is stopped at once) and a
// progress callback.
import type { PlanSpec } from "@lmm/diagnostics";
import { formulaColumns } from "@lmm/arquero";
import { createPool } from "@lmm/core/parallel";
import { lmm, UnknownColumnError, type DataColumns, type FitOptions, type LinearMixedModel } from "@lmm/core";
import type tasks from "./notebookWorker.js";
import type { FitInfo } from "./notebookWorker.js";
import type { GwasRequest } from "./gwas.js";
import type { BatchStudyRequest } from "./batchStudy.js";

type Options = Omit<FitOptions, "onEvaluation" | "signal">;
type Tasks = typeof tasks;

/** A Cancel button's signal and a progress callback (payloads done, total, fraction of the work). */
export interface Control {
  signal?: AbortSignal;
  onProgress?: (done: number, total: number, fraction: number) => void;
}

let pool: ReturnType<typeof createPool<Tasks>> | null = null;

function workerPool() {
  pool ??= createPool<Tasks>({
    workerUrl: new URL("./notebookWorker.js", import.meta.url),
    browserWorker: () => new Worker(new URL("./notebookWorker.ts", import.meta.url), { type: "module" }),
    size: 1,
  });
  return pool;
}

/** Runs one task on one payload in the worker. */
async function runTask<K extends keyof Tasks & string>(task: K, payload: Parameters<Tasks[K]>[0], control: Control = {}): Promise<Awaited<ReturnType<Tasks[K]>>> {
  const [result] = await workerPool().run(task, [payload] as never, { signal: control.signal, onProgress: control.onProgress });
  return result as Awaited<ReturnType<Tasks[K]>>;
}

/**
 * The formula parses and every column it names exists: checked here, at once, so a typo is
 * reported before any worker starts (typed errors: FormulaSyntaxError, UnknownColumnError …).
 */
export function checkFormula(formula: string, data: DataColumns): void {
  const available = Object.keys(data);
  for (const { column } of formulaColumns(formula)) if (!Object.prototype.hasOwnProperty.call(data, column)) throw new UnknownColumnError(column, available);
}

/**
 * Fits in the worker and resolves to the model, rebuilt on this thread at θ̂ (one evaluation), and
 * what the worker's fit said: evaluations, convergence and the warnings of lme4's checks (which the
 * rebuilt model, given θ̂, does not repeat). Formula and column errors throw at once; data errors
 * come back from the worker.
 */
export async function fitWithInfoInWorker(formula: string, data: DataColumns, options: Options = {}, control: Control = {}): Promise<{ model: LinearMixedModel; info: FitInfo }> {
  checkFormula(formula, data);
  const info = await runTask("fit", { formula, data, options }, control);
  return { model: lmm(formula, data, { ...options, theta: info.theta, ...(info.delta ? { delta: info.delta } : {}) }), info };
}

/** Fits in the worker and resolves to the model, rebuilt on this thread at θ̂ (see {@link fitWithInfoInWorker}). */
export async function fitInWorker(formula: string, data: DataColumns, options: Options = {}, control: Control = {}): Promise<LinearMixedModel> {
  return (await fitWithInfoInWorker(formula, data, options, control)).model;
}

const request = (model: LinearMixedModel, data: DataColumns, options: Options) => ({
  formula: model.formula,
  data,
  options: { ...options, reml: model.reml },
  theta: Array.from(model.theta),
  ...(model.dispersion ? { delta: Array.from(model.dispersion.delta) } : {}),
});

/** Cluster influence of a fitted model, computed in the worker. */
export async function influenceInWorker(model: LinearMixedModel, data: DataColumns, group: string, options: Options = {}, control: Control = {}) {
  return runTask("influence", { ...request(model, data, options), group }, control);
}

/** Leave-one-level-out cross-validation of a fitted model, computed in the worker. */
export async function losoInWorker(model: LinearMixedModel, data: DataColumns, group: string, options: Options & { partial?: number } = {}, control: Control = {}) {
  const { partial, ...fit } = options;
  return runTask("loso", { ...request(model, data, fit), group, partial }, control);
}

/** Q-Q data with a seeded simulation envelope, computed in the worker. */
export async function qqInWorker(model: LinearMixedModel, data: DataColumns, options: Options & { nsim?: number; seed?: number } = {}, control: Control = {}) {
  const { nsim = 99, seed = 1, ...fit } = options;
  return runTask("qq", { ...request(model, data, fit), nsim, seed }, control);
}

/** The model's data with broom.mixed's per-row columns (`augment`) as CSV text, made in the worker. */
export async function augmentCsvInWorker(model: LinearMixedModel, data: DataColumns, table: DataColumns, options: Options = {}, control: Control = {}) {
  return runTask("augmentCsv", { ...request(model, data, options), table }, control);
}

/** SHA-256 fingerprint of data (as the analysis plan's report computes it), in the worker. */
export async function fingerprintInWorker(data: DataColumns, control: Control = {}) {
  return runTask("fingerprint", data, control);
}

/** A user's file read in the worker (the page never parses it): the workbench's table. */
export async function readTableInWorker(file: File, control: Control = {}) {
  return runTask("readTable", file, control);
}

/** The rows of a Parquet file, from its footer, read in the worker. */
export async function parquetRowsInWorker(file: File, control: Control = {}) {
  return runTask("parquetRows", file, control);
}

/** A Parquet file's rows as an Arrow IPC stream, decoded in the worker (for DuckDB-wasm). */
export async function parquetArrowInWorker(file: File, control: Control = {}) {
  return runTask("parquetArrow", file, control);
}

/** The three association scans of a cohort and the core's heritability fit, computed in the worker. */
export async function gwasInWorker(request: GwasRequest, control: Control = {}) {
  return runTask("gwas", request, control);
}

/** Runs an analysis plan on data in the worker; resolves to the report (plain data). */
export async function runPlanInWorker(spec: PlanSpec, data: DataColumns, control: Control = {}) {
  return runTask("plan", { spec, data }, control);
}

/** Variance decomposition and the two harmonisations with their proof, computed in the worker. */
export async function batchStudyInWorker(request: BatchStudyRequest, control: Control = {}) {
  return runTask("batchStudy", request, control);
}
