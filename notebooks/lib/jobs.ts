// Long computations for notebook cells, run in a Web Worker (one shared worker; tasks queue).
import type { PlanSpec } from "@lmm/diagnostics";
import { buildLmmDesign, createPool, lmm, type DataColumns, type FitOptions, type LinearMixedModel } from "@lmm/core";
import type tasks from "./notebookWorker.js";
import type { GwasRequest } from "./gwas.js";
import type { BatchStudyRequest } from "./batchStudy.js";

type Options = Omit<FitOptions, "onEvaluation" | "signal">;
let pool: ReturnType<typeof createPool<typeof tasks>> | null = null;

function workerPool() {
  pool ??= createPool<typeof tasks>({
    workerUrl: new URL("./notebookWorker.js", import.meta.url),
    browserWorker: () => new Worker(new URL("./notebookWorker.ts", import.meta.url), { type: "module" }),
    size: 1,
  });
  return pool;
}

/**
 * Fits in the worker and resolves to the model, rebuilt on this thread at θ̂ (one evaluation).
 * Bad input throws its typed error at once, before any worker is involved.
 */
export async function fitInWorker(formula: string, data: DataColumns, options: Options = {}, signal?: AbortSignal): Promise<LinearMixedModel> {
  buildLmmDesign(formula, data, options);
  const [result] = await workerPool().run("fit", [{ formula, data, options }], { signal });
  return lmm(formula, data, { ...options, theta: result.theta });
}

/** Cluster influence of a fitted model, computed in the worker. */
export async function influenceInWorker(model: LinearMixedModel, data: DataColumns, group: string, options: Options = {}) {
  const [result] = await workerPool().run("influence", [{ formula: model.formula, data, options: { ...options, reml: model.reml }, theta: Array.from(model.theta), group }]);
  return result;
}

/** Leave-one-level-out cross-validation of a fitted model, computed in the worker. */
export async function losoInWorker(model: LinearMixedModel, data: DataColumns, group: string, options: Options & { partial?: number } = {}) {
  const { partial, ...fit } = options;
  const [result] = await workerPool().run("loso", [{ formula: model.formula, data, options: { ...fit, reml: model.reml }, theta: Array.from(model.theta), group, partial }]);
  return result;
}

/** Q-Q data with a seeded simulation envelope, computed in the worker. */
export async function qqInWorker(model: LinearMixedModel, data: DataColumns, options: Options & { nsim?: number; seed?: number } = {}) {
  const { nsim = 99, seed = 1, ...fit } = options;
  const [result] = await workerPool().run("qq", [{ formula: model.formula, data, options: { ...fit, reml: model.reml }, theta: Array.from(model.theta), nsim, seed }]);
  return result;
}

/** The three association scans of a cohort and the core's heritability fit, computed in the worker. */
export async function gwasInWorker(request: GwasRequest) {
  const [result] = await workerPool().run("gwas", [request]);
  return result;
}

/** Runs an analysis plan on data in the worker; resolves to the report (plain data). */
export async function runPlanInWorker(spec: PlanSpec, data: DataColumns) {
  const [result] = await workerPool().run("plan", [{ spec, data }]);
  return result;
}

/** Variance decomposition and the two harmonisations with their proof, computed in the worker. */
export async function batchStudyInWorker(request: BatchStudyRequest) {
  const [result] = await workerPool().run("batchStudy", [request]);
  return result;
}
