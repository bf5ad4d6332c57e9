import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fitEach } from "@lmm/arquero";
import { lmm } from "@lmm/core";
import { refitAggregatedML } from "@lmm/core/aggregate";
import { createFitSqlPool, fitSqlEach, type SqlFeatureFit } from "@lmm/sql";
import { duckdbEngine, type DuckdbEngine } from "@lmm/sql/duckdb";
import { table } from "arquero";
import { expressionSql, expressionTables } from "./expression.js";

// fitSqlEach fits each feature's cells in workers with the same code as in this thread: the results are
// identical bit for bit, and each is the in-memory fitEach's fit of the feature's rows.
const FORMULA = "value ~ x + (1 | donor) + (1 | batch) + (1 | chemistry) + (1 | day) + (1 | operator)";

describe("fitSqlEach in workers", () => {
  let engine: DuckdbEngine;
  const { long, wide, names } = expressionTables(24, 300);
  beforeAll(async () => {
    engine = await duckdbEngine();
    // One DuckDB thread: its parallel SUMs add in an order that varies from query to query, and the
    // comparison of two runs needs the same sums (workers change where the fits run, not the sums).
    await engine.run("SET threads TO 1");
    for (const sql of expressionSql("expression", long)) await engine.run(sql);
  });
  afterAll(() => engine.close());

  const strip = (fits: SqlFeatureFit[]) => fits.map((f) => ({ feature: f.feature, fit: f.fit, error: f.error && { name: f.error.name, code: f.error.code, message: f.error.message } }));

  it("gives the serial results bit for bit (2 workers, a reused pool)", async () => {
    const serial = await fitSqlEach(engine, { table: "expression" }, FORMULA, { by: "gene" });
    const two = await fitSqlEach(engine, { table: "expression" }, FORMULA, { by: "gene", workers: 2 });
    expect(serial.filter((f) => f.fit).length).toBe(names.length - 2);
    // toEqual compares every number with Object.is: the same doubles, not merely close ones.
    expect(strip(two)).toEqual(strip(serial));
    const pool = createFitSqlPool(2);
    try {
      const pooled = await fitSqlEach(engine, { table: "expression" }, FORMULA, { by: "gene", workers: pool, reml: false });
      const serialMl = await fitSqlEach(engine, { table: "expression" }, FORMULA, { by: "gene", workers: 1, reml: false });
      expect(strip(pooled)).toEqual(strip(serialMl));
    } finally {
      await pool.close();
    }
    // Errors keep their name, code and message across the thread.
    const g10 = two.find((f) => f.feature === "g010")!;
    expect(g10.error).toMatchObject({ name: "EmptyDataError", code: serial.find((f) => f.feature === "g010")!.error!.code });
    // A fit from a worker is refitted from its sums like one fitted here.
    const a = serial.find((f) => f.feature === "g004")!.fit!, b = two.find((f) => f.feature === "g004")!.fit!;
    expect(refitAggregatedML(b).objective).toBe(refitAggregatedML(a).objective);
  });

  it("a feature with too few levels of a factor fails alone, in workers as here", async () => {
    const fits = await fitSqlEach(engine, { query: "SELECT * FROM expression WHERE gene <> 'g005' OR chemistry = 'C0'" }, FORMULA, { by: "gene", workers: 2 });
    const serial = await fitSqlEach(engine, { query: "SELECT * FROM expression WHERE gene <> 'g005' OR chemistry = 'C0'" }, FORMULA, { by: "gene" });
    expect(strip(fits)).toEqual(strip(serial));
    expect(fits.find((f) => f.feature === "g005")!.error?.code).toBe(serial.find((f) => f.feature === "g005")!.error?.code);
    expect(fits.find((f) => f.feature === "g005")!.error).not.toBeNull();
  });

  it("each feature's fit is the in-memory fitEach's", async () => {
    const sql = await fitSqlEach(engine, { table: "expression" }, FORMULA, { by: "gene", workers: 2 });
    const mem = await fitEach(table(wide), FORMULA.replace("value", "{feature}"), names);
    let optimised = 0, fixed = 0;
    for (const m of mem.fits) {
      const s = sql.find((f) => f.feature === m.feature)!;
      if (m.error) {
        expect(s.error, m.feature).not.toBeNull();
        continue;
      }
      expect(s.error, m.feature).toBeNull();
      expect(s.fit!.nobs).toBe(m.nobs);
      optimised = Math.max(optimised, Math.abs(s.fit!.estimates.objective - m.objective) / Math.abs(m.objective));
      // At the same θ the sums give the rows' criterion to rounding.
      const at = lmm(FORMULA.replace("value", m.feature), wide as never, { theta: s.fit!.theta });
      fixed = Math.max(fixed, Math.abs(s.fit!.estimates.objective - at.objective) / Math.abs(at.objective));
    }
    expect(fixed).toBeLessThan(1e-12);
    // Optimised separately (five crossed factors, flat criteria): measured 1.0e-9, the optimiser's resolution
    // when its path sees sums added in another order (the lme4 reference tests allow 1e-6 relative).
    expect(optimised).toBeLessThan(1e-8);
  });
});
