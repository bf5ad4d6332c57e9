// A WebAssembly SIMD kernel for the symmetric matrix–vector product of the Householder tridiagonalisation
// (tridiagonal.ts): p += S v over the lower triangle of a trailing block S, read row by row, each entry used
// twice (row r's dot product with v, and its column's share r ↦ p[q]). This product is half the flops of the
// reduction and the part the GEMM kernel cannot take; f64x2 lanes (fused multiply-adds with relaxed SIMD)
// make it about twice as fast as scalar JavaScript. The matrix lives in the kernel's own memory while the
// reduction runs. Written with the core's assembler.
import { relaxedSimd, wasm } from "@lmm/core/numerics";

const { I32, V128, F64, get, set, block, loop, brIf, br, v128Load, v128Store, v128Zero, f64x2Add, f64x2Mul, f64x2RelaxedMadd, f64x2ExtractLane } = wasm;
const i32c = wasm.i32;
const add = wasm.i32Add, mul = wasm.i32Mul, geS = wasm.i32GeS, gtS = wasm.i32GtS;
const { f64Load, f64Store, f64Mul, f64Add } = wasm;
const splat = wasm.v128Load64Splat;

// symv(a, ld, c1, n, v, p): for c1 ≤ q ≤ r < n, with S[r][q] at byte a + r·ld + 8q:
// p[q] += S[r][q] v[r] and p[r] += S[r][q] v[q] (q < r), p[r] += S[r][r] v[r]. v and p are byte bases.
function kernel(fma: boolean): wasm.WasmFunction {
  const [a, ld, c1, n, v, p] = [0, 1, 2, 3, 4, 5];
  const [r, qb, rb, row] = [6, 7, 8, 9];
  const [acc, vr, x] = [10, 11, 12];
  const [s, e] = [13, 14];
  const madd = (xs: number[], ys: number[], zs: number[]) => (fma ? [...xs, ...ys, ...zs, ...f64x2RelaxedMadd] : [...zs, ...xs, ...ys, ...f64x2Mul, ...f64x2Add]);
  const at = (base: number, off: number) => [...get(base), ...get(off), ...add];
  const pairs = block(loop(
    [...get(qb), ...i32c(16), ...add, ...get(rb), ...gtS, ...brIf(1)],
    [...at(row, qb), ...v128Load(0), ...set(x)],
    [...madd(get(x), [...at(v, qb), ...v128Load(0)], get(acc)), ...set(acc)],
    [...at(p, qb), ...madd(get(x), get(vr), [...at(p, qb), ...v128Load(0)]), ...v128Store(0)],
    [...get(qb), ...i32c(16), ...add, ...set(qb)],
    br(0),
  ));
  // At most one entry left before the diagonal.
  const tail = block(
    [...get(qb), ...get(rb), ...geS, ...brIf(0)],
    [...at(row, qb), ...f64Load(0), ...set(e)],
    [...get(s), ...get(e), ...at(v, qb), ...f64Load(0), ...f64Mul, ...f64Add, ...set(s)],
    [...at(p, qb), ...at(p, qb), ...f64Load(0), ...get(e), ...at(v, rb), ...f64Load(0), ...f64Mul, ...f64Add, ...f64Store(0)],
  );
  const rows = block(loop(
    [...get(r), ...get(n), ...geS, ...brIf(1)],
    [...get(a), ...get(r), ...get(ld), ...mul, ...add, ...set(row)],
    [...get(r), ...i32c(3), ...wasm.i32Shl, ...set(rb)],
    [...at(v, rb), ...splat(0), ...set(vr)],
    [...v128Zero, ...set(acc)],
    [...get(c1), ...i32c(3), ...wasm.i32Shl, ...set(qb)],
    pairs,
    [...get(acc), ...f64x2ExtractLane(0), ...get(acc), ...f64x2ExtractLane(1), ...f64Add, ...set(s)],
    tail,
    // p[r] += s + S[r][r] v[r]
    [...at(p, rb), ...at(p, rb), ...f64Load(0), ...get(s), ...at(row, rb), ...f64Load(0), ...at(v, rb), ...f64Load(0), ...f64Mul, ...f64Add, ...f64Add, ...f64Store(0)],
    [...get(r), ...i32c(1), ...add, ...set(r)],
    br(0),
  ));
  return { name: "symv", params: 6, locals: [[4, I32], [3, V128], [2, F64]], body: [...get(c1), ...set(r), ...rows] };
}

type SymvFn = (a: number, ld: number, c1: number, n: number, v: number, p: number) => void;

/** A matrix of order n and two vectors in the kernel's memory, with the product on them. */
export interface SymvWorkspace {
  /** Row-major n × n (a view on the workspace's own memory). */
  A: Float64Array;
  v: Float64Array;
  p: Float64Array;
  /** p[c1..n) += S v[c1..n) for the trailing block S = A[c1.., c1..] (lower triangle read). */
  product(c1: number): void;
}

let compiled: { fma: boolean; module: WebAssembly.Module } | null | undefined;

/**
 * A workspace for a matrix of order n, or undefined where WebAssembly SIMD is unavailable or the memory
 * cannot grow. Each call has its own instance, whose memory is freed with the workspace.
 *
 * @example
 * ```ts
 * const ws = symvWorkspace(n); if (ws) { ws.A.set(A); ws.v.set(x); ws.p.fill(0); ws.product(0); }
 * ```
 */
export function symvWorkspace(n: number): SymvWorkspace | undefined {
  try {
    if (typeof WebAssembly === "undefined") return undefined;
    const fma = relaxedSimd();
    if (compiled === undefined || (compiled && compiled.fma !== fma)) {
      const bytes = wasm.moduleBytes([kernel(fma)]);
      compiled = WebAssembly.validate(bytes) ? { fma, module: new WebAssembly.Module(bytes) } : null;
    }
    if (!compiled) return undefined;
    const bytes = (n * n + 2 * n) * 8;
    if (bytes > 2 ** 31) return undefined; // i32 addressing in the kernel
    const exports = new WebAssembly.Instance(compiled.module).exports;
    const memory = exports.memory as WebAssembly.Memory, symv = exports.symv as SymvFn;
    if (memory.buffer.byteLength < bytes) memory.grow(Math.ceil((bytes - memory.buffer.byteLength) / 65536));
    const buffer = memory.buffer;
    const A = new Float64Array(buffer, 0, n * n);
    const v = new Float64Array(buffer, n * n * 8, n);
    const p = new Float64Array(buffer, (n * n + n) * 8, n);
    const ld = n * 8, vb = n * n * 8, pb = (n * n + n) * 8;
    return { A, v, p, product: (c1) => symv(0, ld, c1, n, vb, pb) };
  } catch {
    return undefined;
  }
}
