import { choleskyInPlaceFast, SIMD_MIN } from "./cholesky.js";
import { choleskySimdFilled } from "./choleskySimd.js";
import type { BlockSparse, Dense } from "./Dense.js";
import { rankUpdateSparse } from "./kernels.js";
import { simdKernels } from "./wasm/simdKernels.js";

/**
 * chol(C − S Sᵀ) for a C that `fill` writes (lower triangle, row stride n, into the array it is
 * given) and S sparse by columns with its rows in C's numbering (the Schur complement of the first
 * grouping factor). On large C with scalar S, C is written straight into the SIMD kernels' memory
 * and the update runs there, split between threads: no copies of C. Returns the array holding L
 * (row stride n) — for a large C the kernels' memory, valid until their next use — or null if not
 * positive definite. `local` gives the caller's storage for the other cases (n × n).
 */
export function choleskyAfterRankUpdate(n: number, fill: (c: Float64Array) => void, s: BlockSparse | undefined, local: () => Dense): Float64Array | null {
  const simd = n >= SIMD_MIN && (!s || (s.kr === 1 && s.kc === 1)) ? simdKernels() : undefined;
  if (simd) return choleskySimdFilled(simd, n, fill, s);
  const c = local();
  fill(c.data);
  if (s) rankUpdateSparse(c, s);
  return choleskyInPlaceFast(c.data, n) ? c.data : null;
}
