import type { DataColumns, LinearMixedModel } from "@lmm/core";
import { criterionOf } from "@lmm/core/engine";
import { createDeletionPool, type DeletionPool } from "./deletionPool.js";
import type { DeletionOutcome, DeletionPayload, DeletionShared, RefitStart } from "./deletionTask.js";
import type { Grouping } from "./grouping.js";
import { criterionHessian } from "./hessian.js";
import { fittedLevels, usedColumns } from "./modelData.js";

/** How deletion refits run: where, how they start, and how the caller follows and stops them. */
export interface DeletionRunOptions {
  /** Warm (default): start each refit at the full fit's θ, as lme4's influence.merMod does. Cold: lme4's default start. */
  start?: RefitStart;
  /**
   * Optimiser of warm refits: `"newton"` (default) takes quasi-Newton steps with the full fit's
   * Hessian and falls back to BOBYQA when they do not converge; `"bobyqa"` runs BOBYQA from θ̂ as lme4.
   * Both stop at the same optimum, to optimiser tolerance.
   */
  optimizer?: "newton" | "bobyqa";
  /** A pool from {@link createDeletionPool} (reused, not closed). */
  pool?: DeletionPool;
  /** Without `pool`: number of workers of a pool made for this call (default 0: in this thread). */
  workers?: number;
  /** Aborting rejects with `RunAbortedError` (an `AbortedError` from `@lmm/core`). */
  signal?: AbortSignal;
  /** `done` refits of `total`; `fraction` in 0–1. */
  onProgress?: (done: number, total: number, fraction: number) => void;
  /** Evaluation budget of one refit. */
  maxEval?: number;
  /** Level order of categorical columns, when the fit used an order the data alone do not give (default: the fit's own). */
  levels?: Record<string, readonly string[]>;
}

/** What a run needs besides its payloads: the shared part of every refit. */
export function deletionShared(model: LinearMixedModel, data: DataColumns, grouping: Grouping, options: DeletionRunOptions, predict: DeletionShared["predict"]): DeletionShared {
  const start = options.start ?? "warm";
  let hessian: Float64Array | null = null;
  if (start === "warm" && (options.optimizer ?? "newton") === "newton") {
    hessian = criterionHessian(criterionOf(model), model.theta, model.structure.thetaLower);
  }
  // Column names are data: a column called "__proto__" must stay an ordinary key.
  const levels = fittedLevels(model);
  for (const [k, v] of Object.entries(options.levels ?? {})) levels[k] = v.slice();
  const used = usedColumns(model, data);
  return {
    formula: model.formula,
    reml: model.reml,
    data: used.columns,
    options: used.options,
    levels,
    codes: grouping.codes,
    theta: Float64Array.from(model.theta),
    hessian,
    fixefNames: model.fixefNames.slice(),
    start,
    maxEval: options.maxEval,
    predict,
  };
}

/** Runs the refits through the given pool, or through a pool made (and closed) for this call. */
export async function runDeletions(shared: DeletionShared, payloads: DeletionPayload[], labels: string[], options: DeletionRunOptions): Promise<DeletionOutcome[]> {
  const pool = options.pool ?? createDeletionPool({ size: options.workers ?? 0 });
  try {
    return await pool.run("refitWithout", payloads, {
      shared,
      label: (p) => labels[p.level],
      onProgress: options.onProgress,
      signal: options.signal,
    });
  } finally {
    if (!options.pool) await pool.close();
  }
}
