// Runs inside a Web Worker: the long computations of the notebooks, so a page never blocks.
// Every task gets the model's formula, data and options and returns plain data only; tasks with
// steps report them through ctx.progress (the page's progress bar).
import { augment } from "@lmm/arquero";
import { lmm, type DataColumns, type FitOptions } from "@lmm/core";
import { serveTasks, type TaskContext } from "@lmm/core/parallel";
import { clusterInfluence, dataFingerprint, leaveOneLevelOut, plan, qq, run, type PlanSpec } from "@lmm/diagnostics";
import { table } from "arquero";
import { gwasComparison, type GwasRequest } from "./gwas.js";
import { batchStudy, type BatchStudyRequest } from "./batchStudy.js";
import { csvText } from "./workbench/csv.js";
import { parquetArrowStream, parquetRows } from "./workbench/parquetRows.js";
import { readTableFile } from "./workbench/readTable.js";
import type { LoadedTable } from "./workbench/table.js";

/** What identifies a model: formula, data, options (and θ̂ once known, to skip the optimisation). */
export interface ModelRequest {
  formula: string;
  data: DataColumns;
  options: Omit<FitOptions, "onEvaluation" | "signal">;
  theta?: number[];
  /** δ̂ per level with a dispersion formula (taken with θ̂). */
  delta?: number[];
}

/** What the worker's fit says besides θ̂: evaluations, convergence, and the warnings of its checks. */
export interface FitInfo {
  theta: number[];
  /** δ̂ per level with a dispersion formula (the reference level's 1). */
  delta?: number[];
  evaluations: number;
  converged: boolean;
  warnings: { code: string; message: string }[];
}

/** Typed arrays as plain arrays, so a report survives JSON (and any viewer). */
function plainNumbers(_key: string, value: unknown): unknown {
  return ArrayBuffer.isView(value) ? Array.from(value as unknown as ArrayLike<number>) : value;
}

function rebuild(r: ModelRequest) {
  return lmm(r.formula, r.data, { ...r.options, theta: r.theta, ...(r.delta ? { delta: r.delta } : {}), checkConvergence: false });
}

/** A (done, total) callback that moves the page's progress bar. */
const stepProgress = (ctx: TaskContext) => (done: number, total: number) => ctx.progress(total > 0 ? done / total : 1);

export default serveTasks({
  /** θ̂ of one fit, with how the optimiser got there and lme4's convergence checks (for n < 10,000). */
  fit: (r: ModelRequest): FitInfo => {
    const m = lmm(r.formula, r.data, r.options);
    const warnings = m.warnings.map((w) => ({ code: w.code, message: w.message }));
    const converged = m.optimisation.converged && !warnings.some((w) => w.code === "CONVERGENCE" || w.code === "HESSIAN" || w.code === "OPTIMIZER");
    return { theta: Array.from(m.theta), ...(m.dispersion ? { delta: Array.from(m.dispersion.delta) } : {}), evaluations: m.optimisation.evaluations, converged, warnings };
  },
  /** Cluster influence by exact case deletion (warm-started refits, in this worker). */
  influence: async (r: ModelRequest & { group: string }, ctx: TaskContext) => {
    const inf = await clusterInfluence(rebuild(r), { data: r.data, group: r.group, workers: 0, onProgress: stepProgress(ctx) });
    const { table: _table, ...plain } = inf;
    return plain;
  },
  /** Q-Q data of residuals and conditional modes with a simulation envelope (nsim refits). */
  qq: (r: ModelRequest & { nsim: number; seed: number }, ctx: TaskContext) => qq(rebuild(r), { nsim: r.nsim, seed: r.seed, onProgress: stepProgress(ctx) }),
  /** Naive, PC-corrected and LMM scans of one cohort, plus the core's fit with K. */
  gwas: (r: GwasRequest) => gwasComparison(r),
  /** An analysis plan run on data: the report, as plain data. */
  plan: async (r: { spec: PlanSpec; data: DataColumns }) => JSON.parse(JSON.stringify(await run(await plan(r.spec), r.data), plainNumbers)),
  /** Variance decomposition, ComBat and LMM harmonisation, and their proof tables. */
  batchStudy: (r: BatchStudyRequest) => batchStudy(r),
  /** Leave-one-level-out cross-validation against a fixed-effects-only model. */
  loso: async (r: ModelRequest & { group: string; partial?: number }, ctx: TaskContext) => {
    const cv = await leaveOneLevelOut(rebuild(r), { data: r.data, group: r.group, workers: 0, partialPooling: r.partial ? { k: r.partial } : undefined, onProgress: stepProgress(ctx) });
    const { table: _table, ...plain } = cv;
    return plain;
  },
  /** The whole table with `.fitted`, `.fixed`, `.resid`, `.hat`, `.dropped` (broom.mixed's augment), as CSV. */
  augmentCsv: (r: ModelRequest & { table: DataColumns }) => csvText(augment(rebuild(r), table(r.table as Record<string, ArrayLike<unknown>>))),
  /** SHA-256 of the data, as an analysis plan's report fingerprints it. */
  fingerprint: (data: DataColumns) => dataFingerprint(data),
  /** A user's file read with @lmm/arquero's readers; numeric columns and codes move back without a copy. */
  readTable: async (file: File, ctx: TaskContext): Promise<LoadedTable> => {
    const loaded = await readTableFile({ name: file.name, bytes: await file.arrayBuffer() }, (f) => ctx.progress(f));
    for (const c of loaded.columns) ctx.transfer(c.kind === "numeric" ? c.values.buffer : c.codes.buffer);
    return loaded;
  },
  /** The rows a Parquet file's footer declares (nothing else is read). */
  parquetRows: (file: File): Promise<number> => parquetRows(file),
  /** A Parquet file's rows as one Arrow IPC stream (transferred, not copied, to the page). */
  parquetArrow: async (file: File, ctx: TaskContext): Promise<Uint8Array> => {
    const stream = await parquetArrowStream(file);
    ctx.transfer(stream.buffer);
    return stream;
  },
});
