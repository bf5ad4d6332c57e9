/**
 * Messages between a pool and its workers. Every message carries `lmmPool: 1`, so a worker (or an
 * in-process server inside someone else's worker) ignores traffic that is not ours.
 */

/** An error as it crosses the thread boundary (Error objects lose their class on the way). */
export interface RemoteError {
  readonly name: string;
  readonly message: string;
  readonly stack?: string;
  /** `LmmError.code` when the handler threw one of ours. */
  readonly code?: string;
}

interface Tagged {
  readonly lmmPool: 1;
}

/** Pool → worker. */
export type ToWorker = Tagged &
  (
    | { readonly t: "hello"; readonly cell?: Int32Array }
    | {
        readonly t: "run";
        readonly run: number;
        readonly chunk: number;
        readonly task: string;
        readonly start: number;
        readonly payloads: readonly unknown[];
        /** Present on the first chunk of a run a worker receives, when the run has a shared value. */
        readonly shared?: { readonly value: unknown };
      }
    | { readonly t: "cancel"; readonly chunk: number }
    | { readonly t: "forget"; readonly run: number }
  );

/** Worker → pool. */
export type FromWorker = Tagged &
  (
    | { readonly t: "ready"; readonly tasks: readonly string[] }
    /** `done` items of the chunk are finished; the next one is `partial` (0–1) done. */
    | { readonly t: "progress"; readonly chunk: number; readonly done: number; readonly partial: number }
    | { readonly t: "done"; readonly chunk: number; readonly results: readonly unknown[]; readonly cancelled: boolean }
    | {
        readonly t: "failed";
        readonly chunk: number;
        readonly index: number;
        readonly error: RemoteError;
        /** Results of the chunk's items before `index`. */
        readonly results: readonly unknown[];
      }
  );

/** Distinguishes our messages from anything else arriving on the same port. */
export function isPoolMessage(data: unknown): data is ToWorker & FromWorker {
  return typeof data === "object" && data !== null && (data as { lmmPool?: unknown }).lmmPool === 1;
}

/** Key in Node `workerData` marking a thread started by a pool (so `serveTasks` knows to answer). */
export const POOL_WORKER_DATA_KEY = "lmmPoolWorker";

/** Turns anything thrown into a {@link RemoteError}. */
export function toRemoteError(thrown: unknown): RemoteError {
  if (thrown instanceof Error) {
    const code = (thrown as { code?: unknown }).code;
    return {
      name: thrown.name,
      message: thrown.message,
      ...(thrown.stack === undefined ? {} : { stack: thrown.stack }),
      ...(typeof code === "string" ? { code } : {}),
    };
  }
  return { name: "NonErrorThrown", message: safeString(thrown) };
}

function safeString(value: unknown): string {
  try {
    return String(value);
  } catch {
    return Object.prototype.toString.call(value);
  }
}
