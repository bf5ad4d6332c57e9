import { moduleBytes } from "./assemble.js";
import { syrk24 } from "./syrkKernel.js";

type Syrk24 = (p: number, ps: number, c: number, cs: number, i: number, jEnd: number, tEnd: number) => void;

/**
 * The SIMD kernels with their own linear memory (grown on demand), or undefined where the engine
 * lacks WebAssembly SIMD; callers then use the JavaScript loops, with identical arithmetic order
 * per dot product only up to the pairing of terms.
 */
export class SimdKernels {
  readonly syrk24: Syrk24;
  private readonly memory: WebAssembly.Memory;
  private view: Float64Array;

  private constructor(instance: WebAssembly.Instance) {
    this.memory = instance.exports.memory as WebAssembly.Memory;
    this.syrk24 = instance.exports.syrk24 as Syrk24;
    this.view = new Float64Array(this.memory.buffer);
  }

  static create(): SimdKernels | undefined {
    try {
      if (typeof WebAssembly === "undefined") return undefined;
      const bytes = moduleBytes([syrk24]);
      if (!WebAssembly.validate(bytes)) return undefined;
      return new SimdKernels(new WebAssembly.Instance(new WebAssembly.Module(bytes)));
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

let kernels: SimdKernels | null | undefined;
let enabled = true;

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
