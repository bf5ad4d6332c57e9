import { createPool, type WorkerPool } from "@lmm/core/parallel";
import type tasks from "./worker.js";

/** A worker pool that runs {@link fitEach}'s per-feature fits. */
export type FitEachPool = WorkerPool<typeof tasks>;

/**
 * Starts a pool of `size` workers for {@link fitEach} (Node worker threads or browser module Web
 * Workers; `size: 0` runs in this thread through the same code). Reuse one pool over many calls:
 * workers start once (0.1–0.3 s each) and keep the design of the last run. Close it when done.
 *
 * @example
 * ```ts
 * const pool = createFitEachPool(2);
 * try { await fitEach(t, "{feature} ~ 1 + (1|patient)", features, { workers: pool }) } finally { await pool.close() }
 * ```
 */
export function createFitEachPool(size?: number): FitEachPool {
  return createPool<typeof tasks>({
    workerUrl: new URL("./worker.js", import.meta.url),
    browserWorker: () => new Worker(new URL("./worker.js", import.meta.url), { type: "module" }),
    load: () => import("./worker.js"),
    size,
  });
}
