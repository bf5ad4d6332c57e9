// C −= S Sᵀ for a sparse S with scalar entries, rows [r0, r1) of C only: the Schur complement's rank
// update, split between threads by rows of C (the threads write disjoint rows).
import * as w from "../../../numerics/wasm/assemble.js";

// rankRows(colPtr, rowIdx, values, cols, c, cs, r0, r1): for each column, the pairs (a, b ≤ a) of its
// ascending entries with r0 ≤ row(a) < r1: C[row(a)][row(b)] −= v(a)·v(b). Arrays by byte address;
// C with row stride cs bytes.
const [colPtr, rowIdx, values, cols, c, cs, r0, r1] = [0, 1, 2, 3, 4, 5, 6, 7];
const [col, a, b, end, ra, rowBase, addr] = [8, 9, 10, 11, 12, 13, 14];
const va = 15; // f64

const i32At = (base: number, index: number) => [...w.get(base), ...w.get(index), ...w.i32(4), ...w.i32Mul, ...w.i32Add, ...w.i32Load()];
const f64At = (index: number) => [...w.get(values), ...w.get(index), ...w.i32(8), ...w.i32Mul, ...w.i32Add, ...w.f64Load()];

const pairLoop = [
  // start of the column: b from colPtr[col] to a
  ...w.get(col), ...w.i32(4), ...w.i32Mul, ...w.get(colPtr), ...w.i32Add, ...w.i32Load(), ...w.set(b),
  ...w.block(w.loop([...w.get(b), ...w.get(a), ...w.i32GtS, ...w.brIf(1)], [
    ...w.get(rowBase), ...i32At(rowIdx, b), ...w.i32(8), ...w.i32Mul, ...w.i32Add, ...w.set(addr),
    ...w.get(addr),
    ...w.get(addr), ...w.f64Load(),
    ...w.get(va), ...f64At(b), ...w.f64Mul,
    ...w.f64Sub, ...w.f64Store(),
    ...w.get(b), ...w.i32(1), ...w.i32Add, ...w.set(b),
  ], w.br(0))),
];

const entryLoop = [
  ...w.block(w.loop([...w.get(a), ...w.get(end), ...w.i32GeS, ...w.brIf(1)], [
    ...i32At(rowIdx, a), ...w.set(ra),
    // rows ascend: past r1 the column is done for this thread
    ...w.get(ra), ...w.get(r1), ...w.i32GeS, ...w.brIf(1),
    ...w.block([...w.get(ra), ...w.get(r0), ...w.i32LtS, ...w.brIf(0),
      ...w.get(c), ...w.get(ra), ...w.get(cs), ...w.i32Mul, ...w.i32Add, ...w.set(rowBase),
      ...f64At(a), ...w.set(va),
      ...pairLoop,
    ]),
    ...w.get(a), ...w.i32(1), ...w.i32Add, ...w.set(a),
  ], w.br(0))),
];

export const rankRows: w.WasmFunction = {
  name: "rankRows",
  params: 8,
  locals: [[7, w.I32], [1, w.F64]],
  body: [
    ...w.i32(0), ...w.set(col),
    ...w.block(w.loop([...w.get(col), ...w.get(cols), ...w.i32GeS, ...w.brIf(1)], [
      ...w.get(col), ...w.i32(4), ...w.i32Mul, ...w.get(colPtr), ...w.i32Add, ...w.i32Load(), ...w.set(a),
      ...w.get(col), ...w.i32(4), ...w.i32Mul, ...w.get(colPtr), ...w.i32Add, ...w.i32Load(4), ...w.set(end),
      ...entryLoop,
      ...w.get(col), ...w.i32(1), ...w.i32Add, ...w.set(col),
    ], w.br(0))),
  ],
};
