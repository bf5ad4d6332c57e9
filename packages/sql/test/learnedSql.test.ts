import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { lmm, type LearnedBasis, type LinearMixedModel } from "@lmm/core";
import { Rng } from "@lmm/core/numerics";
import { augmentSql, fitSql, SqlNegativeWeightError, type SqlEngine, type SqlFit, type SqlSource } from "../src/index.js";
import { expectSameFit } from "./sameFit.js";
import { duckdbEngine, type DuckdbEngine } from "../src/duckdb/index.js";
import { cellTable, columns, createTableSql } from "./tables.js";

// Bases learned from the rows (poly, scale, ns, bs), offsets and prior weights, fitted from SQL
// sums: the same fit as lmm on the same rows (expectSameFit: criterion 1e-10 relative optimised,
// 1e-12 at the same θ; β and standard errors 1e-9 relative at the same θ), the same learned
// parameters (1e-12 relative), and augmentSql's fitted values equal to the model's.

/** cellTable plus prior weights (some 0), an offset column, and a few rows with x missing. */
export function weightedTable(n: number, seed: number): Record<string, unknown[]> {
  const data = cellTable(n, seed, { missing: true });
  const rng = new Rng(seed + 1);
  data.wt = Array.from({ length: n }, (_, i) => (i % 23 === 0 ? 0 : 0.25 + rng.uniform() * 2));
  data.o = Array.from({ length: n }, () => rng.normal() * 0.5);
  data.id = Array.from({ length: n }, (_, i) => i);
  return data;
}

/** Every number of two learned bases agrees to 1e-12 relative (the sums' order aside). */
export function expectSameTransforms(sql: Readonly<Record<string, LearnedBasis>>, mem: Readonly<Record<string, LearnedBasis>>): void {
  expect(Object.keys(sql).sort()).toEqual(Object.keys(mem).sort());
  const numbers = (b: LearnedBasis): number[] => Object.values(b).flatMap((v) => (typeof v === "number" ? [v] : Array.isArray(v) ? (v as number[]) : []));
  for (const label of Object.keys(mem)) {
    const a = numbers(sql[label]), b = numbers(mem[label]);
    expect(a.length).toBe(b.length);
    a.forEach((v, i) => expect(Math.abs(v - b[i])).toBeLessThanOrEqual(1e-12 * Math.max(1, Math.abs(b[i]))));
  }
}

/** augmentSql's `.fitted` and `.resid`, row by row, against the model's over the rows it used (NULL elsewhere). */
export async function expectSameAugment(engine: SqlEngine & { run(sql: string): Promise<void> }, fit: SqlFit, source: SqlSource, mem: LinearMixedModel, n: number, table: string): Promise<void> {
  await augmentSql(engine, fit, source, { table });
  const out = await engine.query(`SELECT ".fitted", ".resid" FROM ${table} ORDER BY id`);
  const fitted = mem.fitted(), resid = mem.residuals();
  const dropped = new Set(mem.droppedRows.indices);
  let u = 0;
  for (let i = 0; i < n; i++) {
    if (dropped.has(i)) {
      expect(out.columns[0][i]).toBeNull();
      continue;
    }
    expect(Math.abs((out.columns[0][i] as number) - fitted[u])).toBeLessThan(1e-9 * Math.max(1, Math.abs(fitted[u])));
    expect(Math.abs((out.columns[1][i] as number) - resid[u])).toBeLessThan(1e-8);
    u++;
  }
  expect(u).toBe(mem.nobs);
}

describe("fitSql with bases learned from the rows, offsets and weights equals the in-memory fit (DuckDB)", () => {
  let engine: DuckdbEngine;
  const data = cellTable(1500, 19);
  const holes = weightedTable(1500, 31);
  beforeAll(async () => {
    engine = await duckdbEngine();
    await engine.run(createTableSql("cells", data, engine.dialect));
    await engine.run(createTableSql("holes", holes, engine.dialect));
  });
  afterAll(() => engine.close());

  const cases: [string, string, string, object?][] = [
    ["orthogonal poly", "cells", "y ~ poly(x, 2) + (1 | patient)"],
    ["orthogonal poly of degree 3 with factors", "cells", "y ~ poly(x, 3) + f + (1 | patient) + (1 | batch)"],
    ["raw poly", "cells", "y ~ poly(x, 2, raw = TRUE) + (1 | patient)"],
    ["scale, also in a random slope", "cells", "y ~ scale(x) + (scale(x) | patient)"],
    ["scale without scaling", "cells", "y ~ scale(x, scale = FALSE) + (1 | patient)"],
    ["scaled response", "cells", "scale(y) ~ x + (1 | patient)"],
    ["ns with df", "cells", "y ~ ns(x, df = 4) + (1 | patient)"],
    ["ns of an expression, interacting with a factor", "cells", "y ~ ns(log(x), df = 3) * f + (1 | patient)"],
    ["ns with boundary knots inside the data (linear beyond)", "cells", "y ~ ns(x, df = 3, Boundary.knots = c(1, 4)) + (1 | patient)"],
    ["bs with df and degree", "cells", "y ~ bs(x, df = 5, degree = 2) + (1 | batch)"],
    ["bs with explicit knots", "cells", "y ~ bs(x, knots = c(1.5, 3)) + (1 | patient)"],
    ["bs with boundary knots inside the data (Taylor beyond)", "cells", "y ~ bs(x, df = 4, Boundary.knots = c(1, 4)) + (1 | patient)"],
    ["bases learn from the rows where their argument is present (missing values elsewhere)", "holes", "y ~ ns(x, df = 3) + poly(t, 2) + scale(x) + (1 | patient)"],
    ["an offset term", "holes", "y ~ x + offset(t / 2) + (1 | patient)"],
    ["the offset option and an offset term", "holes", "y ~ x + f + offset(log(x)) + (1 | patient) + (1 | batch)", { offset: "o" }],
    ["prior weights (some 0)", "holes", "y ~ x + f + (1 | patient) + (1 | batch)", { weights: "wt" }],
    ["prior weights, ML", "holes", "y ~ x + (x | patient)", { weights: "wt", reml: false }],
    ["weights, offset and bases together", "holes", "y ~ ns(x, df = 3) + poly(t, 2) + (1 | patient)", { weights: "wt", offset: "o" }],
  ];
  for (const [name, table, formula, options] of cases) {
    it(name, async () => {
      const rows = table === "cells" ? data : holes;
      const mem = lmm(formula, columns(rows), options);
      await expectSameFit((o) => fitSql(engine, { table }, formula, { ...options, ...o }), mem);
      const sql = await fitSql(engine, { table }, formula, { ...options, theta: mem.theta });
      expectSameTransforms(sql.transforms, mem.structure.transforms);
      expect(sql.droppedRows.count).toBe(mem.droppedRows.count);
      if (table === "holes" && !formula.startsWith("scale(y)")) await expectSameAugment(engine, sql, { table }, mem, 1500, `augmented_${cases.findIndex((c) => c[0] === name)}`);
    });
  }

  it("reuses given transforms instead of learning them (as lmm's transforms option)", async () => {
    const formula = "y ~ ns(x, df = 3) + (1 | patient)";
    const learned = lmm(formula, columns(data)).structure.transforms;
    const subset = "SELECT * FROM cells WHERE batch <> 7";
    const keep = data.batch.map((b) => b !== 7);
    const rows = Object.fromEntries(Object.entries(data).map(([k, v]) => [k, v.filter((_, i) => keep[i])]));
    const mem = lmm(formula, columns(rows), { transforms: learned });
    const sql = await fitSql(engine, { query: subset }, formula, { transforms: learned, theta: mem.theta });
    expect(sql.transforms).toEqual(learned);
    expect(Math.abs(sql.estimates.objective - mem.objective)).toBeLessThan(1e-12 * Math.abs(mem.objective));
  });

  it("refuses negative weights, as lmm", async () => {
    await engine.run("CREATE TABLE negative AS SELECT *, CASE WHEN id = 10 THEN -1.5 ELSE wt END AS w2 FROM holes");
    const run = fitSql(engine, { table: "negative" }, "y ~ x + (1 | patient)", { weights: "w2" });
    await expect(run).rejects.toThrow(SqlNegativeWeightError);
    await expect(fitSql(engine, { table: "negative" }, "y ~ x + (1 | patient)", { weights: "w2" })).rejects.toThrow(/"w2": 1 row has a negative weight \(the smallest is -1.5\)/);
  });
});
