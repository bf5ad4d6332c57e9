import { moduleBytes } from "../../../numerics/wasm/assemble.js";
import { relaxedSimd, relaxedSimdAvailable } from "../../../numerics/wasm/relaxed.js";
import { axpy4 } from "./axpyKernel.js";
import { rankRows } from "./rankKernel.js";
import { edge, syrk24, syrkRows } from "./syrkKernel.js";

type Syrk24 = (p: number, ps: number, c: number, cs: number, i: number, jEnd: number, tEnd: number) => void;
type SyrkRows = (p: number, ps: number, c: number, cs: number, i0: number, i1: number, tEnd: number) => void;
type RankRows = (colPtr: number, rowIdx: number, values: number, cols: number, c: number, cs: number, r0: number, r1: number) => void;
type Axpy4 = (a: number, b: number, c: number, d: number, values: number, out: number, from: number, to: number) => void;

/**
 * The SIMD kernels with their own linear memory (grown on demand), or undefined where the engine
 * lacks WebAssembly SIMD; callers then use the JavaScript loops, with identical arithmetic order
 * per dot product only up to the pairing of terms. With `fma`, the dot products accumulate with
 * relaxed SIMD's fused multiply-add (where the engine has relaxed SIMD).
 */
export class SimdKernels {
  /** Whether the dot products use f64x2.relaxed_madd. */
  readonly fma: boolean;
  readonly syrk24: Syrk24;
  /** The lower triangle of rows [i0, i1) of C −= P Pᵀ (i1 − i0 even): a whole trailing update in one call. */
  readonly syrkRows: SyrkRows;
  /** C −= S Sᵀ on rows [r0, r1) of C, S sparse by columns with scalar entries (arrays by byte address). */
  readonly rankRows: RankRows;
  /** out[k] += Σ values[i]·rowᵢ[k] over k in [from, to) for four rows (addresses of their entry 0) and four values. */
  readonly axpy4: Axpy4;
  private readonly memory: WebAssembly.Memory;
  private view: Float64Array;

  private constructor(instance: WebAssembly.Instance, fma: boolean) {
    this.fma = fma;
    this.memory = instance.exports.memory as WebAssembly.Memory;
    this.syrk24 = instance.exports.syrk24 as Syrk24;
    this.syrkRows = instance.exports.syrkRows as SyrkRows;
    this.rankRows = instance.exports.rankRows as RankRows;
    this.axpy4 = instance.exports.axpy4 as Axpy4;
    this.view = new Float64Array(this.memory.buffer);
  }

  /** The kernels, with relaxed SIMD's multiply-add when `fma`; undefined where the engine cannot run them. */
  static create(fma = false): SimdKernels | undefined {
    try {
      if (typeof WebAssembly === "undefined") return undefined;
      // syrk24 and edge first: syrkRows calls them by index.
      const bytes = moduleBytes([syrk24(fma), edge(fma), syrkRows, rankRows, axpy4(fma)]);
      if (fma && !relaxedSimdAvailable()) return undefined;
      if (!WebAssembly.validate(bytes)) return undefined;
      return new SimdKernels(new WebAssembly.Instance(new WebAssembly.Module(bytes)), fma);
    } catch {
      return undefined;
    }
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

/** The kernels of this thread by variant (plain, fma), created on first use; null where unavailable. */
const kernels: [plain: SimdKernels | null | undefined, fma: SimdKernels | null | undefined] = [undefined, undefined];
let enabled = true;

/**
 * The shared kernels of this thread: with relaxed SIMD's fused multiply-add where the engine has it
 * (and it is not turned off by `useFma`), else plain WebAssembly SIMD; undefined without SIMD.
 */
export function simdKernels(): SimdKernels | undefined {
  if (!enabled) return undefined;
  if (relaxedSimd()) {
    if (kernels[1] === undefined) kernels[1] = SimdKernels.create(true) ?? null;
    if (kernels[1]) return kernels[1];
  }
  if (kernels[0] === undefined) kernels[0] = SimdKernels.create(false) ?? null;
  return kernels[0] ?? undefined;
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
