/**
 * Options of one `pool.run` call.
 *
 * @example
 * ```ts
 * await pool.run("fit", features, { shared: design, label: (f) => f.name, onProgress: (done, total) => console.log(done, total) });
 * ```
 */
export interface RunOptions<P = unknown, S = unknown> {
  /**
   * Called as payloads finish: `done` counts finished payloads, `fraction` (0–1) also counts
   * the parts handlers report with `ctx.progress`. Both only grow; the last call has done = total.
   */
  onProgress?: (done: number, total: number, fraction: number) => void;
  /** Aborting rejects the run with `RunAbortedError` and terminates the workers it kept busy. */
  signal?: AbortSignal;
  /** Buffers of a payload to move to the worker instead of copying (they are detached here). */
  transfer?: (payload: P, index: number) => Transferable[];
  /** The caller's name for a payload (feature, SNP, cluster …), used in error messages. */
  label?: (payload: P, index: number) => string;
  /** One value every handler sees as `ctx.shared`, sent once per worker (e.g. the design matrix). */
  shared?: S;
  /** Payloads per message; "auto" (default) adapts to measured task time. */
  chunkSize?: number | "auto";
}

/** What the pool does with a run's chunks still in workers when the run fails. */
export type StopMode = "cancel" | "terminate" | "none";

/** A batch of consecutive payloads sent to one worker in one message. */
export interface Chunk {
  readonly id: number;
  readonly run: Run;
  readonly start: number;
  readonly count: number;
  readonly sentAt: number;
  /** Payloads of the chunk reported finished, and the fraction of the next. */
  done: number;
  partial: number;
}

/** The bookkeeping of one `run` call: results by index, progress, settlement. */
export class Run {
  readonly results: unknown[];
  readonly total: number;
  readonly inflight = new Set<Chunk>();
  readonly promise: Promise<unknown[]>;
  /** First payload not yet sent. */
  next = 0;
  /** Payloads whose results arrived. */
  received = 0;
  settled = false;
  private finishedChunksItems = 0;
  private measuredMs = 0;
  private measuredItems = 0;
  private lastDone = 0;
  private lastFraction = 0;
  private resolve!: (results: unknown[]) => void;
  private reject!: (error: unknown) => void;

  constructor(
    readonly id: number,
    readonly task: string,
    readonly payloads: readonly unknown[],
    readonly options: RunOptions,
    readonly chunkSize: number | "auto",
    private readonly onStop: (run: Run, mode: StopMode) => void,
  ) {
    this.total = payloads.length;
    this.results = new Array(this.total);
    this.promise = new Promise((resolve, reject) => {
      this.resolve = resolve;
      this.reject = reject;
    });
  }

  get hasShared(): boolean {
    return this.options.shared !== undefined;
  }

  /** Payloads not yet sent to any worker. */
  remaining(): number {
    return this.settled ? 0 : this.total - this.next;
  }

  /** Mean wall time per payload over finished chunks (messaging included), once known. */
  msPerItem(): number | undefined {
    return this.measuredItems === 0 ? undefined : this.measuredMs / this.measuredItems;
  }

  /** The caller's label for a payload; a throwing label function just means no label. */
  label(index: number): string | undefined {
    try {
      return this.options.label?.(this.payloads[index], index);
    } catch {
      return undefined;
    }
  }

  /** Results so far, dense, with undefined where none arrived. */
  partial(): unknown[] {
    return Array.from(this.results);
  }

  store(start: number, values: readonly unknown[]): void {
    for (let i = 0; i < values.length; i++) this.results[start + i] = values[i];
    this.received += values.length;
  }

  /** A chunk came back complete. */
  finishChunk(chunk: Chunk, elapsedMs: number): void {
    this.finishedChunksItems += chunk.count;
    this.measuredMs += elapsedMs;
    this.measuredItems += chunk.count;
    this.reportProgress();
    if (!this.settled && this.finishedChunksItems === this.total) {
      this.settled = true;
      this.onStop(this, "none");
      this.resolve(this.results);
    }
  }

  reportProgress(): void {
    const onProgress = this.options.onProgress;
    if (onProgress === undefined || this.settled) return;
    let done = this.finishedChunksItems;
    let part = 0;
    for (const chunk of this.inflight) {
      done += chunk.done;
      part += chunk.partial;
    }
    done = Math.max(done, this.lastDone);
    const fraction = Math.min(1, Math.max(this.lastFraction, (done + part) / this.total));
    if (done === this.lastDone && fraction === this.lastFraction) return;
    this.lastDone = done;
    this.lastFraction = fraction;
    try {
      onProgress(done, this.total, fraction);
    } catch (error) {
      this.fail(error, "cancel");
    }
  }

  fail(error: unknown, mode: StopMode): void {
    if (this.settled) return;
    this.settled = true;
    this.onStop(this, mode);
    this.reject(error);
  }
}
