import { moduleBytes } from "../../../numerics/wasm/assemble.js";
import { HelperThread, helperThreadsAvailable } from "./helperThread.js";
import { rankRows } from "./rankKernel.js";
import { edge, syrk24, syrkRows } from "./syrkKernel.js";

type Syrk24 = (p: number, ps: number, c: number, cs: number, i: number, jEnd: number, tEnd: number) => void;
type SyrkRows = (p: number, ps: number, c: number, cs: number, i0: number, i1: number, tEnd: number) => void;
type RankRows = (colPtr: number, rowIdx: number, values: number, cols: number, c: number, cs: number, r0: number, r1: number) => void;

/**
 * The SIMD kernels with their own linear memory (grown on demand), or undefined where the engine
 * lacks WebAssembly SIMD; callers then use the JavaScript loops, with identical arithmetic order
 * per dot product only up to the pairing of terms.
 */
export class SimdKernels {
  readonly syrk24: Syrk24;
  /** The lower triangle of rows [i0, i1) of C −= P Pᵀ (i1 − i0 even): a whole trailing update in one call. */
  readonly syrkRows: SyrkRows;
  /** C −= S Sᵀ on rows [r0, r1) of C, S sparse by columns with scalar entries (arrays by byte address). */
  readonly rankRows: RankRows;
  private readonly memory: WebAssembly.Memory;
  private view: Float64Array;
  /** The second thread for large trailing updates: undefined until first needed, null where none can run. */
  private helper: HelperThread | null | undefined;

  private constructor(
    instance: WebAssembly.Instance,
    memory: WebAssembly.Memory,
    private readonly module: WebAssembly.Module | undefined,
  ) {
    this.memory = memory;
    this.syrk24 = instance.exports.syrk24 as Syrk24;
    this.syrkRows = instance.exports.syrkRows as SyrkRows;
    this.rankRows = instance.exports.rankRows as RankRows;
    this.view = new Float64Array(this.memory.buffer);
    this.helper = module ? undefined : null;
  }

  static create(): SimdKernels | undefined {
    try {
      if (typeof WebAssembly === "undefined") return undefined;
      // syrk24 and edge first: syrkRows calls them by index.
      const functions = [syrk24, edge, syrkRows, rankRows];
      if (helperThreadsAvailable()) {
        const shared = SimdKernels.withSharedMemory(functions);
        if (shared) return shared;
      }
      const bytes = moduleBytes(functions);
      if (!WebAssembly.validate(bytes)) return undefined;
      const instance = new WebAssembly.Instance(new WebAssembly.Module(bytes));
      return new SimdKernels(instance, instance.exports.memory as WebAssembly.Memory, undefined);
    } catch {
      return undefined;
    }
  }

  /** The kernels on a shared memory a helper thread can use; undefined if the engine refuses it (then one thread). */
  private static withSharedMemory(functions: Parameters<typeof moduleBytes>[0]): SimdKernels | undefined {
    try {
      const bytes = moduleBytes(functions, { sharedPages: MAX_PAGES });
      if (!WebAssembly.validate(bytes)) return undefined;
      const memory = new WebAssembly.Memory({ initial: 1, maximum: MAX_PAGES, shared: true });
      const module = new WebAssembly.Module(bytes);
      return new SimdKernels(new WebAssembly.Instance(module, { env: { memory } }), memory, module);
    } catch {
      return undefined;
    }
  }

  /** Starts the helper thread if it can run here; resolves true once it is up, false if none can run. */
  async startHelper(): Promise<boolean> {
    const helper = this.startedHelper();
    if (helper === null) return false;
    for (let waited = 0; !helper.ready; waited += 5) {
      if (waited > 10_000) return false;
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    return true;
  }

  /**
   * `syrkRows` over rows [0, pairs), split with the helper thread when the update is large enough to
   * repay the hand-over: the helper takes the first rows, this thread the rest (equal work: row i
   * costs i). Each entry is computed by one thread with the same kernel, so results do not depend on
   * the split. The helper starts on the first large update and is used once it is up.
   */
  trailingRows(p: number, ps: number, c: number, cs: number, pairs: number, tEnd: number): void {
    const helper = pairs >= THREAD_MIN_ROWS ? this.readyHelper() : undefined;
    if (helper) {
      const split = 2 * Math.round(pairs / (2 * Math.SQRT2));
      helper.post("syrkRows", [p, ps, c, cs, 0, split, tEnd]);
      this.syrkRows(p, ps, c, cs, split, pairs, tEnd);
      helper.finish();
      return;
    }
    this.syrkRows(p, ps, c, cs, 0, pairs, tEnd);
  }

  /**
   * `rankRows` over all n rows of C, split with the helper thread at `split` (rows before it go to
   * the helper) when it is up and n is large.
   */
  rankUpdate(colPtr: number, rowIdx: number, values: number, cols: number, c: number, cs: number, n: number, split: number): void {
    const helper = n >= THREAD_MIN_ROWS ? this.readyHelper() : undefined;
    if (helper) {
      helper.post("rankRows", [colPtr, rowIdx, values, cols, c, cs, 0, split]);
      this.rankRows(colPtr, rowIdx, values, cols, c, cs, split, n);
      helper.finish();
      return;
    }
    this.rankRows(colPtr, rowIdx, values, cols, c, cs, 0, n);
  }

  /** The helper if it is up; starts it on first call (it is used from a later call on). */
  private readyHelper(): HelperThread | undefined {
    if (!threadsEnabled) return undefined;
    const helper = this.startedHelper();
    return helper?.ready ? helper : undefined;
  }

  /** The helper, started on first call; null where none can run. */
  private startedHelper(): HelperThread | null {
    if (this.helper === undefined) this.helper = HelperThread.start(this.module!, this.memory) ?? null;
    return this.helper;
  }

  /** A view of at least `doubles` doubles of linear memory (valid until the next call). */
  doubles(doubles: number): Float64Array {
    const bytes = doubles * 8;
    if (bytes > this.memory.buffer.byteLength) {
      this.memory.grow(Math.ceil((bytes - this.memory.buffer.byteLength) / 65536));
      this.view = new Float64Array(this.memory.buffer);
    }
    return this.view;
  }
}

/** Largest shared memory (64 KiB pages): 4 GiB, as much as a memory of one thread may grow to. */
const MAX_PAGES = 65536;
/** From this many trailing rows the second thread pays for the hand-over (a few tens of µs). */
const THREAD_MIN_ROWS = 384;

let kernels: SimdKernels | null | undefined;
let enabled = true;
let threadsEnabled = true;

/**
 * Starts the helper thread of large dense factorisations now instead of at the first one (which then
 * runs on one thread while the helper starts). Resolves true once it is up; false where no helper
 * can run (browsers, one core, `LMM_THREADS=0`, no WebAssembly SIMD).
 *
 * @example
 * ```ts
 * await prepareThreads();
 * const m = lmm("y ~ 1 + service + (1|s) + (1|d) + (1|dept:service)", instEval);
 * ```
 */
export async function prepareThreads(): Promise<boolean> {
  const k = simdKernels();
  return k ? k.startHelper() : false;
}

/**
 * Turns the helper thread of large factorisations off (or on) in this thread — to compare with one
 * thread — and returns the previous setting. The environment variable `LMM_THREADS=0` keeps it off.
 *
 * @example
 * ```ts
 * const was = useThreads(false); try { lmm(formula, data) } finally { useThreads(was) }
 * ```
 */
export function useThreads(on: boolean): boolean {
  const was = threadsEnabled;
  threadsEnabled = on;
  return was;
}

/** The shared kernels of this thread, created on first use; undefined without WebAssembly SIMD. */
export function simdKernels(): SimdKernels | undefined {
  if (!enabled) return undefined;
  if (kernels === undefined) kernels = SimdKernels.create() ?? null;
  return kernels ?? undefined;
}

/**
 * Turns the SIMD kernels off (or on) in this thread — to compare with the JavaScript loops — and
 * returns the previous setting.
 *
 * @example
 * ```ts
 * const was = useSimd(false); try { lmm(formula, data) } finally { useSimd(was) }
 * ```
 */
export function useSimd(on: boolean): boolean {
  const was = enabled;
  enabled = on;
  return was;
}
