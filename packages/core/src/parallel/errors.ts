import { AbortedError, LmmError } from "../errors/LmmError.js";
import type { RemoteError } from "./protocol.js";

/**
 * Where a failed run stood: what it was doing and what it had already computed.
 *
 * @example
 * ```ts
 * const report = (f: TaskFailure<number>) => `${f.task} #${f.index} ${f.label ?? ""}`;
 * ```
 */
export interface TaskFailure<R> {
  /** Name of the task (the key passed to `serveTasks`). */
  readonly task: string;
  /** Index of the payload at fault, in the order passed to `run`. */
  readonly index: number;
  /** The caller's name for that payload (feature, SNP, cluster …) from `RunOptions.label`. */
  readonly label: string | undefined;
  /** Results already received, by payload index; `undefined` where none arrived. */
  readonly partial: (R | undefined)[];
}

function where(task: string, index: number, label: string | undefined): string {
  return `task "${task}" on payload ${index}${label === undefined ? "" : ` (${JSON.stringify(label)})`}`;
}

/**
 * A task handler threw (or returned something that cannot be sent back to the main thread).
 * The pool stays usable; results computed before the failure are on `partial`.
 *
 * @example
 * ```ts
 * try { await pool.run("fit", features, { label: (f) => f.name }) }
 * catch (e) { if (e instanceof WorkerTaskError) console.log(e.label, e.originalMessage, e.partial.filter(Boolean).length) }
 * ```
 */
export class WorkerTaskError<R = unknown> extends LmmError implements TaskFailure<R> {
  readonly task: string;
  readonly index: number;
  readonly label: string | undefined;
  readonly partial: (R | undefined)[];
  /** The message of the error the handler threw. */
  readonly originalMessage: string;
  /** Its class name (`"TypeError"`, `"InvalidArgumentError"` …). */
  readonly originalName: string;
  /** Its stack trace inside the worker, when there was one. */
  readonly originalStack: string | undefined;
  /** Its `code` when it was an `LmmError`. */
  readonly originalCode: string | undefined;

  constructor(failure: TaskFailure<R>, original: RemoteError, code = "WORKER_TASK_FAILED", message?: string) {
    super(
      code,
      message ??
        `${where(failure.task, failure.index, failure.label)} failed: ${original.name}: ${original.message}`,
    );
    this.task = failure.task;
    this.index = failure.index;
    this.label = failure.label;
    this.partial = failure.partial;
    this.originalMessage = original.message;
    this.originalName = original.name;
    this.originalStack = original.stack;
    this.originalCode = original.code;
  }
}

/**
 * The worker running a task died (process.exit, an uncaught error outside the handler, out of
 * memory, an error event in a browser). The pool replaced it. `index` is the payload it was on
 * when that can be known exactly (Node; browsers with cross-origin isolation); otherwise the
 * first payload of its chunk not reported finished, and `lastIndex` ends the range of suspects.
 *
 * @example
 * ```ts
 * catch (e) { if (e instanceof WorkerExitedError) console.log(e.reason, e.index, e.lastIndex) }
 * ```
 */
export class WorkerExitedError<R = unknown> extends WorkerTaskError<R> {
  /** How the worker ended, e.g. `"exit code 7"` or `"uncaught RangeError: …"`. */
  readonly reason: string;
  /** Last payload that may have been running (equals `index` when known exactly). */
  readonly lastIndex: number;

  constructor(failure: TaskFailure<R>, reason: string, lastIndex: number) {
    const range = lastIndex > failure.index ? ` (or a later one up to ${lastIndex})` : "";
    super(
      failure,
      { name: "WorkerExited", message: reason },
      "WORKER_EXITED",
      `worker died (${reason}) while running ${where(failure.task, failure.index, failure.label)}${range}`,
    );
    this.reason = reason;
    this.lastIndex = lastIndex;
  }
}

/**
 * Workers could not be started: the module is missing, failed to import, never called
 * `serveTasks`, or (TypeScript sources in Node) tsx is not installed.
 *
 * @example
 * ```ts
 * catch (e) { if (e instanceof WorkerStartError) console.log(e.module, e.reason) }
 * ```
 */
export class WorkerStartError extends LmmError {
  /** The worker module (URL) when known. */
  readonly module: string | undefined;
  readonly reason: string;
  constructor(module: string | undefined, reason: string) {
    super("WORKER_START_FAILED", `could not start worker${module === undefined ? "" : ` ${module}`}: ${reason}`);
    this.module = module;
    this.reason = reason;
  }
}

/**
 * A run stopped because its AbortSignal fired. Busy workers were terminated; results already
 * received are on `partial`.
 *
 * @example
 * ```ts
 * catch (e) { if (e instanceof RunAbortedError) keep(e.partial) }
 * ```
 */
export class RunAbortedError<R = unknown> extends AbortedError {
  readonly task: string;
  /** Number of payloads finished before the abort. */
  readonly done: number;
  readonly partial: (R | undefined)[];
  /** `signal.reason`. */
  readonly reason: unknown;
  constructor(task: string, done: number, total: number, partial: (R | undefined)[], reason: unknown) {
    super(`task "${task}" (${done} of ${total} payloads done)`);
    this.task = task;
    this.done = done;
    this.partial = partial;
    this.reason = reason;
  }
}

/**
 * `run` on a pool after `close()`, or a run still going when `close()` was called.
 *
 * @example
 * ```ts
 * await pool.close(); await pool.run("fit", []).catch((e) => e instanceof PoolClosedError) // true
 * ```
 */
export class PoolClosedError extends LmmError {
  readonly task: string;
  constructor(task: string) {
    super("POOL_CLOSED", `worker pool is closed; task "${task}" cannot run`);
    this.task = task;
  }
}
