import { lmm, UnknownColumnError } from "@lmm/core";
import { table as aqTable } from "arquero";
import { describe, expect, it } from "vitest";
import { fit, formulaColumns, missingData } from "../src/index.js";

describe("missing-data report of one fit", () => {
  const t = aqTable({
    y: [1.2, null, 2.9, 4.1, 5.3, NaN, 7.4, 8.1, 3.3, 2.2],
    x: Float64Array.of(1, 2, NaN, 4, 5, 6, 7, 8, 9, 10),
    g: ["a", "a", "b", null, "c", "c", "d", "d", "e", "e"],
    unused: [null, null, null, null, null, null, null, null, null, null],
  });

  it("lists every used column with its role, and every dropped row with the columns missing there", () => {
    const r = missingData(t, "y ~ x + (1 | g)");
    expect(r.byColumn.objects()).toEqual([
      { feature: "y", column: "y", role: "response", missing: 2, only: 2 },
      { feature: "y", column: "x", role: "fixed", missing: 1, only: 1 },
      { feature: "y", column: "g", role: "group", missing: 1, only: 1 },
    ]);
    expect(r.byRow.objects()).toEqual([
      { feature: "y", row: 1, columns: "y" },
      { feature: "y", row: 2, columns: "x" },
      { feature: "y", row: 3, columns: "g" },
      { feature: "y", row: 5, columns: "y" },
    ]);
  });

  it("drops exactly the rows the fit drops, and takes a model as well as a formula", () => {
    const m = fit(t, "y ~ x + (1 | g)");
    const r = missingData(t, m);
    expect(Array.from(r.byRow.array("row") as ArrayLike<number>)).toEqual(m.droppedRows.indices);
    const counts = Object.fromEntries(m.droppedRows.byColumn.map((c) => [c.column, c.missing]));
    for (const row of r.byColumn.objects() as { column: string; missing: number }[]) expect(row.missing).toBe(counts[row.column]);
    // A row missing in two columns counts for both, and for neither in `only`.
    const both = missingData(aqTable({ y: [null, 2, 3, 4, 5, 6], g: [null, "a", "a", "b", "b", "c"] }), "y ~ 1 + (1|g)");
    expect(both.byColumn.objects().map((r) => [r.column, r.missing, r.only])).toEqual([["y", 1, 0], ["g", 1, 0]]);
    expect(both.byRow.objects()).toEqual([{ feature: "y", row: 0, columns: "y, g" }]);
    expect(lmm("y ~ 1 + (1|g)", { y: [null, 2, 3, 4, 5, 6], g: [null, "a", "a", "b", "b", "c"] }).droppedRows.indices).toEqual([0]);
  });

  it("roles follow the formula (grouping factors in lme4's expansion order); unknown columns are typed errors", () => {
    expect(formulaColumns("log(y) ~ a * b + (1 + t | site/patient)")).toEqual([
      { column: "y", role: "response" }, { column: "a", role: "fixed" }, { column: "b", role: "fixed" },
      { column: "t", role: "random" }, { column: "patient", role: "group" }, { column: "site", role: "group" },
    ]);
    expect(() => missingData(t, "y ~ z + (1 | g)")).toThrow(UnknownColumnError);
  });
});
