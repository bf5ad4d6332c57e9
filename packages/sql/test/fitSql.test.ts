import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { lmm, NotAggregableError, type LinearMixedModel } from "@lmm/core";
import { fitSql, type SqlFit } from "../src/index.js";
import { duckdbEngine, type DuckdbEngine } from "../src/duckdb/index.js";
import { cellTable, columns, createTableSql } from "./tables.js";

// An aggregated fit is the in-memory fit of the same rows. At the same θ every number agrees to
// rounding (only the order of summation differs); optimised, the REML criterion agrees to 1e-10
// relative (the tolerance) and the estimates to the optimiser's resolution, checked at the
// tolerances the lme4 reference tests use (fixed effects 1e-4, θ 1e-3).
export async function expectSameFit(run: (options: object) => Promise<SqlFit>, mem: LinearMixedModel): Promise<void> {
  const sql = await run({});
  const rel = (a: number, b: number) => Math.abs(a - b) / Math.max(Math.abs(b), 1e-300);
  expect(rel(sql.estimates.objective, mem.objective)).toBeLessThan(1e-10);
  expect(sql.nobs).toBe(mem.nobs);
  expect(sql.fixef.map((f) => f.name)).toEqual(mem.fixefNames);
  expect(sql.thetaNames).toEqual(mem.thetaNames);
  expect(sql.warnings.map((w) => w.code)).toEqual(mem.warnings.map((w) => w.code).filter((c) => c !== "CONVERGENCE" && c !== "HESSIAN"));
  const fe = mem.fixef();
  sql.fixef.forEach((f, j) => expect(Math.abs(f.estimate - fe[j].estimate)).toBeLessThan(1e-4 * Math.max(1, Math.abs(fe[j].estimate))));
  sql.theta.forEach((t, i) => expect(Math.abs(t - mem.theta[i])).toBeLessThan(1e-3));

  const at = await run({ theta: mem.theta });
  expect(rel(at.estimates.objective, mem.objective)).toBeLessThan(1e-12);
  expect(rel(at.sigma, mem.sigma)).toBeLessThan(1e-10);
  at.fixef.forEach((f, j) => {
    expect(rel(f.estimate, fe[j].estimate)).toBeLessThan(1e-9);
    expect(rel(f.stdError, fe[j].stdError)).toBeLessThan(1e-9);
  });
  const ranef = mem.ranef();
  at.ranef.forEach((r, j) => {
    expect(r.group).toBe(ranef[j].group);
    expect(r.levels).toEqual(ranef[j].levels);
    expect(r.terms).toEqual(ranef[j].terms);
    const scale = Math.max(...Array.from(ranef[j].values, Math.abs));
    r.values.forEach((v, i) => expect(Math.abs(v - ranef[j].values[i])).toBeLessThan(1e-9 * scale));
  });
  const vc = mem.varCorr().terms;
  at.varCorr.terms.forEach((t, i) => t.sd.forEach((sd, c) => expect(rel(sd, vc[i].sd[c])).toBeLessThan(1e-10)));
}

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

  it("reads a query as its source", async () => {
    const keep = data.batch.map((b) => b !== 7);
    const subset = Object.fromEntries(Object.entries(data).map(([k, v]) => [k, v.filter((_, i) => keep[i])]));
    await expectSameFit((o) => fitSql(engine, { query: "SELECT * FROM cells WHERE batch <> 7" }, "y ~ x + (1 | patient)", o), lmm("y ~ x + (1 | patient)", columns(subset)));
  });

  it("refuses bases learned from the rows, naming them", async () => {
    await expect(fitSql(engine, { table: "cells" }, "y ~ poly(x, 2) + (1 | patient)")).rejects.toThrow(NotAggregableError);
    await expect(fitSql(engine, { table: "cells" }, "y ~ poly(x, 2) + (1 | patient)")).rejects.toThrow(/poly\(x, 2\)/);
  });
});
