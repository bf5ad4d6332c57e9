import { isPoolMessage, toRemoteError, type FromWorker, type ToWorker } from "./protocol.js";
import { findHandler, taskNames, type TaskContext, type TaskHandler, type TaskTable } from "./tasks.js";
import { yieldToEventLoop } from "./yieldToEventLoop.js";

/** Sends a message to the pool (postMessage of the worker scope, or an in-process queue). */
export type PostToPool = (message: FromWorker, transfer: Transferable[]) => void;

/**
 * Progress messages and event-loop yields happen at most this often (ms): often enough for a
 * smooth progress bar and a prompt cancel, rare enough to cost nothing next to the work.
 */
const TICK_MS = 50;

/**
 * The worker side of the protocol: answers `hello`, runs chunks one payload at a time, honours
 * `cancel`. The same server runs inside real workers and in-process (size 0), which is why
 * serial and parallel runs behave alike.
 */
export function createTaskServer(table: TaskTable, post: PostToPool): { receive(data: unknown): void; stop(): void } {
  const shared = new Map<number, unknown>();
  const running = new Map<number, AbortController>();
  let cell: Int32Array | undefined;

  function receive(data: unknown): void {
    if (!isPoolMessage(data)) return;
    const message = data as ToWorker;
    switch (message.t) {
      case "hello":
        cell = message.cell;
        post({ lmmPool: 1, t: "ready", tasks: taskNames(table) }, []);
        return;
      case "run": {
        if (message.shared !== undefined) shared.set(message.run, message.shared.value);
        const controller = new AbortController();
        running.set(message.chunk, controller);
        const handler = findHandler(table, message.task);
        const done = handler
          ? runChunk(handler, message, shared.get(message.run), controller.signal, post, cell)
          : Promise.resolve(postUnknownTask(message, table, post));
        void done.finally(() => running.delete(message.chunk));
        return;
      }
      case "cancel":
        running.get(message.chunk)?.abort();
        return;
      case "forget":
        shared.delete(message.run);
        return;
    }
  }

  function stop(): void {
    for (const controller of running.values()) controller.abort();
  }

  return { receive, stop };
}

type RunMessage = Extract<ToWorker, { t: "run" }>;

function postUnknownTask(message: RunMessage, table: TaskTable, post: PostToPool): void {
  const known = taskNames(table).map((name) => JSON.stringify(name)).join(", ");
  const error = { name: "UnknownTaskError", message: `no task ${JSON.stringify(message.task)}; this module serves ${known}` };
  post({ lmmPool: 1, t: "failed", chunk: message.chunk, index: message.start, error, results: [] }, []);
}

async function runChunk(
  handler: TaskHandler,
  message: RunMessage,
  shared: unknown,
  signal: AbortSignal,
  post: PostToPool,
  cell: Int32Array | undefined,
): Promise<void> {
  const { chunk, start, payloads, task } = message;
  const results: unknown[] = [];
  const transfers: Transferable[] = [];
  let partial = 0;
  let lastTick = Date.now();
  const tick = (done: number) => {
    lastTick = Date.now();
    post({ lmmPool: 1, t: "progress", chunk, done, partial }, []);
  };

  for (let i = 0; i < payloads.length; i++) {
    if (signal.aborted) return send(post, { lmmPool: 1, t: "done", chunk, results, cancelled: true }, transfers, start, task);
    partial = 0;
    if (cell !== undefined) Atomics.store(cell, 0, start + i);
    const ctx: TaskContext = {
      index: start + i,
      shared,
      signal,
      progress(fraction: number) {
        if (!(fraction > partial)) return;
        partial = Math.min(fraction, 1);
        if (Date.now() - lastTick >= TICK_MS) tick(i);
      },
      transfer(...objects: Transferable[]) {
        transfers.push(...objects);
      },
    };
    try {
      let result = handler(payloads[i], ctx);
      if (isThenable(result)) result = await result;
      results.push(result);
    } catch (thrown) {
      const error = toRemoteError(thrown);
      return send(post, { lmmPool: 1, t: "failed", chunk, index: start + i, error, results }, transfers, start, task);
    }
    partial = 0;
    if (Date.now() - lastTick >= TICK_MS) {
      tick(i + 1);
      await yieldToEventLoop();
    }
  }
  send(post, { lmmPool: 1, t: "done", chunk, results, cancelled: false }, transfers, start, task);
}

/**
 * Posts, and if the results cannot be sent back, says why as the failure of a payload: the first result
 * that cannot be cloned on its own (with its size), or else — each result clones but the message does
 * not, typically a RangeError from allocating a message of gigabytes — the chunk's results as too large,
 * naming the task, the payloads and the size, never a bare RangeError.
 */
function send(post: PostToPool, message: FromWorker, transfers: Transferable[], start: number, task: string): void {
  try {
    post(message, transfers);
  } catch (thrown) {
    if (message.t !== "done" && message.t !== "failed") throw thrown;
    const results = message.results;
    const error = toRemoteError(thrown);
    const bad = results.findIndex((result) => !isCloneable(result));
    if (bad >= 0) {
      const described = { ...error, message: `result (${describeSize(approximateBytes(results[bad]))}) could not be sent back from the worker: ${error.message}` };
      post({ lmmPool: 1, t: "failed", chunk: message.chunk, index: start + bad, error: described, results: results.slice(0, bad) }, []);
      return;
    }
    const last = start + results.length - 1;
    const tooLarge = {
      name: "ResultTooLargeError",
      code: "WORKER_RESULT_TOO_LARGE",
      message:
        `the results of task "${task}" for payload${last > start ? `s ${start}–${last}` : ` ${start}`} (${describeSize(approximateBytes(results))}) ` +
        `are too large to send back from the worker in one message (${error.name}: ${error.message}); return less per payload, or run smaller chunks (chunkSize)`,
    };
    post({ lmmPool: 1, t: "failed", chunk: message.chunk, index: start, error: tooLarge, results: [] }, []);
  }
}

/** Bytes a value takes in a message, roughly: typed arrays and strings exactly, objects by their parts. */
function approximateBytes(value: unknown, seen = new Set<object>()): number {
  if (typeof value === "string") return value.length;
  if (typeof value !== "object" || value === null) return 8;
  if (seen.has(value)) return 0;
  seen.add(value);
  if (ArrayBuffer.isView(value)) return value.byteLength;
  if (value instanceof ArrayBuffer) return value.byteLength;
  let bytes = 0;
  if (value instanceof Map) for (const [k, v] of value) bytes += approximateBytes(k, seen) + approximateBytes(v, seen);
  else if (value instanceof Set) for (const v of value) bytes += approximateBytes(v, seen);
  else for (const v of Object.values(value)) bytes += approximateBytes(v, seen);
  return bytes;
}

function describeSize(bytes: number): string {
  const units = ["bytes", "kB", "MB", "GB", "TB"];
  let k = 0;
  let v = bytes;
  while (v >= 1000 && k < units.length - 1) (v /= 1000), k++;
  return `about ${k === 0 ? v : v.toPrecision(3)} ${units[k]}`;
}

function isCloneable(value: unknown): boolean {
  try {
    structuredClone(value);
    return true;
  } catch {
    return false;
  }
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (typeof value === "object" || typeof value === "function") && value !== null && typeof (value as { then?: unknown }).then === "function";
}
