import { isNodeRuntime, isWebWorkerScope, loadNodeRuntime } from "./platform.js";
import { createTaskServer } from "./taskServer.js";
import type { TaskTable } from "./tasks.js";
import { InvalidArgumentError } from "../errors/LmmError.js";

/**
 * Declares the tasks a worker module serves. Call it at the top level of the module and make its
 * result the module's default export: inside a pool worker it starts answering the pool; in the
 * main thread (a `size: 0` pool imports the module in-process) it only hands the table over.
 *
 * @example
 * ```ts
 * // fitWorker.ts
 * import { serveTasks } from "@lmm/core";
 * export default serveTasks({
 *   square: (x: number) => x * x,
 *   mean: (xs: Float64Array, ctx) => { ctx.progress(0.5); return xs.reduce((a, b) => a + b, 0) / xs.length },
 * });
 * ```
 */
export function serveTasks<T extends TaskTable>(tasks: T): T {
  if (typeof tasks !== "object" || tasks === null) throw new InvalidArgumentError("tasks", tasks, "an object of handler functions");
  for (const name of Object.keys(tasks)) {
    if (typeof tasks[name] !== "function") throw new InvalidArgumentError(`tasks.${name}`, tasks[name], "a function");
  }
  // Only the worker's own module serves: a task module imported later inside the worker (a size-0
  // pool of another package, run from a task) must not answer this worker's pool as well.
  if (serving) return tasks;
  if (isNodeRuntime()) {
    // A rejection here (the Node half failed to load) crashes the worker, which the pool reports.
    serving = true;
    void loadNodeRuntime().then((node) => node.serveOnParentPort(tasks));
  } else if (isWebWorkerScope()) {
    serving = true;
    serveOnWorkerScope(tasks);
  }
  return tasks;
}

let serving = false;

interface WorkerScope {
  postMessage(message: unknown, transfer: Transferable[]): void;
  addEventListener(type: "message", listener: (event: MessageEvent) => void): void;
}

function serveOnWorkerScope(tasks: TaskTable): void {
  const scope = globalThis as unknown as WorkerScope;
  const server = createTaskServer(tasks, (message, transfer) => scope.postMessage(message, transfer));
  // The server answers only messages tagged by a pool, so a worker that merely imports this
  // module (say, to run a size-0 pool itself) is not disturbed.
  scope.addEventListener("message", (event) => server.receive(event.data));
}
