import { choleskyBlocked, UNBLOCKED_MAX } from "../../numerics/dense/cholesky.js";
import { choleskyUnblocked } from "../../numerics/dense/choleskyScalar.js";
import { choleskySimd } from "./choleskySimd.js";
import { simdKernels } from "./wasm/simdKernels.js";

/**
 * The engine's dense Cholesky factor in place (as numerics' `choleskyInPlace`), with the WebAssembly
 * SIMD kernel from {@link SIMD_MIN} rows when it is available: the fitter's large blocks, the
 * rank-updated Schur complement and the marginal covariance go through here.
 */
export function choleskyInPlaceFast(a: Float64Array, n: number, stride: number = n, offset = 0): boolean {
  // The small blocks of the inner loop go straight to the unblocked loop (no call more than before).
  if (n <= UNBLOCKED_MAX) return choleskyUnblocked(a, n, stride, offset);
  const simd = n >= SIMD_MIN ? simdKernels() : undefined;
  return simd ? choleskySimd(simd, a, n, stride, offset) : choleskyBlocked(a, n, stride, offset);
}

/** From this size the copy into WebAssembly memory is repaid by the faster kernel. */
export const SIMD_MIN = 192;
