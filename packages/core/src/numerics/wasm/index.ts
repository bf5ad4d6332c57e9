// @lmm/core/wasm: the small WebAssembly assembler and the relaxed-SIMD switch alone, for packages that write
// their own kernels (also re-exported by @lmm/core/numerics, which loads the distributions as well).
/** The small WebAssembly assembler behind the SIMD kernels. */
export * as wasm from "./assemble.js";
/** Relaxed SIMD (fused multiply-add) for the SIMD kernels: availability and the switch. */
export { relaxedSimd, relaxedSimdAvailable, useFma } from "./relaxed.js";
