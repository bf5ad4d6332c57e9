/** True in Node (and runtimes that emulate it: Bun, Deno), where worker_threads exists. */
export function isNodeRuntime(): boolean {
  const process = (globalThis as { process?: { versions?: { node?: unknown } } }).process;
  return typeof process?.versions?.node === "string";
}

/** True inside a browser Web Worker (dedicated or shared). */
export function isWebWorkerScope(): boolean {
  const scope = (globalThis as { WorkerGlobalScope?: abstract new () => unknown }).WorkerGlobalScope;
  return typeof scope === "function" && globalThis instanceof scope;
}

/**
 * The Node-only half of this folder. Imported dynamically, and only after `isNodeRuntime()`,
 * so browser code never executes it (bundlers may still emit it as a small unused chunk).
 */
export function loadNodeRuntime(): Promise<typeof import("./nodeRuntime.js")> {
  return import("./nodeRuntime.js");
}

/**
 * Default number of workers: logical cores minus one (the main thread keeps one), at least 1.
 * Async because Node 20 has no synchronous, browser-safe way to reach `os.availableParallelism()`.
 *
 * @example
 * ```ts
 * const pool = createPool({ workerUrl, size: await defaultPoolSize() });
 * ```
 */
export async function defaultPoolSize(): Promise<number> {
  const navigator = (globalThis as { navigator?: { hardwareConcurrency?: unknown } }).navigator;
  let cores = typeof navigator?.hardwareConcurrency === "number" ? navigator.hardwareConcurrency : undefined;
  if (cores === undefined && isNodeRuntime()) cores = await (await loadNodeRuntime()).availableCores();
  return Math.max(1, Math.floor((cores ?? 2) - 1));
}
