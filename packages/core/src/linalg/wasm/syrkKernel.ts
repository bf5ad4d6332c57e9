// C −= P Pᵀ on 2 × 4 tiles with f64x2 lanes along the depth: the trailing update of the blocked
// Cholesky factorisation, the inner loop of every dense diagonal block of L.
import * as w from "./assemble.js";

// syrk24(p, ps, c, cs, i, jEnd, tEnd): for rows i and i+1 of the packed panel P (row stride ps
// bytes) and each 4-column group j < jEnd, C[i..i+1][j..j+3] −= P[i..i+1]·P[j..j+3]ᵀ over depth
// tEnd bytes (a multiple of 16: the panel is packed with an even width). C has row stride cs.
const [p, ps, c, cs, i, jEnd, tEnd] = [0, 1, 2, 3, 4, 5, 6];
const [pi0, pi1, ci0, ci1, j, pj0, pj1, pj2, pj3, t] = [7, 8, 9, 10, 11, 12, 13, 14, 15, 16];
const a = (r: number) => 17 + r; // a0, a1
const b = (k: number) => 19 + k; // b0..b3
const acc = (r: number, k: number) => 23 + 4 * r + k; // 8 accumulators

const rowAddress = (base: number, row: number[], stride: number) => [...w.get(base), ...row, ...w.get(stride), ...w.i32Mul, ...w.i32Add];
const setup = [
  ...rowAddress(p, w.get(i), ps), ...w.set(pi0),
  ...w.get(pi0), ...w.get(ps), ...w.i32Add, ...w.set(pi1),
  ...rowAddress(c, w.get(i), cs), ...w.set(ci0),
  ...w.get(ci0), ...w.get(cs), ...w.i32Add, ...w.set(ci1),
  ...w.i32(0), ...w.set(j),
];
const depthStep = [
  ...w.get(pi0), ...w.get(t), ...w.i32Add, ...w.v128Load(), ...w.set(a(0)),
  ...w.get(pi1), ...w.get(t), ...w.i32Add, ...w.v128Load(), ...w.set(a(1)),
  ...[pj0, pj1, pj2, pj3].flatMap((pj, k) => [...w.get(pj), ...w.get(t), ...w.i32Add, ...w.v128Load(), ...w.set(b(k))]),
  ...[0, 1].flatMap((r) => [0, 1, 2, 3].flatMap((k) => [...w.get(acc(r, k)), ...w.get(a(r)), ...w.get(b(k)), ...w.f64x2Mul, ...w.f64x2Add, ...w.set(acc(r, k))])),
  ...w.get(t), ...w.i32(16), ...w.i32Add, ...w.set(t),
];
// C[row][j + k] −= lane0 + lane1 of the accumulator.
const subtractInto = (ci: number, r: number) =>
  [0, 1, 2, 3].flatMap((k) => [
    ...w.get(ci), ...w.get(j), ...w.i32(8), ...w.i32Mul, ...w.i32Add,
    ...w.get(ci), ...w.get(j), ...w.i32(8), ...w.i32Mul, ...w.i32Add, ...w.f64Load(8 * k),
    ...w.get(acc(r, k)), ...w.f64x2ExtractLane(0), ...w.get(acc(r, k)), ...w.f64x2ExtractLane(1), ...w.f64Add,
    ...w.f64Sub, ...w.f64Store(8 * k),
  ]);
const columnGroup = [
  ...[pj0, pj1, pj2, pj3].flatMap((pj, k) => [...rowAddress(p, [...w.get(j), ...w.i32(k), ...w.i32Add], ps), ...w.set(pj)]),
  ...[0, 1].flatMap((r) => [0, 1, 2, 3].flatMap((k) => [...w.v128Zero, ...w.set(acc(r, k))])),
  ...w.i32(0), ...w.set(t),
  ...w.block(w.loop([...w.get(t), ...w.get(tEnd), ...w.i32GeS, ...w.brIf(1)], depthStep, w.br(0))),
  ...subtractInto(ci0, 0),
  ...subtractInto(ci1, 1),
  ...w.get(j), ...w.i32(4), ...w.i32Add, ...w.set(j),
];

export const syrk24: w.WasmFunction = {
  name: "syrk24",
  params: 7,
  locals: [[10, w.I32], [14, w.V128]],
  body: [...setup, ...w.block(w.loop([...w.get(j), ...w.get(jEnd), ...w.i32GeS, ...w.brIf(1)], columnGroup, w.br(0)))],
};
