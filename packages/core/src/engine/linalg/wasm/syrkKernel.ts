// C −= P Pᵀ on 2 × 4 tiles with f64x2 lanes along the depth: the trailing update of the blocked
// Cholesky factorisation, the inner loop of every dense diagonal block of L. Built in two variants:
// acc += a·b as a multiply and an add (WebAssembly SIMD), or as one relaxed-SIMD f64x2.relaxed_madd
// (a fused multiply-add where the hardware has one: half the arithmetic instructions, one rounding).
import * as w from "../../../numerics/wasm/assemble.js";

/** acc ← acc + x·y on the stack's locals: f64x2.mul then f64x2.add, or one relaxed madd. */
const accumulate = (fma: boolean, accumulator: number, x: number[], y: number[]) =>
  fma ? [...x, ...y, ...w.get(accumulator), ...w.f64x2RelaxedMadd, ...w.set(accumulator)] : [...w.get(accumulator), ...x, ...y, ...w.f64x2Mul, ...w.f64x2Add, ...w.set(accumulator)];

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
const depthStep = (fma: boolean) => [
  ...w.get(pi0), ...w.get(t), ...w.i32Add, ...w.v128Load(), ...w.set(a(0)),
  ...w.get(pi1), ...w.get(t), ...w.i32Add, ...w.v128Load(), ...w.set(a(1)),
  ...[pj0, pj1, pj2, pj3].flatMap((pj, k) => [...w.get(pj), ...w.get(t), ...w.i32Add, ...w.v128Load(), ...w.set(b(k))]),
  ...[0, 1].flatMap((r) => [0, 1, 2, 3].flatMap((k) => accumulate(fma, acc(r, k), w.get(a(r)), w.get(b(k))))),
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
const columnGroup = (fma: boolean) => [
  ...[pj0, pj1, pj2, pj3].flatMap((pj, k) => [...rowAddress(p, [...w.get(j), ...w.i32(k), ...w.i32Add], ps), ...w.set(pj)]),
  ...[0, 1].flatMap((r) => [0, 1, 2, 3].flatMap((k) => [...w.v128Zero, ...w.set(acc(r, k))])),
  ...w.i32(0), ...w.set(t),
  ...w.block(w.loop([...w.get(t), ...w.get(tEnd), ...w.i32GeS, ...w.brIf(1)], depthStep(fma), w.br(0))),
  ...subtractInto(ci0, 0),
  ...subtractInto(ci1, 1),
  ...w.get(j), ...w.i32(4), ...w.i32Add, ...w.set(j),
];

export const syrk24 = (fma: boolean): w.WasmFunction => ({
  name: "syrk24",
  params: 7,
  locals: [[10, w.I32], [14, w.V128]],
  body: [...setup, ...w.block(w.loop([...w.get(j), ...w.get(jEnd), ...w.i32GeS, ...w.brIf(1)], columnGroup(fma), w.br(0)))],
});

// edge(p, ps, c, cs, i, jStart, tEnd): C[r][j] −= P_r·P_j for r in {i, i+1} and jStart ≤ j ≤ r — the
// entries by the diagonal that the 2 × 4 tiles leave.
const E = { p: 0, ps: 1, c: 2, cs: 3, i: 4, jStart: 5, tEnd: 6, r: 7, j: 8, t: 9, pr: 10, pj: 11, addr: 12, acc: 13 };
const edgeDot = (fma: boolean) => [
  ...w.v128Zero, ...w.set(E.acc),
  ...w.i32(0), ...w.set(E.t),
  ...w.block(w.loop([...w.get(E.t), ...w.get(E.tEnd), ...w.i32GeS, ...w.brIf(1)], [
    ...accumulate(fma, E.acc, [...w.get(E.pr), ...w.get(E.t), ...w.i32Add, ...w.v128Load()], [...w.get(E.pj), ...w.get(E.t), ...w.i32Add, ...w.v128Load()]),
    ...w.get(E.t), ...w.i32(16), ...w.i32Add, ...w.set(E.t),
  ], w.br(0))),
  ...rowAddress(E.c, w.get(E.r), E.cs), ...w.get(E.j), ...w.i32(8), ...w.i32Mul, ...w.i32Add, ...w.set(E.addr),
  ...w.get(E.addr),
  ...w.get(E.addr), ...w.f64Load(),
  ...w.get(E.acc), ...w.f64x2ExtractLane(0), ...w.get(E.acc), ...w.f64x2ExtractLane(1), ...w.f64Add,
  ...w.f64Sub, ...w.f64Store(),
];
const edgeRow = (fma: boolean) => [
  ...rowAddress(E.p, w.get(E.r), E.ps), ...w.set(E.pr),
  ...w.get(E.jStart), ...w.set(E.j),
  ...w.block(w.loop([...w.get(E.j), ...w.get(E.r), ...w.i32GtS, ...w.brIf(1)], [
    ...rowAddress(E.p, w.get(E.j), E.ps), ...w.set(E.pj),
    ...edgeDot(fma),
    ...w.get(E.j), ...w.i32(1), ...w.i32Add, ...w.set(E.j),
  ], w.br(0))),
];
export const edge = (fma: boolean): w.WasmFunction => ({
  name: "edge",
  params: 7,
  locals: [[6, w.I32], [1, w.V128]],
  body: [
    ...w.get(E.i), ...w.set(E.r),
    ...w.block(w.loop([...w.get(E.r), ...w.get(E.i), ...w.i32(1), ...w.i32Add, ...w.i32GtS, ...w.brIf(1)], edgeRow(fma), [...w.get(E.r), ...w.i32(1), ...w.i32Add, ...w.set(E.r)], w.br(0))),
  ],
});

// syrkRows(p, ps, c, cs, i0, i1, tEnd): the whole lower triangle of rows [i0, i1) (i1 − i0 even):
// per pair of rows, the 4-column tiles left of the diagonal, then the edge. One call per thread.
const R = { p: 0, ps: 1, c: 2, cs: 3, i0: 4, i1: 5, tEnd: 6, i: 7, jEnd: 8 };
/** Index of syrk24 and edge in the module: the kernels list them first. */
export const SYRK24_INDEX = 0, EDGE_INDEX = 1;
export const syrkRows: w.WasmFunction = {
  name: "syrkRows",
  params: 7,
  locals: [[2, w.I32]],
  body: [
    ...w.get(R.i0), ...w.set(R.i),
    ...w.block(w.loop([...w.get(R.i), ...w.get(R.i1), ...w.i32GeS, ...w.brIf(1)], [
      // jEnd = ⌊(i + 2) / 4⌋ · 4
      ...w.get(R.i), ...w.i32(2), ...w.i32Add, ...w.i32(2), ...w.i32ShrU, ...w.i32(2), ...w.i32Shl, ...w.set(R.jEnd),
      ...[R.p, R.ps, R.c, R.cs, R.i, R.jEnd, R.tEnd].flatMap((x) => w.get(x)), ...w.call(SYRK24_INDEX),
      ...[R.p, R.ps, R.c, R.cs, R.i, R.jEnd, R.tEnd].flatMap((x) => w.get(x)), ...w.call(EDGE_INDEX),
      ...w.get(R.i), ...w.i32(2), ...w.i32Add, ...w.set(R.i),
    ], w.br(0))),
  ],
};
