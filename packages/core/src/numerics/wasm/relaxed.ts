// WebAssembly relaxed SIMD (f64x2.relaxed_madd: a fused multiply-add where the hardware has FMA) for the
// SIMD kernels of every package: whether the engine can run it, and one switch to turn it off.
import { moduleBytes } from "./assemble.js";

/**
 * Node 20's V8 has relaxed SIMD behind `--experimental-wasm-relaxed-simd` (on by default from Node 22):
 * set it before a module using it is compiled. `process.getBuiltinModule` (Node ≥ 20.16) reaches
 * `node:v8` without an import, so browsers — which ship relaxed SIMD or not, and have no such flag —
 * never load it.
 */
function enableRelaxedSimdFlag(): void {
  const getBuiltinModule = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process?.getBuiltinModule;
  const v8 = getBuiltinModule?.("node:v8") as { setFlagsFromString?: (flags: string) => void } | undefined;
  v8?.setFlagsFromString?.("--experimental-wasm-relaxed-simd");
}

/** A module with one f64x2.relaxed_madd: validates only where the engine has relaxed SIMD. */
function probe(): Uint8Array<ArrayBuffer> {
  const zero = [0xfd, 0x0c, ...new Array(16).fill(0)];
  const body = [...zero, ...zero, ...zero, 0xfd, 0x87, 0x02, 0x1a]; // three v128 zeros, relaxed_madd, drop
  return moduleBytes([{ name: "probe", params: 0, locals: [], body }]);
}

let available: boolean | undefined;
let wanted = true;

/** Whether this engine runs relaxed SIMD (setting V8's flag in Node 20 first); checked once. */
export function relaxedSimdAvailable(): boolean {
  if (available === undefined) {
    try {
      if (typeof WebAssembly === "undefined") available = false;
      else {
        if (!WebAssembly.validate(probe())) enableRelaxedSimdFlag();
        available = WebAssembly.validate(probe());
      }
    } catch {
      available = false;
    }
  }
  return available;
}

/** Whether SIMD kernels built now should use relaxed SIMD's multiply-add: available and not turned off by {@link useFma}. */
export function relaxedSimd(): boolean {
  return wanted && relaxedSimdAvailable();
}

/**
 * Turns relaxed SIMD's fused multiply-add in the SIMD kernels (the dense Cholesky's trailing update,
 * the genetics GEMM) off (or on) in this thread — to compare with the plain f64x2 kernels, or to
 * reproduce a result of an engine without FMA — and returns the previous setting.
 *
 * @example
 * ```ts
 * const was = useFma(false); try { lmm(formula, data) } finally { useFma(was) }
 * ```
 */
export function useFma(on: boolean): boolean {
  const was = wanted;
  wanted = on;
  return was;
}
