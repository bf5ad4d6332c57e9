import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { coefficients, kenwardRogerAdjustment, lmm, RemlRequiredError } from "@lmm/core";
import { coefficientsAggregated, kenwardRogerAggregated } from "@lmm/core/aggregate";
import { fitSql } from "../src/index.js";
import type { DuckdbEngine } from "../src/duckdb/index.js";
import { cellTable, columns, engineWith } from "./tables.js";

// Kenward–Roger from the sums: the in-memory adjustment (itself checked against pbkrtest in
// test/reference) and the one from the SQL cells' cross-products, at the same θ, differ only by the
// order of summation. Measured: df and adjusted SEs agree to 1e-13 relative (largest of the four models 1.2e-13); the bound is 1e-8.
const rel = (a: number, b: number) => Math.abs(a - b) / Math.max(Math.abs(b), 1e-300);

let engine: DuckdbEngine;
const data = cellTable(1500, 19);
beforeAll(async () => (engine = await engineWith({ cells: data })));
afterAll(() => engine.close());

describe("Kenward–Roger from SQL sums equals the in-memory adjustment of the same rows", () => {
  const cases: [string, string][] = [
    ["random intercept", "y ~ x + (1 | patient)"],
    ["correlated random slope", "y ~ x + f + (x | patient)"],
    ["crossed factors", "y ~ x + (1 | patient) + (1 | batch)"],
    ["three crossed factors, an interaction and a slope", "y ~ x * f + (x | patient) + (1 | batch) + (1 | slide)"],
  ];
  for (const [name, formula] of cases) {
    it(name, async () => {
      const mem = lmm(formula, columns(data));
      const at = await fitSql(engine, { table: "cells" }, formula, { theta: mem.theta });
      const a = kenwardRogerAggregated(at), b = kenwardRogerAdjustment(mem);
      const scale = Math.max(...Array.from(b.phiA, Math.abs));
      a.phiA.forEach((v, c) => expect(Math.abs(v - b.phiA[c])).toBeLessThan(1e-8 * scale));
      const sql = coefficientsAggregated(at, { ddf: "kenward-roger" });
      const ref = coefficients(mem, { ddf: "kenward-roger" });
      sql.forEach((row, j) => {
        expect(row.name).toBe(ref[j].name);
        expect(rel(row.df, ref[j].df)).toBeLessThan(1e-8);
        expect(rel(row.stdError, ref[j].stdError)).toBeLessThan(1e-8);
        expect(rel(row.statistic, ref[j].statistic)).toBeLessThan(1e-8);
      });
    });
  }

  it("refuses ML fits as lmerTest does", async () => {
    const fit = await fitSql(engine, { table: "cells" }, "y ~ x + (1 | patient)", { reml: false });
    expect(() => kenwardRogerAggregated(fit)).toThrow(RemlRequiredError);
  });
});
