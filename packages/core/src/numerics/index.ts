// @lmm/core/numerics: the numerical tools every package shares — distributions, the seeded random
// generator, small dense linear algebra (row-major, symmetric positive-definite) and the small
// WebAssembly assembler behind the SIMD kernels.
export { Rng } from "./Rng.js";
export { chiSquareDraw, gammaDraw } from "./gamma.js";
export * from "./distributions.js";
export { choleskyFactor, choleskySolve, inverseSPD, inverseFromFactor, inverseQuadraticForm, semidefiniteFactor } from "./dense/spd.js";
/** The small WebAssembly assembler behind the SIMD kernels, for packages that write their own. */
export * as wasm from "./wasm/assemble.js";
/** Relaxed SIMD (fused multiply-add) for the SIMD kernels: availability and the switch. */
export { relaxedSimd, relaxedSimdAvailable, useFma } from "./wasm/relaxed.js";
