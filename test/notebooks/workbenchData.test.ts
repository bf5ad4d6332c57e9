// The workbench's data path outside the browser: a file read by @lmm/arquero's readers into the
// workbench's columns, the column panel's choices applied, and tables written back as CSV.
import { describe, expect, it } from "vitest";
import { InvalidArgumentError, InvalidValueError, lmm } from "@lmm/core";
import { readCsv } from "@lmm/arquero";
import { table, toArrowIPC } from "arquero";
import { Table as WasmTable, WriterPropertiesBuilder, writeParquet } from "parquet-wasm";
import { readTableFile, tableFormat } from "../../notebooks/lib/workbench/readTable.js";
import { applyChoices, levelsOf, noChoices, pickColumns } from "../../notebooks/lib/workbench/choices.js";
import { csvText } from "../../notebooks/lib/workbench/csv.js";
import { WORKBENCH_FORMULA, workbenchCsv } from "../support/workbenchTable.js";

const bytes = (text: string) => new TextEncoder().encode(text).buffer as ArrayBuffer;

describe("reading a file for the workbench", () => {
  it("knows the formats by extension and refuses others, naming the file", () => {
    expect(tableFormat("a.CSV")).toBe("csv");
    expect(tableFormat("a.tsv")).toBe("tsv");
    expect(tableFormat("a.parquet")).toBe("parquet");
    expect(tableFormat("a.arrow")).toBe("arrow");
    expect(() => tableFormat("features.xlsx")).toThrow(InvalidArgumentError);
    expect(() => tableFormat("features.xlsx")).toThrow(/features\.xlsx/);
  });

  it("reads numeric columns as numbers and categories as levels and codes, in the fitter's level order", async () => {
    const t = await readTableFile({ name: "x.csv", bytes: bytes("g,y,n\nb,1.5,3\na,NA,1\nb,2,\n") });
    expect(t.nRows).toBe(3);
    const [g, y, n] = t.columns;
    expect(g).toMatchObject({ kind: "categorical", levels: ["a", "b"] });
    expect(Array.from(g.kind === "categorical" ? g.codes : [])).toEqual([1, 0, 1]);
    expect(y.kind === "numeric" && Array.from(y.values)).toEqual([1.5, NaN, 2]);
    expect(t.summaries[1]).toMatchObject({ kind: "numeric", missing: 1, distinct: 2, min: 1.5, max: 2 });
    expect(t.summaries[2]).toMatchObject({ kind: "numeric", missing: 1 });
    expect(n.kind).toBe("numeric");
  });

  it("reads TSV, drops a byte-order mark, and refuses bytes that are not UTF-8", async () => {
    const t = await readTableFile({ name: "x.tsv", bytes: bytes("\uFEFFy\tg\n1\ta\n2\tb\n") });
    expect(t.columns.map((c) => c.name)).toEqual(["y", "g"]);
    const latin1 = Uint8Array.from([0x79, 0x2c, 0x67, 0x0a, 0x31, 0x2c, 0x43, 0x61, 0x66, 0xe9, 0x0a]);
    await expect(readTableFile({ name: "latin1.csv", bytes: latin1.buffer })).rejects.toThrow(/latin1\.csv.*UTF-8/);
  });

  it("a Parquet file of several row groups (a dictionary per group) keeps every label in its row", async () => {
    const n = 3000;
    const patient = Array.from({ length: n }, (_, i) => `P${Math.floor(i / 3)}`);
    const y = Float64Array.from({ length: n }, (_, i) => i / 7);
    const ipc = toArrowIPC(table({ patient, y }), { format: "stream" });
    const parquet = writeParquet(WasmTable.fromIPCStream(ipc), new WriterPropertiesBuilder().setMaxRowGroupSize(1000).build());
    const t = await readTableFile({ name: "groups.parquet", bytes: parquet.slice().buffer as ArrayBuffer });
    const col = t.columns[0];
    expect(col.kind).toBe("categorical");
    if (col.kind !== "categorical") return;
    expect(col.levels).toHaveLength(1000);
    expect(Array.from(col.codes, (c) => col.levels[c])).toEqual(patient);
  });

  it("the workbench's columns fit as @lmm/arquero's table does", async () => {
    const text = workbenchCsv();
    const loaded = await readTableFile({ name: "w.csv", bytes: bytes(text) });
    const data = applyChoices(loaded, noChoices());
    const used = pickColumns(data, ["feature", "grade", "time", "site", "patient"]);
    const viaWorkbench = lmm(WORKBENCH_FORMULA, used.columns, { levels: used.levels });
    const direct = lmm(WORKBENCH_FORMULA, Object.fromEntries(readCsv(text).columnNames().map((n) => [n, readCsv(text).array(n) as ArrayLike<unknown>])));
    expect(viaWorkbench.objective).toBe(direct.objective);
    expect(Array.from(viaWorkbench.beta)).toEqual(Array.from(direct.beta));
  });
});

describe("the column panel's choices", () => {
  const loadedTable = () => readTableFile({ name: "c.csv", bytes: bytes("id,grade,code,y\n10,G2,2b,0.5\n2,G1,x,0.7\n10,G3,1a,0.1\n2,G1,2b,0.3\n") });

  it("a numeric column read as categorical has its numbers as labels, in numeric order", async () => {
    const loaded = await loadedTable();
    const data = applyChoices(loaded, { kind: { id: "categorical" }, reference: {} });
    expect(data.kinds.id).toBe("categorical");
    expect(Array.from(data.columns.id)).toEqual(["10", "2", "10", "2"]);
    expect(data.levels.id).toEqual(["2", "10"]);
    expect(levelsOf(loaded.columns[0])).toEqual(["2", "10"]);
  });

  it("a reference level goes first; the contrasts then compare with it", async () => {
    const data = applyChoices(await loadedTable(), { kind: {}, reference: { grade: "G2" } });
    expect(data.levels.grade).toEqual(["G2", "G1", "G3"]);
  });

  it("a categorical column that is not all numbers cannot be numeric: the error names the row and the value", async () => {
    const loaded = await loadedTable();
    expect(() => applyChoices(loaded, { kind: { code: "numeric" }, reference: {} })).toThrow(InvalidValueError);
    // The first label in level order that is not a number, at its first row.
    expect(() => applyChoices(loaded, { kind: { code: "numeric" }, reference: {} })).toThrow(/column "code", row 3: "1a" is not a number/);
  });

  it("any column name is an ordinary name", async () => {
    const loaded = await readTableFile({ name: "p.csv", bytes: bytes("y,constructor,toString\n1,a,2\n2,b,3\n") });
    const data = applyChoices(loaded, { kind: { toString: "categorical" }, reference: { constructor: "b" } });
    expect(Object.keys(data.columns)).toEqual(["y", "constructor", "toString"]);
    expect(data.levels.constructor).toEqual(["b", "a"]);
    expect(data.levels.toString).toEqual(["2", "3"]);
  });
});

describe("tables written as CSV", () => {
  it("writes missing values as NA, numbers in full precision, and quotes as RFC 4180 says", () => {
    const text = csvText(table({ a: Float64Array.of(0.1 + 0.2, NaN), b: ['x,"y"', null] }));
    expect(text).toBe('a,b\n0.30000000000000004,"x,""y"""\nNA,NA\n');
  });
});
