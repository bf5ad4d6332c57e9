// Runs inside a Web Worker: the long computations of the notebooks, so a page never blocks.
// Every task gets the model's formula, data and options and returns plain data only.
import { lmm, serveTasks, type DataColumns, type FitOptions } from "@lmm/core";
import { clusterInfluence, leaveOneLevelOut, plan, qq, run, type PlanSpec } from "@lmm/diagnostics";
import { gwasComparison, type GwasRequest } from "./gwas.js";
import { batchStudy, type BatchStudyRequest } from "./batchStudy.js";

/** What identifies a model: formula, data, options (and θ̂ once known, to skip the optimisation). */
export interface ModelRequest {
  formula: string;
  data: DataColumns;
  options: Omit<FitOptions, "onEvaluation" | "signal">;
  theta?: number[];
}

/** Typed arrays as plain arrays, so a report survives JSON (and any viewer). */
function plainNumbers(_key: string, value: unknown): unknown {
  return ArrayBuffer.isView(value) ? Array.from(value as unknown as ArrayLike<number>) : value;
}

function rebuild(r: ModelRequest) {
  return lmm(r.formula, r.data, { ...r.options, theta: r.theta, checkConvergence: false });
}

export default serveTasks({
  /** θ̂ of one fit. */
  fit: (r: ModelRequest) => {
    const m = lmm(r.formula, r.data, { ...r.options, checkConvergence: false });
    return { theta: Array.from(m.theta), evaluations: m.optimization.evaluations };
  },
  /** Cluster influence by exact case deletion (warm-started refits, in this worker). */
  influence: async (r: ModelRequest & { group: string }) => {
    const inf = await clusterInfluence(rebuild(r), { data: r.data, group: r.group, workers: 0 });
    const { table: _table, ...plain } = inf;
    return plain;
  },
  /** Q-Q data of residuals and conditional modes with a simulation envelope (nsim refits). */
  qq: (r: ModelRequest & { nsim: number; seed: number }) => qq(rebuild(r), { nsim: r.nsim, seed: r.seed }),
  /** Naive, PC-corrected and LMM scans of one cohort, plus the core's fit with K. */
  gwas: (r: GwasRequest) => gwasComparison(r),
  /** An analysis plan run on data: the report, as plain data. */
  plan: async (r: { spec: PlanSpec; data: DataColumns }) => JSON.parse(JSON.stringify(await run(await plan(r.spec), r.data), plainNumbers)),
  /** Variance decomposition, ComBat and LMM harmonisation, and their proof tables. */
  batchStudy: (r: BatchStudyRequest) => batchStudy(r),
  /** Leave-one-level-out cross-validation against a fixed-effects-only model. */
  loso: async (r: ModelRequest & { group: string; partial?: number }) => {
    const cv = await leaveOneLevelOut(rebuild(r), { data: r.data, group: r.group, workers: 0, partialPooling: r.partial ? { k: r.partial } : undefined });
    const { table: _table, ...plain } = cv;
    return plain;
  },
});
