// out[k] += a·A[k] + b·B[k] + c·C[k] + d·D[k] over a range of k: the products T⁻¹s of the criterion's
// gradient, four entries of a sparse column at a time (rows of Z = T⁻ᵀ), so that each pair of out's
// entries is loaded and stored once per four rows read. Two lanes at a time, the odd last entry alone.
import * as w from "../../../numerics/wasm/assemble.js";

// axpy4(A, B, C, D, values, out, from, to): arrays by byte address of their entry 0; values holds a, b, c, d.
const [A, B, C, D, values, out, from, to] = [0, 1, 2, 3, 4, 5, 6, 7];
const [k, pairs] = [8, 9];
const [va, vb, vc, vd, acc] = [10, 11, 12, 13, 14]; // v128

const at = (base: number) => [...w.get(base), ...w.get(k), ...w.i32(8), ...w.i32Mul, ...w.i32Add];
const madd = (fma: boolean, v: number, base: number) =>
  fma
    ? [...w.get(v), ...at(base), ...w.v128Load(), ...w.get(acc), ...w.f64x2RelaxedMadd, ...w.set(acc)]
    : [...w.get(acc), ...w.get(v), ...at(base), ...w.v128Load(), ...w.f64x2Mul, ...w.f64x2Add, ...w.set(acc)];
const scalarMadd = (i: number, base: number) => [...w.get(values), ...w.f64Load(8 * i), ...at(base), ...w.f64Load(), ...w.f64Mul, ...w.f64Add];

export const axpy4 = (fma: boolean): w.WasmFunction => ({
  name: "axpy4",
  params: 8,
  locals: [[2, w.I32], [5, w.V128]],
  body: [
    ...[va, vb, vc, vd].flatMap((v, i) => [...w.get(values), ...w.v128Load64Splat(8 * i), ...w.set(v)]),
    ...w.get(from), ...w.set(k),
    ...w.get(to), ...w.get(from), ...w.i32Sub, ...w.i32(1), ...w.i32ShrU, ...w.set(pairs),
    ...w.block(w.loop([...w.get(pairs), ...w.i32Eqz, ...w.brIf(1)], [
      ...at(out), ...w.v128Load(), ...w.set(acc),
      ...madd(fma, va, A), ...madd(fma, vb, B), ...madd(fma, vc, C), ...madd(fma, vd, D),
      ...at(out), ...w.get(acc), ...w.v128Store(),
      ...w.get(k), ...w.i32(2), ...w.i32Add, ...w.set(k),
      ...w.get(pairs), ...w.i32(1), ...w.i32Sub, ...w.set(pairs),
    ], w.br(0))),
    // An odd count: the last entry alone.
    ...w.block([
      ...w.get(k), ...w.get(to), ...w.i32GeS, ...w.brIf(0),
      ...at(out),
      ...at(out), ...w.f64Load(),
      ...scalarMadd(0, A), ...scalarMadd(1, B), ...scalarMadd(2, C), ...scalarMadd(3, D),
      ...w.f64Store(),
    ]),
  ],
});
