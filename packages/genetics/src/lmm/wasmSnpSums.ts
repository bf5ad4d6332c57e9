// A WebAssembly SIMD (f64x2) kernel for a SNP's likelihood sums Σ_i h_i^p u_i, h_i = 1/(λ s_i + 1), p ≤ 3,
// over its product vectors (x∘w per covariate, x∘x, x∘y): the part of each λ evaluation that cannot be
// interpolated, evaluated some thirty times per SNP. The weights are computed for two individuals per
// instruction (one division for both), then each lane of an accumulator holds one product vector's sum, run
// in index order. The plain kernel multiplies and adds separately — every sum is the scalar loop's to the last
// bit; with relaxed SIMD (see useFma) each step is one fused multiply-add, a third fewer instructions in the
// loop that bounds the scan's per-SNP work, each sum within rounding of the scalar one. Written with the core's
// assembler.
import { relaxedSimd, wasm } from "@lmm/core/wasm";

const { I32, V128, get, set, block, loop, brIf, br, v128Load, v128Store, v128Zero, f64x2Add, f64x2Mul, f64x2RelaxedMadd } = wasm;
const i32c = wasm.i32;
const add = wasm.i32Add, mul = wasm.i32Mul, geS = wasm.i32GeS;
const splat = wasm.v128Load64Splat;
const f64x2Div = [0xfd, ...wasm.uleb(0xf3)];

// sums(n, pairs, consts, s, h, xw, out, stride) for one power p (1, 2 or 3), addresses in bytes:
// consts = [λ, λ, 1, 1]; s = eigenvalues (padded to an even count); h = three weight arrays h, h², h³, `stride`
// bytes apart; xw = product vectors in pairs, pair-major and interleaved ([u_i, v_i] at xw + 16(q·n + i));
// out = per pair the accumulators [Σh·u, Σh·v], [Σh²·u, Σh²·v], [Σh³·u, Σh³·v] (48 bytes, the first p written).
export function kernel(power: number, fma = false): wasm.WasmFunction {
  const [n, pairs, consts, s, h, xw, out, stride] = [0, 1, 2, 3, 4, 5, 6, 7];
  const [o, end, q, xp, hp, xp2] = [8, 9, 10, 11, 12, 13];
  const [lam, one, x, w1, w2, w3] = [14, 15, 16, 17, 18, 19];
  const acc = (p: number) => 19 + p; // 20, 21, 22
  const acc2 = (p: number) => 22 + p; // 23, 24, 25: the second pair's, when two run together
  const x2 = 26;
  // accumulator + weight · x, fused or as a multiply then an add.
  const madd = (accumulator: number[], weight: number[], xs: number[]) =>
    (fma ? [...weight, ...xs, ...accumulator, ...f64x2RelaxedMadd] : [...accumulator, ...weight, ...xs, ...f64x2Mul, ...f64x2Add]);
  const at = (base: number, off: number) => [...get(base), ...get(off), ...add];
  // Pass 1: weights for two individuals at a time.
  const weights = block(loop(
    [...get(o), ...get(end), ...geS, ...brIf(1)],
    [...get(one), ...get(lam), ...at(s, o), ...v128Load(0), ...f64x2Mul, ...get(one), ...f64x2Add, ...f64x2Div, ...set(w1)],
    [...at(h, o), ...get(w1), ...v128Store(0)],
    power >= 2 ? [...get(w1), ...get(w1), ...f64x2Mul, ...set(w2), ...at(h, o), ...get(stride), ...add, ...get(w2), ...v128Store(0)] : [],
    power >= 3 ? [...get(w2), ...get(w1), ...f64x2Mul, ...set(w3), ...at(h, o), ...get(stride), ...get(stride), ...add, ...add, ...get(w3), ...v128Store(0)] : [],
    [...get(o), ...i32c(16), ...add, ...set(o)],
    br(0),
  ));
  // Pass 2, per pair of product vectors: acc_p += splat(h_i^p) · [u_i, v_i], i in order.
  const step = (p: number) => [
    ...madd(get(acc(p)), [...get(hp), ...(p === 1 ? [] : [...get(stride), ...(p === 3 ? [...get(stride), ...add] : []), ...add]), ...splat(0)], get(x)),
    ...set(acc(p)),
  ];
  const individuals = block(loop(
    [...get(hp), ...get(end), ...geS, ...brIf(1)],
    [...get(xp), ...v128Load(0), ...set(x)],
    ...[1, 2, 3].filter((p) => p <= power).map(step),
    [...get(xp), ...i32c(16), ...add, ...set(xp)],
    [...get(hp), ...i32c(8), ...add, ...set(hp)],
    br(0),
  ));
  // Two pairs per pass over the individuals: twice the independent sums in flight (each sum is a chain of adds).
  const step2 = (p: number) => [
    ...get(hp), ...(p === 1 ? [] : [...get(stride), ...(p === 3 ? [...get(stride), ...add] : []), ...add]), ...splat(0), ...set(w1),
    ...madd(get(acc(p)), get(w1), get(x)), ...set(acc(p)),
    ...madd(get(acc2(p)), get(w1), get(x2)), ...set(acc2(p)),
  ];
  const individuals2 = block(loop(
    [...get(hp), ...get(end), ...geS, ...brIf(1)],
    [...get(xp), ...v128Load(0), ...set(x)],
    [...get(xp2), ...v128Load(0), ...set(x2)],
    ...[1, 2, 3].filter((p) => p <= power).map(step2),
    [...get(xp), ...i32c(16), ...add, ...set(xp)],
    [...get(xp2), ...i32c(16), ...add, ...set(xp2)],
    [...get(hp), ...i32c(8), ...add, ...set(hp)],
    br(0),
  ));
  const storePair = (pair: number[], accumulator: (p: number) => number) =>
    [1, 2, 3].filter((p) => p <= power).flatMap((p) => [...get(out), ...pair, ...i32c(48), ...mul, ...add, ...get(accumulator(p)), ...v128Store(16 * (p - 1))]);
  const twoPairs = block(loop(
    [...get(q), ...i32c(1), ...add, ...get(pairs), ...geS, ...brIf(1)],
    [1, 2, 3].filter((p) => p <= power).flatMap((p) => [...v128Zero, ...set(acc(p)), ...v128Zero, ...set(acc2(p))]),
    [...get(xw), ...get(q), ...get(n), ...mul, ...i32c(16), ...mul, ...add, ...set(xp)],
    [...get(xp), ...get(n), ...i32c(16), ...mul, ...add, ...set(xp2)],
    [...get(h), ...set(hp)],
    [...get(h), ...get(n), ...i32c(8), ...mul, ...add, ...set(end)],
    individuals2,
    storePair(get(q), acc),
    storePair([...get(q), ...i32c(1), ...add], acc2),
    [...get(q), ...i32c(2), ...add, ...set(q)],
    br(0),
  ));
  const pairLoop = block(loop(
    [...get(q), ...get(pairs), ...geS, ...brIf(1)],
    [1, 2, 3].filter((p) => p <= power).flatMap((p) => [...v128Zero, ...set(acc(p))]),
    [...get(xw), ...get(q), ...get(n), ...mul, ...i32c(16), ...mul, ...add, ...set(xp)],
    [...get(h), ...set(hp)],
    [...get(h), ...get(n), ...i32c(8), ...mul, ...add, ...set(end)],
    individuals,
    [1, 2, 3].filter((p) => p <= power).flatMap((p) => [...get(out), ...get(q), ...i32c(48), ...mul, ...add, ...get(acc(p)), ...v128Store(16 * (p - 1))]),
    [...get(q), ...i32c(1), ...add, ...set(q)],
    br(0),
  ));
  const body = [
    ...get(consts), ...v128Load(0), ...set(lam),
    ...get(consts), ...v128Load(16), ...set(one),
    ...i32c(0), ...set(o),
    ...get(stride), ...set(end),
    ...weights,
    ...i32c(0), ...set(q),
    ...twoPairs,
    ...pairLoop,
  ];
  return { name: `sums${power}`, params: 8, locals: [[6, I32], [13, V128]], body };
}

// products(n, x, u, dst): dst[16 i] = x[i] · u[i] for i < n (one lane of an interleaved pair; addresses in bytes).
function productsKernel(): wasm.WasmFunction {
  const [n, x, u, dst] = [0, 1, 2, 3];
  const [i8, end] = [4, 5];
  const body = [
    ...i32c(0), ...set(i8),
    ...get(n), ...i32c(8), ...mul, ...set(end),
    ...block(loop(
      [...get(i8), ...get(end), ...geS, ...brIf(1)],
      [...get(dst), ...get(i8), ...get(i8), ...add, ...add],
      [...get(x), ...get(i8), ...add, ...wasm.f64Load(0), ...get(u), ...get(i8), ...add, ...wasm.f64Load(0), ...wasm.f64Mul],
      wasm.f64Store(0),
      [...get(i8), ...i32c(8), ...add, ...set(i8)],
      br(0),
    )),
  ];
  return { name: "products", params: 4, locals: [[2, I32]], body };
}

type ProductsFn = (n: number, x: number, u: number, dst: number) => void;
type SumsFn = (n: number, pairs: number, consts: number, s: number, h: number, xw: number, out: number, stride: number) => void;

let compiled: { fma: boolean; module: WebAssembly.Module } | null | undefined;

/** Evaluations remembered per SNP. */
const CACHED = 4;

/**
 * The SIMD sums for one SNP model of order n with `vectors` product vectors (c + 2), holding the eigenvalues
 * and the current SNP's products in its own memory. Create once per likelihood object.
 */
export class SnpSumsKernel {
  private readonly fns: SumsFn[];
  private readonly productsFn: ProductsFn;
  private readonly f64: Float64Array;
  private readonly pairs: number;
  private readonly at: { consts: number; s: number; h: number; xw: number; out: number; stride: number; x: number; base: number };
  // The last few evaluations for the current SNP: a search asks for the same λ again (about one call in four
  // at n = 2000), e.g. the criterion at the root its derivative found.
  private readonly cacheLambda = new Float64Array(CACHED).fill(NaN);
  private readonly cachePower = new Int32Array(CACHED);
  private readonly cacheSums: Float64Array;
  private cacheNext = 0;

  private constructor(instance: WebAssembly.Instance, private readonly n: number, private readonly vectors: number, s: Float64Array) {
    const e = instance.exports;
    this.fns = [e.sums1 as SumsFn, e.sums2 as SumsFn, e.sums3 as SumsFn];
    this.productsFn = e.products as ProductsFn;
    this.pairs = (vectors + 1) >> 1;
    const padded = (n + 1) & ~1;
    const stride = padded * 8;
    const consts = 0, sAt = 32, h = sAt + stride, xw = h + 3 * stride, out = xw + this.pairs * n * 16;
    // Then the SNP's rotated genotypes and the base vectors its products are taken with.
    const x = out + this.pairs * 48, base = x + stride;
    const bytes = base + (vectors - 1) * stride;
    const memory = e.memory as WebAssembly.Memory;
    if (memory.buffer.byteLength < bytes) memory.grow(Math.ceil((bytes - memory.buffer.byteLength) / 65536));
    this.f64 = new Float64Array(memory.buffer);
    this.f64.set(s, sAt / 8); // the padding entry stays 0 (its weight 1 is never used)
    this.f64[2] = this.f64[3] = 1;
    this.at = { consts, s: sAt, h, xw, out, stride, x, base };
    this.cacheSums = new Float64Array(CACHED * 3 * vectors);
  }

  /** The kernel, or undefined where WebAssembly SIMD is unavailable (the JavaScript loops run instead). */
  static create(s: Float64Array, vectors: number): SnpSumsKernel | undefined {
    try {
      if (typeof WebAssembly === "undefined") return undefined;
      const fma = relaxedSimd();
      if (compiled === undefined || (compiled && compiled.fma !== fma)) {
        const bytes = wasm.moduleBytes([kernel(1, fma), kernel(2, fma), kernel(3, fma), productsKernel()]);
        compiled = WebAssembly.validate(bytes) ? { fma, module: new WebAssembly.Module(bytes) } : null;
      }
      if (!compiled) return undefined;
      return new SnpSumsKernel(new WebAssembly.Instance(compiled.module), s.length, vectors, s);
    } catch {
      return undefined;
    }
  }

  /**
   * Keeps the rotated base vectors (c + 1 rows of n: covariates, then y) for {@link SnpSumsKernel.setSnp}.
   */
  setBase(vectors: Float64Array): void {
    // Rows are `stride` apart (n rounded up to even), so place them one by one.
    for (let j = 0; j < this.vectors - 1; j++) this.f64.set(vectors.subarray(j * this.n, (j + 1) * this.n), (this.at.base + j * this.at.stride) / 8);
  }

  /**
   * The SNP's product vectors from its rotated genotypes x (n values from `offset`), as LambdaObjective.setSnp
   * forms them: x∘w_j for each covariate, x∘x, x∘y (the same products, one multiply each).
   */
  setSnp(x: Float64Array, offset: number): void {
    const { n, vectors, at } = this;
    this.f64.set(x.subarray(offset, offset + n), at.x / 8);
    const c = vectors - 2;
    for (let j = 0; j < vectors; j++) {
      const u = j < c ? at.base + j * at.stride : j === c ? at.x : at.base + c * at.stride;
      this.productsFn(n, at.x, u, at.xw + (j >> 1) * n * 16 + (j & 1) * 8);
    }
    this.cacheLambda.fill(NaN);
  }

  /** Sets product vector j (0 ≤ j < vectors) entry i; an odd last vector's partner lane stays 0. */
  setProducts(products: Float64Array): void {
    const { n, vectors } = this;
    const f = this.f64, base = this.at.xw / 8;
    for (let j = 0; j < vectors; j++) {
      const o = base + (j >> 1) * 2 * n + (j & 1), po = j * n;
      for (let i = 0; i < n; i++) f[o + 2 * i] = products[po + i];
    }
    this.cacheLambda.fill(NaN);
  }

  /**
   * Σ_i h_i^p u_ji for p = 1 … power and every product vector j, at λ: written to sums[(p − 1) * vectors + j].
   */
  run(lambda: number, power: number, sums: Float64Array): void {
    const { n, vectors, at } = this;
    const count = power * vectors, cached = this.cacheSums;
    for (let k = 0; k < CACHED; k++) {
      if (this.cacheLambda[k] === lambda && this.cachePower[k] >= power) {
        for (let i = 0; i < count; i++) sums[i] = cached[k * 3 * vectors + i];
        return;
      }
    }
    const f = this.f64;
    f[0] = f[1] = lambda;
    this.fns[power - 1](n, this.pairs, at.consts, at.s, at.h, at.xw, at.out, at.stride);
    const o = at.out / 8;
    for (let j = 0; j < vectors; j++) {
      const lane = o + (j >> 1) * 6 + (j & 1);
      for (let p = 0; p < power; p++) sums[p * vectors + j] = f[lane + 2 * p];
    }
    const k = this.cacheNext;
    this.cacheNext = (k + 1) % CACHED;
    this.cacheLambda[k] = lambda;
    this.cachePower[k] = power;
    for (let i = 0; i < count; i++) cached[k * 3 * vectors + i] = sums[i];
  }
}
