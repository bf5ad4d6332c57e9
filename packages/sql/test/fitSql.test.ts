import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { lmm, NotAggregableError } from "@lmm/core";
import { augmentSql, fitSql, fitSqlEach } from "../src/index.js";
import { expectSameFit } from "./sameFit.js";
import { duckdbEngine, type DuckdbEngine } from "../src/duckdb/index.js";
import { cellTable, columns, createTableSql } from "./tables.js";

describe("fitSql through DuckDB equals the in-memory fit", () => {
  let engine: DuckdbEngine;
  const data = cellTable(1500, 19);
  const holes = cellTable(1500, 23, { missing: true });
  beforeAll(async () => {
    engine = await duckdbEngine();
    await engine.run(createTableSql("cells", data, engine.dialect));
    await engine.run(createTableSql("holes", holes, engine.dialect));
  });
  afterAll(() => engine.close());

  const cases: [string, string, object?][] = [
    ["random intercept", "y ~ x + (1 | patient)"],
    ["correlated random slope", "y ~ x + (x | patient)"],
    ["uncorrelated slope (||)", "y ~ x + (x || patient)"],
    ["crossed factors", "y ~ x + (1 | patient) + (1 | batch)"],
    ["three crossed factors and a slope", "y ~ x + (x | patient) + (1 | batch) + (1 | slide)"],
    ["nested (site/patient)", "y ~ x + (1 | site/patient)"],
    ["factors and interactions", "y ~ x * f + ok + (1 | patient) + (1 | batch)"],
    ["numeric column as a factor, three-way interaction", "y ~ factor(h) * f + x:t + (1 | patient)"],
    ["formula functions", "y ~ log(x) + I(x^2) + sqrt(t + 1) + exp(-x / 4) + (1 | patient)"],
    ["no intercept", "y ~ 0 + f + x + (1 | batch)"],
    ["sum contrasts", "y ~ f + x + (1 | patient)", { contrasts: { f: "sum" } }],
    ["helmert contrasts, ML", "y ~ f + x + (1 | patient)", { contrasts: { f: "helmert" }, reml: false }],
    ["rank deficient (aliased column)", "y ~ x + I(2 * x) + (1 | patient)"],
  ];
  for (const [name, formula, options] of cases) {
    it(name, async () => {
      await expectSameFit((o) => fitSql(engine, { table: "cells" }, formula, { ...options, ...o }), lmm(formula, columns(data), options));
    });
  }

  it("drops rows with missing values in SQL and counts them as lmm does", async () => {
    const formula = "y ~ x + f + (1 | patient) + (1 | batch)";
    const sql = await fitSql(engine, { table: "holes" }, formula);
    const mem = lmm(formula, columns(holes));
    expect(sql.droppedRows.count).toBeGreaterThan(0);
    expect(sql.droppedRows.count).toBe(mem.droppedRows.count);
    for (const c of mem.droppedRows.byColumn) expect(sql.droppedRows.byColumn.find((b) => b.column === c.column)?.missing).toBe(c.missing);
    expect(sql.nRows).toBe(1500);
    await expectSameFit((o) => fitSql(engine, { table: "holes" }, formula, o), mem);
  });

  it("reads the rows once where none is dropped; the summary's pass runs where one is, or where the response may be constant", async () => {
    const formula = "y ~ x + (1 | patient)";
    const summaryPasses = (queries: string[]) => queries.filter((q) => q.includes("AS n_dropped")).length;
    const clean = await fitSql(engine, { table: "cells" }, formula);
    expect(summaryPasses(clean.queries)).toBe(0);
    expect(clean.droppedRows.count).toBe(0);
    expect(summaryPasses((await fitSql(engine, { table: "holes" }, "y ~ x + f + (1 | patient)")).queries)).toBe(1);
    // A response whose variation is about 1e-7 of its level: its sum of squares about the mean is at the
    // rounding level of the sums, so the summary's exact least and greatest values decide: not constant,
    // fitted (its estimates lose digits to the sums' cancellation: docs/sql.md, Exactness) ...
    const near = { ...data, y: data.y.map((y) => 1e6 + (y as number) * 1e-1) };
    await engine.run(createTableSql("near", near, engine.dialect));
    const fit = await fitSql(engine, { table: "near" }, formula);
    expect(summaryPasses(fit.queries)).toBe(1);
    expect(fit.nobs).toBe(1500);
    // ... and a constant one is refused, as lmm refuses it.
    await engine.run(createTableSql("flat", { ...data, y: data.y.map(() => 1e6) }, engine.dialect));
    await expect(fitSql(engine, { table: "flat" }, formula)).rejects.toThrow(/is constant \(every used value is 1000000\)/);
  });

  it("reads a query as its source", async () => {
    const keep = data.batch.map((b) => b !== 7);
    const subset = Object.fromEntries(Object.entries(data).map(([k, v]) => [k, v.filter((_, i) => keep[i])]));
    await expectSameFit((o) => fitSql(engine, { query: "SELECT * FROM cells WHERE batch <> 7" }, "y ~ x + (1 | patient)", o), lmm("y ~ x + (1 | patient)", columns(subset)));
  });

  it("refuses per-feature fits of bases whose parameters are not given, naming them", async () => {
    await expect(fitSqlEach(engine, { table: "cells" }, "y ~ poly(x, 2) + (1 | patient)", { by: "f" })).rejects.toThrow(NotAggregableError);
    await expect(fitSqlEach(engine, { table: "cells" }, "y ~ poly(x, 2) + (1 | patient)", { by: "f" })).rejects.toThrow(/poly\(x, 2\)/);
  });
});

describe("augmentSql: row-level outputs computed by DuckDB", () => {
  it("writes every row with .fitted, .fixed and .resid as the model computes them (NULL where the fit left the row out)", async () => {
    const engine = await duckdbEngine();
    try {
      const holes = { ...cellTable(800, 41, { missing: true }), id: Array.from({ length: 800 }, (_, i) => i) };
      await engine.run(createTableSql("holes", holes, engine.dialect));
      const formula = "y ~ x * f + (x | patient) + (1 | batch)";
      const mem = lmm(formula, columns(holes));
      // At the model's θ̂: the same numbers to rounding.
      const fit = await fitSql(engine, { table: "holes" }, formula, { theta: mem.theta });
      await augmentSql(engine, fit, { table: "holes" }, { table: "augmented" });
      const out = await engine.query(`SELECT ".fitted", ".fixed", ".resid" FROM augmented ORDER BY id`);
      const fitted = mem.fitted(), resid = mem.residuals(), rows = mem.droppedRows;
      const used = Array.from({ length: 800 }, (_, i) => !rows.indices.includes(i));
      let u = 0;
      for (let i = 0; i < 800; i++) {
        if (!used[i]) {
          expect(out.columns[0][i]).toBeNull();
          continue;
        }
        expect(Math.abs((out.columns[0][i] as number) - fitted[u])).toBeLessThan(1e-9 * Math.abs(fitted[u]));
        expect(Math.abs((out.columns[2][i] as number) - resid[u])).toBeLessThan(1e-8);
        u++;
      }
      expect(u).toBe(mem.nobs);
    } finally {
      engine.close();
    }
  });
});
