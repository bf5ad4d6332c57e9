import { createPool, type WorkerPool } from "@lmm/core/parallel";
import type deletionTasks from "./deletionWorker.js";

/** A worker pool that runs case-deletion refits (cluster influence, leave-one-level-out CV). */
export type DeletionPool = WorkerPool<typeof deletionTasks>;

/**
 * Creates a worker pool for case-deletion refits: Node worker threads or module Web Workers;
 * `size: 0` runs the same task in this thread (identical results). Reuse it across calls and close it.
 *
 * @example
 * ```ts
 * const pool = createDeletionPool({ size: 2 });
 * try { await clusterInfluence(model, { data, group: "site", pool }); } finally { await pool.close(); }
 * ```
 */
export function createDeletionPool(options: { size?: number } = {}): DeletionPool {
  return createPool<typeof deletionTasks>({
    workerUrl: new URL("./deletionWorker.js", import.meta.url),
    browserWorker: () => new Worker(new URL("./deletionWorker.js", import.meta.url), { type: "module" }),
    load: () => import("./deletionWorker.js"),
    size: options.size,
  });
}
