import { InvalidArgumentError } from "../errors/LmmError.js";
import { nextChunkSize } from "./chunking.js";
import { describeThrown, type Endpoint, type EndpointEvents } from "./endpoint.js";
import { PoolClosedError, RunAbortedError, WorkerExitedError, WorkerStartError, WorkerTaskError } from "./errors.js";
import { isPoolMessage, type FromWorker, type ToWorker } from "./protocol.js";
import { Run, type Chunk, type RunOptions, type StopMode } from "./Run.js";
import type { PayloadOf, ResultOf, TaskTable } from "./tasks.js";

/** How a pool starts its workers; built by `createPool` from its options. */
export interface PoolConfig {
  /** Workers to run at most (a size-0 pool has one in-process server). */
  readonly size: number | (() => Promise<number>);
  /** False for a size-0 pool: its one server runs in this thread. */
  readonly threaded: boolean;
  readonly connect: (events: EndpointEvents) => Endpoint | Promise<Endpoint>;
  readonly chunkSize: number | "auto";
  readonly startTimeoutMs: number;
  /** The worker module, for error messages. */
  readonly module: string | undefined;
}

interface Slot {
  endpoint: Endpoint | undefined;
  state: "starting" | "idle" | "busy";
  tasks: ReadonlySet<string> | undefined;
  chunk: Chunk | undefined;
  cell: Int32Array | undefined;
  timer: ReturnType<typeof setTimeout> | undefined;
  readonly runsWithShared: Set<number>;
}

const now = () => (typeof performance === "object" ? performance.now() : Date.now());

/**
 * A set of workers running named tasks over arrays of payloads; see `createPool`.
 *
 * @example
 * ```ts
 * const pool = createPool({ workerUrl: new URL("./fitWorker.js", import.meta.url) });
 * const squares = await pool.run("square", [1, 2, 3]); // [1, 4, 9]
 * await pool.close();
 * ```
 */
export class WorkerPool<T extends TaskTable = TaskTable> {
  private readonly slots = new Set<Slot>();
  private runs: Run[] = [];
  private size: number | undefined;
  private closed = false;
  private startError: WorkerStartError | undefined;
  private ids = 0;

  constructor(private readonly config: PoolConfig) {}

  /** Live worker threads (starting, idle or busy); always 0 for a size-0 (in-process) pool. */
  get workerCount(): number {
    return this.config.threaded ? this.slots.size : 0;
  }

  /** True for a size-0 pool, whose tasks run in this thread. */
  get serial(): boolean {
    return !this.config.threaded;
  }

  /**
   * Runs `task` on every payload and resolves with the results in payload order, however many
   * workers share the work. Rejects with `WorkerTaskError` (a handler threw),
   * `WorkerExitedError` (a worker died), `RunAbortedError`, `WorkerStartError` or
   * `PoolClosedError`; the pool stays usable after each except the last.
   *
   * @example
   * ```ts
   * const fits = await pool.run("fit", features, { label: (f) => f.name, onProgress: (d, n) => bar(d / n) });
   * ```
   */
  async run<K extends keyof T & string>(
    task: K,
    payloads: readonly PayloadOf<T[K]>[],
    options: RunOptions<PayloadOf<T[K]>> = {},
  ): Promise<ResultOf<T[K]>[]> {
    if (typeof task !== "string" || task === "") throw new InvalidArgumentError("task", task, "a task name");
    if (!Array.isArray(payloads)) throw new InvalidArgumentError("payloads", payloads, "an array");
    const chunkSize = options.chunkSize ?? this.config.chunkSize;
    if (chunkSize !== "auto" && !(Number.isInteger(chunkSize) && chunkSize >= 1)) {
      throw new InvalidArgumentError("chunkSize", chunkSize, 'a positive integer or "auto"');
    }
    const { size } = this.config;
    this.size ??= typeof size === "number" ? size : await size();
    const { signal } = options;
    if (this.closed) throw new PoolClosedError(task);
    if (signal?.aborted) throw new RunAbortedError(task, 0, payloads.length, Array.from(new Array(payloads.length)), signal.reason);
    if (payloads.length === 0) return [];

    const run = new Run(++this.ids, task, payloads, options as RunOptions, chunkSize, (r, mode) => this.stop(r, mode));
    const onAbort = () => run.fail(new RunAbortedError(task, run.received, run.total, run.partial(), signal?.reason), "terminate");
    signal?.addEventListener("abort", onAbort, { once: true });
    this.runs.push(run);
    this.startError = undefined;
    this.pump();
    try {
      return (await run.promise) as ResultOf<T[K]>[];
    } finally {
      signal?.removeEventListener("abort", onAbort);
    }
  }

  /**
   * Terminates every worker; runs still going reject with `PoolClosedError`.
   *
   * @example
   * ```ts
   * try { await pool.run("fit", xs) } finally { await pool.close() }
   * ```
   */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const run of this.runs) run.fail(new PoolClosedError(run.task), "none");
    this.runs = [];
    const slots = [...this.slots];
    this.slots.clear();
    await Promise.all(slots.map((slot) => this.retire(slot)));
  }

  /** Sends work to idle workers and starts workers while there is more work than workers. */
  private pump(): void {
    if (this.closed) return;
    this.runs = this.runs.filter((run) => !run.settled);
    for (const slot of this.slots) {
      while (slot.state === "idle") {
        const run = this.runs.find((r) => r.remaining() > 0);
        if (run === undefined) break;
        if (slot.tasks?.has(run.task)) this.dispatch(slot, run);
        else run.fail(this.unknownTask(run.task, slot.tasks), "cancel");
      }
    }
    let waiting = 0;
    let busy = 0;
    for (const run of this.runs) waiting += run.remaining();
    for (const slot of this.slots) if (slot.state === "busy") busy++;
    const size = Math.max(this.size ?? 1, 1);
    while (this.startError === undefined && this.slots.size < Math.min(size, busy + waiting)) this.spawn();
  }

  private dispatch(slot: Slot, run: Run): void {
    const count = nextChunkSize(run.total - run.next, Math.max(this.size ?? 1, 1), run.msPerItem(), run.chunkSize);
    const start = run.next;
    const payloads = run.payloads.slice(start, start + count);
    const withShared = run.hasShared && !slot.runsWithShared.has(run.id);
    const chunk: Chunk = { id: ++this.ids, run, start, count, sentAt: now(), done: 0, partial: 0 };
    const message: ToWorker = {
      lmmPool: 1, t: "run", run: run.id, chunk: chunk.id, task: run.task, start, payloads,
      ...(withShared ? { shared: { value: run.options.shared } } : {}),
    };
    try {
      const transfer = run.options.transfer ? payloads.flatMap((p, i) => run.options.transfer!(p, start + i)) : [];
      slot.endpoint!.send(message, transfer);
    } catch (error) {
      run.fail(cloneFailure(run, start, payloads, error), "cancel");
      return;
    }
    run.next += count;
    run.inflight.add(chunk);
    if (withShared) slot.runsWithShared.add(run.id);
    slot.state = "busy";
    slot.chunk = chunk;
    slot.endpoint!.setActive(true);
  }

  private spawn(): void {
    const slot: Slot = { endpoint: undefined, state: "starting", tasks: undefined, chunk: undefined, cell: undefined, timer: undefined, runsWithShared: new Set() };
    this.slots.add(slot);
    const events: EndpointEvents = { message: (data) => this.receive(slot, data), died: (reason) => this.died(slot, reason) };
    const timeout = this.config.startTimeoutMs;
    slot.timer = setTimeout(() => this.died(slot, `no answer within ${timeout} ms (does the module call serveTasks?)`), timeout);
    Promise.resolve()
      .then(() => this.config.connect(events))
      .then(
        (endpoint) => {
          if (!this.slots.has(slot)) return void endpoint.terminate();
          slot.endpoint = endpoint;
          slot.cell = endpoint.threaded && canShareMemory() ? new Int32Array(new SharedArrayBuffer(4)).fill(-1) : undefined;
          endpoint.setActive(true);
          endpoint.send({ lmmPool: 1, t: "hello", ...(slot.cell ? { cell: slot.cell } : {}) }, []);
        },
        (error: unknown) => this.died(slot, error instanceof WorkerStartError ? error.reason : describeThrown(error)),
      );
  }

  private receive(slot: Slot, data: unknown): void {
    if (!this.slots.has(slot) || !isPoolMessage(data)) return;
    const message = data as FromWorker;
    if (message.t === "ready") {
      if (slot.state !== "starting") return;
      clearTimeout(slot.timer);
      slot.tasks = new Set(message.tasks);
      slot.state = "idle";
      slot.endpoint?.setActive(false);
      this.pump();
      return;
    }
    const chunk = slot.chunk;
    if (chunk === undefined || chunk.id !== message.chunk) return;
    const run = chunk.run;
    if (message.t === "progress") {
      if (message.done > chunk.done) [chunk.done, chunk.partial] = [message.done, message.partial];
      else chunk.partial = Math.max(chunk.partial, message.partial);
      run.reportProgress();
      return;
    }
    slot.chunk = undefined;
    slot.state = "idle";
    slot.endpoint?.setActive(false);
    run.inflight.delete(chunk);
    if (!run.settled) {
      run.store(chunk.start, message.results);
      if (message.t === "failed") {
        const failure = { task: run.task, index: message.index, label: run.label(message.index), partial: run.partial() };
        run.fail(new WorkerTaskError(failure, message.error), "cancel");
      } else if (!message.cancelled) {
        run.finishChunk(chunk, now() - chunk.sentAt);
      }
    }
    this.pump();
  }

  /** A worker ended on its own (or never answered): replace it, and report what it was running. */
  private died(slot: Slot, reason: string): void {
    if (!this.slots.has(slot)) return;
    this.slots.delete(slot);
    void this.retire(slot);
    const chunk = slot.chunk;
    if (slot.state === "starting") {
      this.startError = new WorkerStartError(this.config.module, reason);
      if (this.slots.size === 0) for (const run of this.runs) run.fail(this.startError, "none");
    } else if (chunk !== undefined && !chunk.run.settled) {
      const run = chunk.run;
      run.inflight.delete(chunk);
      let index = chunk.start + chunk.done;
      let last = chunk.start + chunk.count - 1;
      const at = slot.cell === undefined ? -1 : Atomics.load(slot.cell, 0);
      if (at >= index && at <= last) index = last = at;
      const failure = { task: run.task, index, label: run.label(index), partial: run.partial() };
      run.fail(new WorkerExitedError(failure, reason, last), "cancel");
    }
    this.pump();
  }

  /** Stops what is left of a run: queue nothing more, cancel or terminate its chunks in flight. */
  private stop(run: Run, mode: StopMode): void {
    for (const chunk of run.inflight) {
      const slot = [...this.slots].find((s) => s.chunk === chunk);
      if (slot === undefined) continue;
      if (mode === "terminate") {
        this.slots.delete(slot);
        void this.retire(slot);
      } else if (mode === "cancel") {
        slot.endpoint?.send({ lmmPool: 1, t: "cancel", chunk: chunk.id }, []);
      }
    }
    if (run.hasShared) {
      for (const slot of this.slots) {
        if (slot.runsWithShared.delete(run.id)) slot.endpoint?.send({ lmmPool: 1, t: "forget", run: run.id }, []);
      }
    }
    if (mode === "terminate") queueMicrotask(() => this.pump());
  }

  private async retire(slot: Slot): Promise<void> {
    clearTimeout(slot.timer);
    await slot.endpoint?.terminate();
  }

  private unknownTask(task: string, tasks: ReadonlySet<string> | undefined): InvalidArgumentError {
    const known = [...(tasks ?? [])].map((name) => JSON.stringify(name)).join(", ");
    return new InvalidArgumentError("task", task, `one of the tasks the worker module serves (${known})`);
  }
}

/** Finds the payload (or shared value) that postMessage could not clone. */
function cloneFailure(run: Run, start: number, payloads: readonly unknown[], error: unknown): unknown {
  if (!(error instanceof Error) || error.name !== "DataCloneError") return error;
  const expected = "plain data that structuredClone accepts (no functions, DOM nodes or class behaviour)";
  const bad = payloads.findIndex((payload) => !cloneable(payload));
  if (bad >= 0) return new InvalidArgumentError(`payloads[${start + bad}]`, payloads[bad], expected);
  if (run.hasShared && !cloneable(run.options.shared)) return new InvalidArgumentError("shared", run.options.shared, expected);
  return error;
}

function cloneable(value: unknown): boolean {
  try {
    structuredClone(value);
    return true;
  } catch {
    return false;
  }
}

/** Shared memory lets a dead worker tell which payload it was on. Node always; browsers when isolated. */
function canShareMemory(): boolean {
  if (typeof SharedArrayBuffer !== "function") return false;
  const isolated = (globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated;
  return isolated !== false;
}
