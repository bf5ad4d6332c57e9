import { createPool, type WorkerPool } from "@lmm/core/parallel";
import type tasks from "./worker.js";

/** A worker pool that fits the features of {@link fitSqlEach} and `varpartSql` from their cells. */
export type FitSqlPool = WorkerPool<typeof tasks>;

/**
 * Starts a pool of `size` workers for `fitSqlEach` and `varpartSql` (Node worker threads or browser
 * module Web Workers). Reuse one pool over many calls (workers start once, 0.1–0.3 s each); close it when done.
 *
 * @example
 * ```ts
 * const pool = createFitSqlPool(2);
 * try { await fitSqlEach(engine, { table: "expression" }, "value ~ (1 | donor)", { by: "gene", workers: pool }) } finally { await pool.close() }
 * ```
 */
export function createFitSqlPool(size?: number): FitSqlPool {
  return createPool<typeof tasks>({
    workerUrl: new URL("./worker.js", import.meta.url),
    browserWorker: () => new Worker(new URL("./worker.js", import.meta.url), { type: "module" }),
    load: () => import("./worker.js"),
    size,
  });
}
