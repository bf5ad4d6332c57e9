// A WebAssembly SIMD (f64x2) version of the packed 4×4 GEMM kernel, assembled here from its opcodes (no
// toolchain, no binary blob): C += A Bᵀ over packed 4-row panels, the layout of gemm.ts. Two f64 lanes per
// instruction roughly double the throughput of the scalar JavaScript kernel. Used when the engine validates
// the module (every current browser and Node ≥ 16.4); otherwise gemm.ts runs. Where the engine has
// relaxed SIMD, acc += a·b is one f64x2.relaxed_madd (a fused multiply-add on hardware with FMA). Written
// with the core's assembler.
import { relaxedSimd, wasm } from "@lmm/core/wasm";

const { I32, V128, get, set, block, loop, brIf, br, v128Load, v128Store, v128Zero, f64x2Add, f64x2Mul, f64x2RelaxedMadd } = wasm;
const i32c = wasm.i32;
const add = wasm.i32Add, sub = wasm.i32Sub, mul = wasm.i32Mul, shl = wasm.i32Shl, geU = wasm.i32GeU, eqz = wasm.i32Eqz;
const load64Splat = wasm.v128Load64Splat;

// gemm(ap, bp, lda, ldb, k, c, mp, np, ldc): for each 4-row panel pair (ib < mp, jb < np), over depth k,
// C[4ib.., 4jb..] += A-panel · B-panelᵀ, accumulating in C (row-major, row stride ldc); addresses in bytes.
// gemmAdd(…): the same with each block's sum formed from zero and then added to C: C + (Σ_p a_p b_p), the
// rounding of a product into zeroed scratch added to C afterwards, without the scratch.
export function gemmKernel(fma: boolean, addInto = false): wasm.WasmFunction {
  const [ap, bp, lda, ldb, k, c, mp, np, ldc] = [0, 1, 2, 3, 4, 5, 6, 7, 8];
  const [ib, jb, p, a, b, cp] = [9, 10, 11, 12, 13, 14];
  const acc = (r: number, half: number) => 15 + 2 * r + half;
  const [blo, bhi, av] = [acc(3, 1) + 1, acc(3, 1) + 2, acc(3, 1) + 3];
  const rowAddr = (r: number) => (r === 0 ? get(cp) : [...get(cp), ...get(ldc), ...i32c(r), ...mul, ...add]);
  const loadAcc = addInto
    ? [0, 1, 2, 3].flatMap((r) => [...v128Zero, ...set(acc(r, 0)), ...v128Zero, ...set(acc(r, 1))])
    : [0, 1, 2, 3].flatMap((r) => [...rowAddr(r), ...v128Load(0), ...set(acc(r, 0)), ...rowAddr(r), ...v128Load(16), ...set(acc(r, 1))]);
  const storeAcc = addInto
    ? [0, 1, 2, 3].flatMap((r) => [
      ...rowAddr(r), ...rowAddr(r), ...v128Load(0), ...get(acc(r, 0)), ...f64x2Add, ...v128Store(0),
      ...rowAddr(r), ...rowAddr(r), ...v128Load(16), ...get(acc(r, 1)), ...f64x2Add, ...v128Store(16),
    ])
    : [0, 1, 2, 3].flatMap((r) => [...rowAddr(r), ...get(acc(r, 0)), ...v128Store(0), ...rowAddr(r), ...get(acc(r, 1)), ...v128Store(16)]);
  const step = [
    ...get(b), ...v128Load(0), ...set(blo),
    ...get(b), ...v128Load(16), ...set(bhi),
    ...[0, 1, 2, 3].flatMap((r) => [
      ...get(a), ...load64Splat(8 * r), ...set(av),
      ...multiplyAdd(fma, acc(r, 0), av, blo),
      ...multiplyAdd(fma, acc(r, 1), av, bhi),
    ]),
    ...get(a), ...i32c(32), ...add, ...set(a),
    ...get(b), ...i32c(32), ...add, ...set(b),
    ...get(p), ...i32c(1), ...sub, ...set(p),
  ];
  const inner = block(loop([...get(p), ...eqz, ...brIf(1)], step, br(0)));
  const jbLoop = block(loop(
    [...get(jb), ...get(np), ...geU, ...brIf(1)],
    [...get(ap), ...get(ib), ...get(lda), ...mul, ...add, ...set(a)],
    [...get(bp), ...get(jb), ...get(ldb), ...mul, ...add, ...set(b)],
    [...get(c), ...get(ib), ...i32c(2), ...shl, ...get(ldc), ...mul, ...add, ...get(jb), ...i32c(5), ...shl, ...add, ...set(cp)],
    loadAcc,
    [...get(k), ...set(p)],
    inner,
    storeAcc,
    [...get(jb), ...i32c(1), ...add, ...set(jb)],
    br(0),
  ));
  const ibLoop = block(loop(
    [...get(ib), ...get(mp), ...geU, ...brIf(1)],
    [...i32c(0), ...set(jb)],
    jbLoop,
    [...get(ib), ...i32c(1), ...add, ...set(ib)],
    br(0),
  ));
  const body = [...i32c(0), ...set(ib), ...ibLoop];
  return { name: addInto ? "gemmAdd" : "gemm", params: 9, locals: [[6, I32], [11, V128]], body };
}

/** acc ← acc + x·y (locals): a multiply and an add, or one relaxed multiply-add. */
function multiplyAdd(fma: boolean, accumulator: number, x: number, y: number): number[] {
  return fma ? [...get(x), ...get(y), ...get(accumulator), ...f64x2RelaxedMadd, ...set(accumulator)] : [...get(accumulator), ...get(x), ...get(y), ...f64x2Mul, ...f64x2Add, ...set(accumulator)];
}

type GemmFn = (ap: number, bp: number, lda: number, ldb: number, k: number, c: number, mp: number, np: number, ldc: number) => void;
type GemmAddFn = (ap: number, bp: number, lda: number, ldb: number, k: number, c: number, mp: number, np: number, ldc: number) => void;

/** The instantiated SIMD kernel with its own linear memory, or undefined where WebAssembly SIMD is unavailable. */
export class WasmGemm {
  private memory: WebAssembly.Memory;
  private readonly gemm: GemmFn;
  private readonly gemmAdd: GemmAddFn;
  private f64: Float64Array;
  /** Bytes in use: a bump allocator, reset by {@link WasmGemm.reset} (resident operands stay below `mark`). */
  private top = 0;

  /** Whether the kernel accumulates with relaxed SIMD's multiply-add. */
  readonly fma: boolean;

  private constructor(instance: WebAssembly.Instance, fma: boolean) {
    this.fma = fma;
    this.memory = instance.exports.memory as WebAssembly.Memory;
    this.gemm = instance.exports.gemm as GemmFn;
    this.gemmAdd = instance.exports.gemmAdd as GemmAddFn;
    this.f64 = new Float64Array(this.memory.buffer);
  }

  /**
   * The kernel, with relaxed SIMD's multiply-add where the engine has it and `useFma` leaves it on (or as `fma`
   * says: false gives the plain kernel, a multiply and an add per term, as scalar JavaScript rounds them).
   */
  static create(fma = relaxedSimd()): WasmGemm | undefined {
    if (!enabled) return undefined;
    try {
      if (typeof WebAssembly === "undefined") return undefined;
      const bytes = wasm.moduleBytes([gemmKernel(fma), gemmKernel(fma, true)]);
      if (!WebAssembly.validate(bytes)) return undefined;
      return new WasmGemm(new WebAssembly.Instance(new WebAssembly.Module(bytes)), fma);
    } catch {
      return undefined;
    }
  }

  /** Current allocation mark, to return to with {@link WasmGemm.reset}. */
  mark(): number {
    return this.top;
  }

  reset(mark: number): void {
    this.top = mark;
  }

  /** Copies `data` into linear memory (16-byte aligned) and returns its byte offset. */
  put(data: Float64Array): number {
    const off = this.alloc(data.length);
    this.f64.set(data, off / 8);
    return off;
  }

  /** Reserves `count` doubles without clearing them (for operands written whole); returns the byte offset. */
  reserve(count: number): number {
    return this.alloc(count);
  }

  /** Reserves `count` zeroed doubles; returns the byte offset. */
  zeros(count: number): number {
    const off = this.alloc(count);
    this.f64.fill(0, off / 8, off / 8 + count);
    return off;
  }

  view(off: number, count: number): Float64Array {
    return this.f64.subarray(off / 8, off / 8 + count);
  }

  private alloc(count: number): number {
    const off = (this.top + 15) & ~15;
    const end = off + count * 8;
    if (end > this.memory.buffer.byteLength) {
      this.memory.grow(Math.ceil((end - this.memory.buffer.byteLength) / 65536));
      this.f64 = new Float64Array(this.memory.buffer);
    }
    this.top = end;
    return off;
  }

  /**
   * C += (A Bᵀ formed from zero) for panels at byte offsets, depth k, panel strides in doubles; C row-major with
   * `ldc` doubles a row, 4mp × 4np entries written (padding included).
   */
  runAdd(ap: number, bp: number, panelStrideA: number, panelStrideB: number, k: number, c: number, mp: number, np: number, ldc: number): void {
    this.gemmAdd(ap, bp, panelStrideA * 8, panelStrideB * 8, k, c, mp, np, ldc * 8);
  }

  /**
   * Dense C += A Bᵀ (4mp × 4np entries, row-major with `ldc` doubles a row, default 4np) for panels at byte
   * offsets, depth k, panel strides in doubles.
   */
  run(ap: number, bp: number, panelStrideA: number, panelStrideB: number, k: number, c: number, mp: number, np: number, ldc = 4 * np): void {
    this.gemm(ap, bp, panelStrideA * 8, panelStrideB * 8, k, c, mp, np, ldc * 8);
  }
}

let shared: WasmGemm | null | undefined;
let plain: WasmGemm | null | undefined;

/**
 * The per-thread plain SIMD kernel (a multiply and an add per term: the sums of scalar JavaScript loops to the last
 * bit, in one depth pass), or undefined without WebAssembly SIMD or with the kernels switched off.
 */
export function plainWasmGemm(): WasmGemm | undefined {
  if (!enabled) return undefined;
  if (plain === undefined) plain = WasmGemm.create(false) ?? null;
  return plain ?? undefined;
}
let enabled = true;

/** The per-thread kernel instance (created on first use; again when `useFma` changed), or undefined without WebAssembly SIMD. */
export function wasmGemm(): WasmGemm | undefined {
  if (!enabled) return undefined;
  if (shared === undefined || (shared && shared.fma !== relaxedSimd())) shared = WasmGemm.create() ?? null;
  return shared ?? undefined;
}

/** Whether the SIMD kernels are switched on in this thread (see {@link useWasmGemm}). */
export function wasmKernelsEnabled(): boolean {
  return enabled;
}

/**
 * Switches the SIMD kernel off (or back on) in this thread, e.g. to check the JavaScript kernels; returns the
 * previous setting.
 *
 * @example
 * ```ts
 * const was = useWasmGemm(false); try { symmetricEigen(A, n); } finally { useWasmGemm(was); }
 * ```
 */
export function useWasmGemm(on: boolean): boolean {
  const was = enabled;
  enabled = on;
  return was;
}
