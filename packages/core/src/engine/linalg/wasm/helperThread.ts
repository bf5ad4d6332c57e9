// A second thread for the trailing update of large dense factorisations (Node only).
//
// The factorisation is synchronous, so the helper cannot be a message-driven worker: it instantiates
// the kernels' module on the same shared memory and blocks on Atomics.wait until the main thread
// posts a kernel and a range of rows; both halves run the kernel on disjoint rows of C, so the result
// is bit-identical to one thread. Browsers lack a synchronous way to start a worker and need
// cross-origin isolation for shared memory: there the factorisation stays on one thread.

/** Control words (Int32Array over a SharedArrayBuffer). */
const JOB = 0, READY = 1, KERNEL = 2, ARGS = 3, DONE = 11, WORDS = 12;

/** The kernels a helper can run, by the name the module exports. */
export const HELPER_KERNELS = ["syrkRows", "rankRows"] as const;
export type HelperKernel = (typeof HELPER_KERNELS)[number];
/** A job that does not finish in this time means the helper died: fail loudly rather than hang. */
const TIMEOUT_MS = 60_000;

// CommonJS source run by `new Worker(…, { eval: true })`: a constant program (only the constants
// above are spliced in, never data), so there is no file to ship beside the bundle. The helper
// blocks between jobs and lives as long as the process (it is unref'd).
const SOURCE = `
const { workerData } = require("node:worker_threads");
const { module, memory, control } = workerData;
const exports = new WebAssembly.Instance(module, { env: { memory } }).exports;
const kernels = ${JSON.stringify(HELPER_KERNELS)}.map((name) => exports[name]);
const c = new Int32Array(control);
Atomics.store(c, ${READY}, 1);
Atomics.notify(c, ${READY});
let seen = 0;
for (;;) {
  Atomics.wait(c, ${JOB}, seen);
  seen = Atomics.load(c, ${JOB});
  kernels[c[${KERNEL}]](...c.subarray(${ARGS}, ${ARGS + 8}));
  Atomics.store(c, ${DONE}, seen);
  Atomics.notify(c, ${DONE});
}
`;

interface NodeWorker {
  unref(): void;
}
type WorkerConstructor = new (source: string, options: { eval: true; workerData: unknown }) => NodeWorker;

/** Node's Worker class when this thread may block on Atomics and the machine has a second core. */
function nodeWorkerClass(): WorkerConstructor | undefined {
  const proc = (globalThis as { process?: { getBuiltinModule?: (name: string) => unknown; env?: Record<string, string | undefined> } }).process;
  if (typeof proc?.getBuiltinModule !== "function" || typeof SharedArrayBuffer !== "function") return undefined;
  if (proc.env?.LMM_THREADS === "0") return undefined;
  const os = proc.getBuiltinModule("node:os") as { availableParallelism?: () => number; cpus: () => unknown[] };
  const cores = typeof os.availableParallelism === "function" ? os.availableParallelism() : os.cpus().length;
  if (cores < 2) return undefined;
  return (proc.getBuiltinModule("node:worker_threads") as { Worker: WorkerConstructor }).Worker;
}

/** Whether a helper thread can be started here (then the kernels' memory must be shared). */
export function helperThreadsAvailable(): boolean {
  return nodeWorkerClass() !== undefined;
}

/** The helper of one kernels instance: started on first use, ready a few milliseconds later. */
export class HelperThread {
  private readonly control = new Int32Array(new SharedArrayBuffer(WORDS * 4));
  private readonly worker: NodeWorker;
  private job = 0;

  private constructor(Worker: WorkerConstructor, module: WebAssembly.Module, memory: WebAssembly.Memory) {
    this.worker = new Worker(SOURCE, { eval: true, workerData: { module, memory, control: this.control.buffer } });
    // A waiting helper must not keep the process alive.
    this.worker.unref();
  }

  static start(module: WebAssembly.Module, memory: WebAssembly.Memory): HelperThread | undefined {
    const Worker = nodeWorkerClass();
    if (!Worker) return undefined;
    try {
      return new HelperThread(Worker, module, memory);
    } catch {
      return undefined;
    }
  }

  /** True once the helper waits for work (until then callers do everything themselves). */
  get ready(): boolean {
    return Atomics.load(this.control, READY) === 1;
  }

  /** Starts `kernel(...args)` in the helper (at most 8 arguments); `finish` waits for it. */
  post(kernel: HelperKernel, args: readonly number[]): void {
    this.control[KERNEL] = HELPER_KERNELS.indexOf(kernel);
    this.control.fill(0, ARGS, ARGS + 8);
    this.control.set(args, ARGS);
    Atomics.store(this.control, JOB, ++this.job);
    Atomics.notify(this.control, JOB);
  }

  finish(): void {
    const c = this.control;
    while (Atomics.load(c, DONE) !== this.job) {
      if (Atomics.wait(c, DONE, this.job - 1, TIMEOUT_MS) === "timed-out") throw new Error("internal: the factorisation's helper thread stopped answering");
    }
  }
}
