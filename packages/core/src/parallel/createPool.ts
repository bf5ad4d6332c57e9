import { InvalidArgumentError } from "../errors/LmmError.js";
import { connectWorker, inProcessEndpoint, type Endpoint, type EndpointEvents, type WorkerLike } from "./endpoint.js";
import { WorkerStartError } from "./errors.js";
import { defaultPoolSize, isNodeRuntime, loadNodeRuntime } from "./platform.js";
import { taskNames, type TaskModule, type TaskTable } from "./tasks.js";
import { WorkerPool } from "./WorkerPool.js";

/**
 * Options of {@link createPool}.
 *
 * @example
 * ```ts
 * const options: PoolOptions = { workerUrl: new URL("./fitWorker.js", import.meta.url), size: 2 };
 * ```
 */
export interface PoolOptions {
  /**
   * The task module (a file whose default export is `serveTasks({...})`), usually
   * `new URL("./myWorker.js", import.meta.url)`. In Node a missing `.js` falls back to the `.ts`
   * beside it, and `.ts` modules run through tsx, so sources work without a build.
   */
  workerUrl?: URL | string;
  /** Number of workers; default `await defaultPoolSize()`. 0 runs the tasks in this thread. */
  size?: number;
  /** Starts one worker; replaces the platform default (Node worker thread / module Web Worker). */
  spawn?: (url: URL | undefined) => WorkerLike | Promise<WorkerLike>;
  /**
   * Browsers only: starts one worker. Write it literally as
   * `() => new Worker(new URL("./myWorker.js", import.meta.url), { type: "module" })`, the one
   * form Vite, webpack and Parcel recognise and bundle.
   */
  browserWorker?: () => WorkerLike;
  /**
   * Imports the task module in this thread (size 0), e.g. `() => import("./myWorker.js")`:
   * a static specifier a bundler can see. Default: `import(workerUrl)`.
   */
  load?: () => Promise<TaskModule>;
  /** Payloads per message; "auto" (default) aims at ~40 ms of work per message. */
  chunkSize?: number | "auto";
  /** A worker that has not answered after this long (ms) counts as failed to start. Default 60 000. */
  startTimeoutMs?: number;
}

/**
 * Creates a pool of workers that run the named tasks of one module; workers start on the first
 * `run`. In Node they are worker threads, in browsers module Web Workers; `size: 0` runs the same
 * handlers in this thread, with the same cloning, so serial and parallel results are identical.
 *
 * @example
 * ```ts
 * import { createPool } from "@lmm/core";
 * const pool = createPool({ workerUrl: new URL("./squareWorker.js", import.meta.url), size: 2 });
 * const squares = await pool.run("square", [1, 2, 3]); // [1, 4, 9]
 * await pool.close();
 * ```
 */
export function createPool<T extends TaskTable = TaskTable>(options: PoolOptions): WorkerPool<T> {
  const url = toUrl(options.workerUrl);
  const { size, chunkSize = "auto", startTimeoutMs = 60_000 } = options;
  if (size !== undefined && !(Number.isInteger(size) && size >= 0)) throw new InvalidArgumentError("size", size, "a whole number ≥ 0");
  if (chunkSize !== "auto" && !(Number.isInteger(chunkSize) && chunkSize >= 1)) {
    throw new InvalidArgumentError("chunkSize", chunkSize, 'a positive integer or "auto"');
  }
  if (!(startTimeoutMs > 0)) throw new InvalidArgumentError("startTimeoutMs", startTimeoutMs, "a positive number of milliseconds");
  if (url === undefined && options.spawn === undefined && options.browserWorker === undefined && options.load === undefined) {
    throw new InvalidArgumentError("workerUrl", undefined, "the URL of a task module (or spawn/browserWorker/load)");
  }
  const serial = size === 0;
  const connect = serial
    ? (events: EndpointEvents): Endpoint => inProcessEndpoint(() => loadTable(url, options.load), events)
    : async (events: EndpointEvents): Promise<Endpoint> => connectWorker(await startWorker(url, options), events);
  return new WorkerPool<T>({
    size: size ?? defaultPoolSize,
    threaded: !serial,
    connect,
    chunkSize,
    startTimeoutMs,
    module: url?.href,
  });
}

function toUrl(value: URL | string | undefined): URL | undefined {
  if (value === undefined || value instanceof URL) return value;
  try {
    return new URL(value);
  } catch {
    throw new InvalidArgumentError("workerUrl", value, "an absolute URL, e.g. new URL(\"./w.js\", import.meta.url)");
  }
}

async function startWorker(url: URL | undefined, options: PoolOptions): Promise<WorkerLike> {
  if (options.spawn) return options.spawn(url);
  if (isNodeRuntime()) {
    if (url === undefined) throw new WorkerStartError(undefined, "workerUrl is needed to start Node worker threads");
    return (await loadNodeRuntime()).spawnNodeWorker(url);
  }
  if (options.browserWorker) return options.browserWorker();
  if (typeof Worker !== "function") throw new WorkerStartError(url?.href, "this environment has no Web Workers; use size: 0");
  if (url === undefined) throw new WorkerStartError(undefined, "workerUrl (or browserWorker) is needed to start Web Workers");
  return new Worker(url, { type: "module", name: "lmm-pool" });
}

async function loadTable(url: URL | undefined, load: PoolOptions["load"]): Promise<TaskTable> {
  let module: unknown;
  if (load) module = await load();
  else if (url === undefined) throw new WorkerStartError(undefined, "workerUrl (or load) is needed to import the tasks");
  else {
    const href = isNodeRuntime() ? (await (await loadNodeRuntime()).resolveModuleUrl(url)).href : url.href;
    module = await import(/* webpackIgnore: true */ /* @vite-ignore */ href);
  }
  const table = (module as { default?: unknown } | undefined)?.default;
  if (typeof table !== "object" || table === null || taskNames(table as TaskTable).length === 0) {
    throw new WorkerStartError(url?.href, "its default export is not a task table; write `export default serveTasks({ ... })`");
  }
  return table as TaskTable;
}
