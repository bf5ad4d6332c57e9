import { createPool, type WorkerPool } from "@lmm/core/parallel";
import type scanTasks from "./scanWorker.js";

/** A worker pool that runs LMM scan blocks (pass it to lmmScan or compareMethods as `pool`). */
export type ScanPool = WorkerPool<typeof scanTasks>;

/**
 * Creates a worker pool for LMM scans: Node worker threads, or module Web Workers in browsers; `size: 0` runs
 * the blocks in this thread through the same code. Close it when done.
 *
 * @example
 * ```ts
 * const pool = createScanPool({ size: 2 });
 * try { await lmmScan({ genotypes, phenotype, pool }); } finally { await pool.close(); }
 * ```
 */
export function createScanPool(options: { size?: number } = {}): ScanPool {
  return createPool<typeof scanTasks>({
    workerUrl: new URL("./scanWorker.js", import.meta.url),
    browserWorker: () => new Worker(new URL("./scanWorker.js", import.meta.url), { type: "module" }),
    load: () => import("./scanWorker.js"),
    size: options.size,
  });
}

/**
 * Starts the pool's workers now, each loading the scan's module, so that they are ready when the first
 * task comes (a pool starts its workers on its first run): call it before reading the inputs, and the
 * workers' start overlaps the reading. Resolves when every worker has answered.
 *
 * @example
 * ```ts
 * const pool = createScanPool({ size: 2 });
 * const started = startScanPool(pool, 2); // then read the genotypes…
 * await started;
 * ```
 */
export function startScanPool(pool: ScanPool, workers: number): Promise<unknown> {
  return runOnEach(pool, "ready", workers);
}

/**
 * Has each started worker load the eigen-decomposition's and the scan's modules now (a worker starts with the
 * relationship matrix's code alone): call it when the workers would otherwise wait, e.g. while this thread
 * reduces the kinship to tridiagonal form. Tasks load what they need anyway, so this only moves the loading.
 *
 * @example
 * ```ts
 * const loading = loadScanModules(pool); // then centre and reduce K…
 * await loading;
 * ```
 */
export function loadScanModules(pool: ScanPool): Promise<unknown> {
  return runOnEach(pool, "load", Math.max(1, pool.workerCount));
}

// A payload-free task once per worker (one payload each, a chunk of one: idle workers take one each).
function runOnEach(pool: ScanPool, task: "ready" | "load", workers: number): Promise<unknown> {
  return pool.run(task, Array.from({ length: workers }, () => 0), { chunkSize: 1 });
}
