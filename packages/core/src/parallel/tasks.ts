/**
 * What a handler can see and do besides its payload.
 *
 * @example
 * ```ts
 * serveTasks({ refit: (k: number, ctx) => { const rng = Rng.stream(ctx.shared.seed, ctx.index); ctx.progress(1); return rng.normal() } });
 * ```
 */
export interface TaskContext<S = unknown> {
  /** Index of this payload in the array passed to `run` (use it to seed `Rng.stream(seed, index)`). */
  readonly index: number;
  /** The run's `shared` value (sent once per worker, not once per payload). */
  readonly shared: S;
  /** Fires when the run is cancelled (another payload failed, or the pool was closed). */
  readonly signal: AbortSignal;
  /** Reports how far this payload is (0–1); cheap to call often, messages are throttled. */
  progress(fraction: number): void;
  /** Moves these buffers back instead of copying them (do not reuse them afterwards). */
  transfer(...objects: Transferable[]): void;
}

/**
 * One kind of work a worker module offers: a payload in, a result out (plain data: anything
 * `structuredClone` accepts, typed arrays included). Return fresh values, not views on a buffer
 * the handler reuses: results travel back a chunk at a time.
 *
 * @example
 * ```ts
 * const square: TaskHandler<number, number> = (x) => x * x;
 * ```
 */
export type TaskHandler<P = any, R = any, S = any> = (payload: P, ctx: TaskContext<S>) => R | Promise<R>;

/**
 * The tasks a worker module serves, by name.
 *
 * @example
 * ```ts
 * const tasks = { square: (x: number) => x * x } satisfies TaskTable;
 * ```
 */
export type TaskTable = { readonly [name: string]: TaskHandler };

/**
 * Payload type of a handler.
 *
 * @example
 * ```ts
 * type P = PayloadOf<(x: number) => string>; // number
 * ```
 */
export type PayloadOf<H> = H extends (payload: infer P, ctx: never) => unknown ? P : never;

/**
 * Result type of a handler (awaited).
 *
 * @example
 * ```ts
 * type R = ResultOf<(x: number) => Promise<string>>; // string
 * ```
 */
export type ResultOf<H> = H extends (...args: never[]) => infer R ? Awaited<R> : never;

/**
 * What `import()` of a task module gives: its default export is the table from `serveTasks`.
 *
 * @example
 * ```ts
 * const load = (): Promise<TaskModule> => import("./fitWorker.js");
 * ```
 */
export interface TaskModule<T extends TaskTable = TaskTable> {
  readonly default: T;
}

/** Names of a table's tasks, own properties only (so `"toString"` or `"__proto__"` are never tasks). */
export function taskNames(table: TaskTable): string[] {
  return Object.keys(table).filter((name) => typeof table[name] === "function");
}

/** The handler for `name`, or undefined; never an inherited property. */
export function findHandler(table: TaskTable, name: string): TaskHandler | undefined {
  if (!Object.prototype.hasOwnProperty.call(table, name)) return undefined;
  const handler = table[name];
  return typeof handler === "function" ? handler : undefined;
}
