import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DispersionError, lmm } from "@lmm/core";
import { Rng } from "@lmm/core/numerics";
import { fitSql, fitSqlEach, sqlFitJson, sqlFitSummary } from "../src/index.js";
import { duckdbEngine, type DuckdbEngine } from "../src/duckdb/index.js";
import { cellTable, columns, createTableSql } from "./tables.js";

// A dispersion formula on a fit from sums: the cells are grouped by its column too, each level's
// sums scaled by 1/δ², the same optimiser over θ and log δ. Against lmm with the same option on the
// same rows: at the same (θ, δ) every number to rounding; optimised, the criterion to 1e-10 relative.
function noisyBySite(n: number, seed: number): Record<string, unknown[]> {
  const data = cellTable(n, seed);
  const rng = new Rng(seed + 1);
  const extra: Record<string, number> = { S0: 0, S1: 1, S2: 2.5, S3: 0.4, S4: 1.5 };
  data.y = data.y.map((y, i) => (y as number) + rng.normal() * extra[data.site[i] as string]);
  data.w = data.y.map(() => 0.5 + rng.uniform() * 2);
  return data;
}

describe("fitSql with a dispersion formula equals lmm's", () => {
  let engine: DuckdbEngine;
  const data = noisyBySite(1200, 41);
  const holes = noisyBySite(900, 43);
  for (let i = 0; i < 900; i += 13) holes.x[i] = null;
  beforeAll(async () => {
    engine = await duckdbEngine();
    await engine.run(createTableSql("cells", data, engine.dialect));
    await engine.run(createTableSql("holes", holes, engine.dialect));
  });
  afterAll(() => engine.close());

  const rel = (a: number, b: number) => Math.abs(a - b) / Math.max(Math.abs(b), 1e-300);
  const cases: [string, string, string, object?][] = [
    ["random intercept, residual by site", "y ~ x + (1 | patient)", "~ site"],
    ["crossed factors, residual by a grouping factor", "y ~ x + f + (1 | patient) + (1 | batch)", "~ batch"],
    ["correlated slope, ML", "y ~ x + (x | patient)", "~ site", { reml: false }],
    ["nested, residual by a text factor", "y ~ x + (1 | site/patient)", "~ f"],
    ["prior weights with a residual by site", "y ~ x + (1 | patient)", "~ site", { weights: "w" }],
  ];
  const measured: string[] = [];
  for (const [name, formula, dispersion, options] of cases) {
    it(name, async () => {
      const mem = lmm(formula, columns(data), { ...options, dispersion });
      const sql = await fitSql(engine, { table: "cells" }, formula, { ...options, dispersion });
      const d = sql.dispersion!, m = mem.dispersion!;
      expect(d.levels).toEqual(m.levels);
      expect(Array.from(d.counts)).toEqual(Array.from(m.counts));
      const optimised = rel(sql.estimates.objective, mem.objective);
      expect(optimised).toBeLessThan(1e-10);
      // Optimised separately: β, σ per level and θ to the optimiser's resolution (the reference tests' tolerances).
      sql.fixef.forEach((f, j) => expect(rel(f.estimate, mem.beta[j])).toBeLessThan(1e-4));
      d.sd.forEach((sd, g) => expect(rel(sd, m.sd[g])).toBeLessThan(1e-3));
      sql.theta.forEach((t, i) => expect(Math.abs(t - mem.theta[i])).toBeLessThan(1e-3));

      // At lmm's (θ̂, δ̂): every number to rounding.
      const at = await fitSql(engine, { table: "cells" }, formula, { ...options, dispersion, theta: mem.theta, delta: m.delta });
      const fixed = {
        objective: rel(at.estimates.objective, mem.objective),
        sigma: rel(at.sigma, mem.sigma),
        beta: Math.max(...at.fixef.map((f, j) => rel(f.estimate, mem.beta[j]))),
        se: Math.max(...at.fixef.map((f, j) => rel(f.stdError, mem.fixef()[j].stdError))),
        sd: Math.max(...Array.from(at.dispersion!.sd, (sd, g) => rel(sd, m.sd[g]))),
        aic: rel(at.estimates.AIC, mem.AIC),
      };
      for (const [k, v] of Object.entries(fixed)) expect(v, k).toBeLessThan(1e-10);
      measured.push(`${name}: optimised criterion ${optimised.toExponential(1)} relative; at lmm's (θ, δ) ${Object.entries(fixed).map(([k, v]) => `${k} ${v.toExponential(1)}`).join(", ")}`);
    });
  }
  afterAll(() => console.log(measured.join("\n")));

  it("drops rows with missing values and counts them as lmm does", async () => {
    const formula = "y ~ x + (1 | patient)";
    const mem = lmm(formula, columns(holes), { dispersion: "~ site" });
    const sql = await fitSql(engine, { table: "holes" }, formula, { dispersion: "~ site" });
    expect(sql.droppedRows.count).toBe(mem.droppedRows.count);
    expect(rel(sql.estimates.objective, mem.objective)).toBeLessThan(1e-10);
    expect(Array.from(sql.dispersion!.counts)).toEqual(Array.from(mem.dispersion!.counts));
  });

  it("prints nlme's variance function and writes the per-level sds in JSON", async () => {
    const sql = await fitSql(engine, { table: "cells" }, "y ~ x + (1 | patient)", { dispersion: "~ site" });
    const text = sqlFitSummary(sql);
    expect(text).toMatch(/Variance function:\n Structure: Different standard deviations per stratum\n Formula: ~ site/);
    const json = sqlFitJson(sql) as { dispersion: { formula: string; sd: Record<string, number> } };
    expect(Object.keys(json.dispersion.sd)).toEqual(["S0", "S1", "S2", "S3", "S4"]);
    expect(json.dispersion.sd.S0).toBe(sql.sigma);
  });

  it("refuses a level with one observation, or whose rows were all dropped, naming it (as lmm)", async () => {
    const one = "SELECT * FROM cells WHERE site <> 'S3' OR patient = 'P03' AND batch = (SELECT MIN(batch) FROM cells WHERE patient = 'P03' AND site = 'S3') AND x = (SELECT MIN(x) FROM cells WHERE patient = 'P03' AND batch = (SELECT MIN(batch) FROM cells WHERE patient = 'P03'))";
    await expect(fitSql(engine, { query: one }, "y ~ x + (1 | patient)", { dispersion: "~ site" })).rejects.toThrow(DispersionError);
    await expect(fitSql(engine, { query: one }, "y ~ x + (1 | patient)", { dispersion: "~ site" })).rejects.toThrow(/level "S3" of "site" has a single observation/);
    const dropped = "SELECT y, CASE WHEN site = 'S2' THEN NULL ELSE x END AS x, patient, site FROM cells";
    await expect(fitSql(engine, { query: dropped }, "y ~ x + (1 | patient)", { dispersion: "~ site" })).rejects.toThrow(/level "S2" of "site": all its \d+ rows were dropped/);
  });

  it("many features: each with its own δ, in workers as here", async () => {
    // DuckDB's threads add in a varying order: one thread, so the two passes' sums are the same bits.
    await engine.run("SET threads TO 1");
    await engine.run("CREATE TABLE long AS SELECT 'a' AS feature, * FROM cells UNION ALL SELECT 'b' AS feature, * REPLACE (y * 2 + x AS y) FROM cells");
    const serial = await fitSqlEach(engine, { table: "long" }, "y ~ x + (1 | patient)", { by: "feature", dispersion: "~ site" });
    const mem = lmm("y ~ x + (1 | patient)", columns(data), { dispersion: "~ site" });
    const a = serial.find((f) => f.feature === "a")!.fit!;
    expect(rel(a.estimates.objective, mem.objective)).toBeLessThan(1e-10);
    const two = await fitSqlEach(engine, { table: "long" }, "y ~ x + (1 | patient)", { by: "feature", dispersion: "~ site", workers: 2 });
    for (const f of two) expect(Array.from(f.fit!.dispersion!.sd)).toEqual(Array.from(serial.find((s) => s.feature === f.feature)!.fit!.dispersion!.sd));
  });
});
