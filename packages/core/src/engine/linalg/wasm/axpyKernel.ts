// w[r..n) += v·Z[r][r..n) for the entries (r, v) of one sparse column: the products T⁻¹s of the
// criterion's gradient (rows of Z = T⁻ᵀ, each from its diagonal on), two lanes at a time.
import * as w from "../../../numerics/wasm/assemble.js";

// axpyRows(rowIdx, values, start, end, z, zs, out, n): for e in [start, end), r = rowIdx[e], v = values[e]:
// out[k] += v·Z[r][k] for r ≤ k < n, by pairs (an odd count also adds into out[n] — padding — from Z[r][n]).
// Arrays by byte address; Z with row stride zs bytes.
const [rowIdx, values, start, end, z, zs, out, n] = [0, 1, 2, 3, 4, 5, 6, 7];
const [e, r, x, y, pairs] = [8, 9, 10, 11, 12];
const v = 13; // v128

const mulAdd = (fma: boolean) =>
  fma
    ? [...w.get(v), ...w.get(x), ...w.v128Load(), ...w.get(y), ...w.v128Load(), ...w.f64x2RelaxedMadd]
    : [...w.get(y), ...w.v128Load(), ...w.get(v), ...w.get(x), ...w.v128Load(), ...w.f64x2Mul, ...w.f64x2Add];

const pairLoop = (fma: boolean) =>
  w.block(w.loop([...w.get(pairs), ...w.i32Eqz, ...w.brIf(1)], [
    ...w.get(y), ...mulAdd(fma), ...w.v128Store(),
    ...w.get(x), ...w.i32(16), ...w.i32Add, ...w.set(x),
    ...w.get(y), ...w.i32(16), ...w.i32Add, ...w.set(y),
    ...w.get(pairs), ...w.i32(1), ...w.i32Sub, ...w.set(pairs),
  ], w.br(0)));

export const axpyRows = (fma: boolean): w.WasmFunction => ({
  name: "axpyRows",
  params: 8,
  locals: [[5, w.I32], [1, w.V128]],
  body: [
    ...w.get(start), ...w.set(e),
    ...w.block(w.loop([...w.get(e), ...w.get(end), ...w.i32GeS, ...w.brIf(1)], [
      ...w.get(rowIdx), ...w.get(e), ...w.i32(4), ...w.i32Mul, ...w.i32Add, ...w.i32Load(), ...w.set(r),
      ...w.get(values), ...w.get(e), ...w.i32(8), ...w.i32Mul, ...w.i32Add, ...w.v128Load64Splat(), ...w.set(v),
      ...w.get(z), ...w.get(r), ...w.get(zs), ...w.i32Mul, ...w.i32Add, ...w.get(r), ...w.i32(8), ...w.i32Mul, ...w.i32Add, ...w.set(x),
      ...w.get(out), ...w.get(r), ...w.i32(8), ...w.i32Mul, ...w.i32Add, ...w.set(y),
      ...w.get(n), ...w.get(r), ...w.i32Sub, ...w.i32(1), ...w.i32Add, ...w.i32(1), ...w.i32ShrU, ...w.set(pairs),
      ...pairLoop(fma),
      ...w.get(e), ...w.i32(1), ...w.i32Add, ...w.set(e),
    ], w.br(0))),
  ],
});
