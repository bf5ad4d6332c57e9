// @lmm/core/numerics: the numerical tools every package shares — distributions, the seeded random
// generator, small dense linear algebra (row-major, symmetric positive-definite) and the small
// WebAssembly assembler behind the SIMD kernels.
export { Rng } from "./Rng.js";
export { chiSquareDraw, gammaDraw } from "./gamma.js";
export * from "./distributions.js";
export { choleskyFactor, choleskySolve, inverseSPD, inverseFromFactor, inverseQuadraticForm, semidefiniteFactor } from "./dense/spd.js";
// The small WebAssembly assembler behind the SIMD kernels and the relaxed-SIMD (FMA) switch.
export * from "./wasm/index.js";
