import * as arrow from "apache-arrow";
import { fromCSV, table as aqTable } from "arquero";
import { Table as WasmTable, WriterPropertiesBuilder, writeParquet } from "parquet-wasm";
import { lmm, InvalidArgumentError, UnknownColumnError } from "@lmm/core";
import { describe, expect, it } from "vitest";
import { asTable, dictionaryLevels, fit, readArrow, readParquet, tableColumns } from "../src/index.js";
import { loadDataset } from "../../../test/support/reference.js";

// Fitting from a table must hand the core exactly the columns and level order it would get from
// plain arrays, so the fits are compared for exact equality (same inputs, same arithmetic).
function sameFit(a: ReturnType<typeof lmm>, b: ReturnType<typeof lmm>) {
  expect(Array.from(a.theta)).toEqual(Array.from(b.theta));
  expect(Array.from(a.beta)).toEqual(Array.from(b.beta));
  expect(a.fixefNames).toEqual(b.fixefNames);
  expect(a.objective).toBe(b.objective);
  expect(a.nobs).toBe(b.nobs);
}

/** An Arrow dictionary vector whose dictionary is `levels` in the given order. */
function dictionaryVector(values: string[], levels: string[]) {
  const index = new Map(levels.map((l, i) => [l, i]));
  const dictionary = arrow.vectorFromArray(levels, new arrow.Utf8());
  const type = new arrow.Dictionary(new arrow.Utf8(), new arrow.Int32());
  return arrow.makeVector(arrow.makeData({ type, length: values.length, nullCount: 0, data: Int32Array.from(values, (v) => index.get(v)!), dictionary }));
}

describe("fit from tables", () => {
  const ds = loadDataset("sleepstudy");
  const formula = "Reaction ~ Days + (Days | Subject)";
  const plain = lmm(formula, ds.data, { levels: ds.levels });

  it("an Arquero table gives the fit of the plain columns", () => {
    sameFit(fit(aqTable(ds.data as Record<string, unknown[]>), formula, { levels: ds.levels }), plain);
  });

  it("hands typed columns over without copying, and filtered tables by value", () => {
    const y = Float64Array.of(1, 2, 3, 4);
    const t = aqTable({ y, g: ["a", "b", "a", "b"] });
    expect(tableColumns(t).y).toBe(y);
    const filtered = t.filter((d: { y: number }) => d.y > 1);
    expect(Array.from(tableColumns(filtered).y as ArrayLike<number>)).toEqual([2, 3, 4]);
  });

  it("an Arrow table, Arrow IPC bytes and a Parquet file give the same fit; dictionary order is the level order", async () => {
    const subjectLevels = [...ds.levels.Subject].reverse();
    const arrowTable = arrow.tableFromArrays({
      Reaction: Float64Array.from(ds.data.Reaction as ArrayLike<number>),
      Days: Float64Array.from(ds.data.Days as ArrayLike<number>),
      Subject: dictionaryVector(Array.from(ds.data.Subject as ArrayLike<string>), subjectLevels),
    });
    const expected = lmm(formula, ds.data, { levels: { Subject: subjectLevels } });
    const viaTable = fit(arrowTable, formula);
    sameFit(viaTable, expected);
    expect(viaTable.ranef()[0].levels).toEqual(subjectLevels);
    sameFit(fit(readArrow(arrow.tableToIPC(arrowTable, "stream")), formula), expected);
    const parquet = writeParquet(WasmTable.fromIPCStream(arrow.tableToIPC(arrowTable, "stream")));
    const fromParquet = await readParquet(parquet);
    // Parquet writers rebuild dictionaries in order of first appearance: that is the order read back,
    // and options.levels restores any other.
    const firstSeen = [...new Set(Array.from(ds.data.Subject as ArrayLike<string>))];
    expect(dictionaryLevels(fromParquet).Subject).toEqual(firstSeen);
    sameFit(fit(fromParquet, formula), lmm(formula, ds.data, { levels: { Subject: firstSeen } }));
    sameFit(fit(fromParquet, formula, { levels: { Subject: subjectLevels } }), expected);
  });

  it("a Parquet file of several row groups (a dictionary each) reads every value as written", async () => {
    // parquet-wasm hands each row group's dictionary over as a replacement dictionary (in batches of
    // 1024 rows); arquero alone decodes every batch with the last one (58,650 wrong cells of 200,000
    // seen before the fix). Twelve copies of sleepstudy with their own subjects: 2,160 rows, 3 groups.
    const copies = 12, n = (ds.data.Reaction as ArrayLike<number>).length;
    const data = {
      Reaction: Float64Array.from({ length: copies * n }, (_, i) => (ds.data.Reaction as ArrayLike<number>)[i % n] + Math.floor(i / n)),
      Days: Float64Array.from({ length: copies * n }, (_, i) => (ds.data.Days as ArrayLike<number>)[i % n]),
      Subject: Array.from({ length: copies * n }, (_, i) => `${(ds.data.Subject as ArrayLike<string>)[i % n]}.${Math.floor(i / n)}`),
    };
    const arrowTable = arrow.tableFromArrays({ ...data, Subject: arrow.vectorFromArray(data.Subject, new arrow.Dictionary(new arrow.Utf8(), new arrow.Int32())) });
    const properties = new WriterPropertiesBuilder().setMaxRowGroupSize(1024).setDictionaryEnabled(true).build();
    const fromParquet = await readParquet(writeParquet(WasmTable.fromIPCStream(arrow.tableToIPC(arrowTable, "stream")), properties));
    expect(Array.from(fromParquet.array("Subject") as ArrayLike<string>)).toEqual(data.Subject);
    const firstSeen = [...new Set(data.Subject)];
    expect(dictionaryLevels(fromParquet).Subject).toEqual(firstSeen);
    sameFit(fit(fromParquet, formula), lmm(formula, data, { levels: { Subject: firstSeen } }));
  });

  it("an Arrow table whose batches carry different dictionaries is decoded batch by batch", () => {
    const part = (values: string[]) => new arrow.Table({ g: arrow.vectorFromArray(values, new arrow.Dictionary(new arrow.Utf8(), new arrow.Int32())) });
    const t = readArrow(part(["a", "b", "a"]).concat(part(["c", "b", "d"])) as never);
    expect(Array.from(t.array("g") as ArrayLike<string>)).toEqual(["a", "b", "a", "c", "b", "d"]);
    expect(dictionaryLevels(t).g).toEqual(["a", "b", "c", "d"]);
  });

  it("options.levels override the dictionary order; treatment contrasts follow it", () => {
    const grades = ["G1", "G2", "G3"];
    const values = Array.from({ length: 60 }, (_, i) => grades[i % 3]);
    const g = Array.from({ length: 60 }, (_, i) => `b${i % 6}`);
    const y = Float64Array.from({ length: 60 }, (_, i) => Math.sin(i) + (i % 3) + (i % 6) * 0.3);
    const t = asTable(arrow.tableFromArrays({ y, grade: dictionaryVector(values, ["G2", "G1", "G3"]), g: arrow.vectorFromArray(g, new arrow.Utf8()) }));
    expect(fit(t, "y ~ grade + (1 | g)").fixefNames).toEqual(["(Intercept)", "gradeG1", "gradeG3"]);
    expect(fit(t, "y ~ grade + (1 | g)", { levels: { grade: ["G3", "G2", "G1"] } }).fixefNames).toEqual(["(Intercept)", "gradeG2", "gradeG1"]);
  });

  it("Arrow columns with nulls keep them missing (the rows are dropped, not read as 0)", () => {
    const y = [1.2, null, 2.9, 4.1, 5.3, 5.8, 7.4, 8.1];
    const g = ["a", "a", "b", "b", "c", "c", "d", "d"];
    const t = arrow.tableFromArrays({ y: arrow.vectorFromArray(y, new arrow.Float64()), g: arrow.vectorFromArray(g, new arrow.Utf8()) });
    const m = fit(t, "y ~ 1 + (1 | g)");
    expect(m.droppedRows.indices).toEqual([1]);
    sameFit(m, lmm("y ~ 1 + (1 | g)", { y, g }));
  });

  it("CSV through arquero's reader", () => {
    const csv = "y,g\n1.2,a\n2.1,a\n2.9,b\n4.1,b\n5.3,c\n5.8,c\n";
    const t = fromCSV(csv);
    sameFit(fit(t, "y ~ 1 + (1 | g)"), lmm("y ~ 1 + (1 | g)", { y: [1.2, 2.1, 2.9, 4.1, 5.3, 5.8], g: ["a", "a", "b", "b", "c", "c"] }));
  });

  it("bad input is a typed error naming the culprit", async () => {
    expect(() => fit({ not: "a table" } as never, "y ~ 1 + (1|g)")).toThrow(InvalidArgumentError);
    expect(() => fit(aqTable({ y: [1, 2, 3] }), "y ~ 1 + (1|g)")).toThrow(UnknownColumnError);
    await expect(readParquet(new Uint8Array([1, 2, 3]))).rejects.toThrow(InvalidArgumentError);
    expect(() => readArrow(new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8]))).toThrow(InvalidArgumentError);
  });
});
