import { WorkerStartError } from "./errors.js";
import type { ToWorker } from "./protocol.js";
import { createTaskServer } from "./taskServer.js";
import type { TaskTable } from "./tasks.js";

/**
 * A browser `Worker` (or anything shaped like one).
 *
 * @example
 * ```ts
 * const spawn = (): WebWorkerLike => new Worker(new URL("./fitWorker.js", import.meta.url), { type: "module" });
 * ```
 */
export interface WebWorkerLike {
  postMessage(message: unknown, transfer: Transferable[]): void;
  addEventListener(type: "message" | "error" | "messageerror", listener: (event: any) => void): void;
  terminate(): void;
}

/**
 * A Node `worker_threads.Worker` (or anything shaped like one). Custom Node spawns must pass
 * `workerData: { lmmPoolWorker: 1 }`, which tells `serveTasks` it runs in a pool thread.
 *
 * @example
 * ```ts
 * const spawn = (url: URL): NodeWorkerLike => new Worker(url, { workerData: { lmmPoolWorker: 1 }, resourceLimits: { maxOldGenerationSizeMb: 512 } });
 * ```
 */
export interface NodeWorkerLike {
  postMessage(message: unknown, transferList?: readonly any[]): void;
  on(event: "message" | "error" | "messageerror" | "exit", listener: (arg: any) => void): unknown;
  terminate(): unknown;
  ref?(): void;
  unref?(): void;
}

/**
 * What a custom `spawn` may return: a Web Worker or a Node worker thread.
 *
 * @example
 * ```ts
 * createPool({ workerUrl, spawn: (url): WorkerLike => new Worker(url!, { type: "module" }) });
 * ```
 */
export type WorkerLike = WebWorkerLike | NodeWorkerLike;

/** The pool's uniform view of one worker, threaded or in-process. */
export interface Endpoint {
  /** A real thread (counted in `workerCount`); false for the in-process server of a size-0 pool. */
  readonly threaded: boolean;
  /** Throws synchronously (DataCloneError) when the message cannot be cloned, like postMessage. */
  send(message: ToWorker, transfer: Transferable[]): void;
  terminate(): Promise<void>;
  /** Node: whether this worker keeps the process alive (busy: yes; idle: no). */
  setActive(active: boolean): void;
}

export interface EndpointEvents {
  message(data: unknown): void;
  /** The worker ended or broke; called at most once. */
  died(reason: string): void;
}

/** Wraps a Web Worker or a Node worker thread. */
export function connectWorker(worker: WorkerLike, events: EndpointEvents): Endpoint {
  let dead = false;
  const died = (reason: string) => {
    if (dead) return;
    dead = true;
    events.died(reason);
  };
  if (isNodeWorker(worker)) {
    let uncaught: unknown;
    worker.on("message", (data) => events.message(data));
    worker.on("error", (error) => (uncaught = error));
    worker.on("messageerror", (error) => died(`a message from the worker could not be deserialised: ${describeThrown(error)}`));
    worker.on("exit", (code) => died(uncaught === undefined ? `exit code ${code}` : `uncaught ${describeThrown(uncaught)}`));
    return {
      threaded: true,
      send: (message, transfer) => worker.postMessage(message, transfer),
      terminate: async () => void (await worker.terminate()),
      setActive: (active) => (active ? worker.ref?.() : worker.unref?.()),
    };
  }
  worker.addEventListener("message", (event: MessageEvent) => events.message(event.data));
  worker.addEventListener("error", (event: ErrorEvent) => {
    event.preventDefault?.(); // reported through the run's promise, not the console
    died(event.message || "the worker failed to load or raised an error");
  });
  worker.addEventListener("messageerror", () => died("a message from the worker could not be deserialised"));
  return {
    threaded: true,
    send: (message, transfer) => worker.postMessage(message, transfer),
    terminate: async () => worker.terminate(),
    setActive: () => undefined,
  };
}

function isNodeWorker(worker: WorkerLike): worker is NodeWorkerLike {
  return typeof (worker as NodeWorkerLike).on === "function";
}

/**
 * The task server in this thread (size-0 pools). Messages are structured-cloned both ways and
 * delivered asynchronously, exactly as across a thread boundary, so serial runs see the same
 * copies, the same clone errors and the same ordering as parallel ones.
 */
export function inProcessEndpoint(load: () => Promise<TaskTable>, events: EndpointEvents): Endpoint {
  let dead = false;
  let server: ReturnType<typeof createTaskServer> | undefined;
  const backlog: unknown[] = [];
  load().then(
    (table) => {
      if (dead) return;
      server = createTaskServer(table, (message, transfer) => {
        const copy = structuredClone(message, { transfer });
        queueMicrotask(() => dead || events.message(copy));
      });
      for (const message of backlog.splice(0)) server.receive(message);
    },
    (error: unknown) => {
      if (dead) return;
      dead = true;
      events.died(error instanceof WorkerStartError ? error.reason : `the module failed to load: ${describeThrown(error)}`);
    },
  );
  return {
    threaded: false,
    send(message, transfer) {
      const copy = structuredClone(message, { transfer });
      queueMicrotask(() => {
        if (dead) return;
        if (server) server.receive(copy);
        else backlog.push(copy);
      });
    },
    async terminate() {
      dead = true;
      server?.stop();
    },
    setActive: () => undefined,
  };
}

/** One line describing something thrown. */
export function describeThrown(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  try {
    return String(error);
  } catch {
    return "unknown error";
  }
}
