// A tiny WebAssembly assembler: opcodes and encodings, enough to write small numeric kernels by
// hand (no toolchain, no binary blob in the repository). Shared by the packages' SIMD kernels.

export const I32 = 0x7f;
export const V128 = 0x7b;
export const F64 = 0x7c;

export function uleb(n: number): number[] {
  const out: number[] = [];
  do {
    let b = n & 0x7f;
    n >>>= 7;
    if (n !== 0) b |= 0x80;
    out.push(b);
  } while (n !== 0);
  return out;
}

export function sleb(n: number): number[] {
  const out: number[] = [];
  for (;;) {
    const b = n & 0x7f;
    n >>= 7;
    if ((n === 0 && (b & 0x40) === 0) || (n === -1 && (b & 0x40) !== 0)) {
      out.push(b);
      return out;
    }
    out.push(b | 0x80);
  }
}

const section = (id: number, body: number[]) => [id, ...uleb(body.length), ...body];
const vec = (items: number[][]) => [...uleb(items.length), ...items.flat()];
const name = (s: string) => [...uleb(s.length), ...Array.from(s, (c) => c.charCodeAt(0))];

// Instructions.
export const get = (i: number) => [0x20, ...uleb(i)];
export const set = (i: number) => [0x21, ...uleb(i)];
export const i32 = (v: number) => [0x41, ...sleb(v)];
export const i32Add = [0x6a];
export const i32Sub = [0x6b];
export const i32Mul = [0x6c];
export const i32Shl = [0x74];
export const i32ShrU = [0x76];
export const i32GtS = [0x4a];
export const call = (index: number) => [0x10, ...uleb(index)];
export const i32GeS = [0x4e];
export const i32GeU = [0x4f];
export const i32Eqz = [0x45];
export const f64Load = (offset = 0) => [0x2b, 3, ...uleb(offset)];
export const i32Load = (offset = 0) => [0x28, 2, ...uleb(offset)];
export const i32LtS = [0x48];
export const f64Mul = [0xa2];
export const f64Store = (offset = 0) => [0x39, 3, ...uleb(offset)];
export const f64Add = [0xa0];
export const f64Sub = [0xa1];
const simd = (op: number, ...imm: number[]) => [0xfd, ...uleb(op), ...imm];
export const v128Load = (offset = 0) => simd(0x00, 3, ...uleb(offset));
export const v128Store = (offset = 0) => simd(0x0b, 3, ...uleb(offset));
export const v128Load64Splat = (offset = 0) => simd(0x0a, 3, ...uleb(offset));
export const v128Zero = simd(0x0c, ...new Array(16).fill(0));
export const f64x2Add = simd(0xf0);
export const f64x2Mul = simd(0xf2);
/**
 * Relaxed SIMD's a·b + c (operands pushed in that order): fused (one rounding) where the hardware has
 * FMA, or a multiply and an add (two roundings) where it has not — the engine's choice, either way
 * within the rounding of the unfused pair.
 */
export const f64x2RelaxedMadd = simd(0x107);
export const f64x2ExtractLane = (lane: number) => simd(0x21, lane);
export const block = (...body: number[][]) => [0x02, 0x40, ...body.flat(), 0x0b];
export const loop = (...body: number[][]) => [0x03, 0x40, ...body.flat(), 0x0b];
export const brIf = (depth: number) => [0x0d, ...uleb(depth)];
export const br = (depth: number) => [0x0c, ...uleb(depth)];

/** A function: parameter count (all i32), local groups, body. */
export interface WasmFunction {
  name: string;
  params: number;
  locals: [count: number, type: number][];
  body: number[];
}

/** A module exporting its memory (as "memory") and the given functions, none returning a value. */
export function moduleBytes(functions: WasmFunction[]): Uint8Array<ArrayBuffer> {
  const types = section(1, vec(functions.map((f) => [0x60, ...vec(Array.from({ length: f.params }, () => [I32])), 0x00])));
  const funcs = section(3, vec(functions.map((_, i) => uleb(i))));
  const memory = section(5, vec([[0x00, ...uleb(1)]]));
  const exports = section(7, vec([[...name("memory"), 0x02, 0x00], ...functions.map((f, i) => [...name(f.name), 0x00, ...uleb(i)])]));
  const code = section(
    10,
    vec(
      functions.map((f) => {
        const body = [...vec(f.locals.map(([count, type]) => [...uleb(count), type])), ...f.body, 0x0b];
        return [...uleb(body.length), ...body];
      }),
    ),
  );
  return new Uint8Array([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, ...types, ...funcs, ...memory, ...exports, ...code]);
}
