import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { anovaTypeIII, lmm, NotAggregableError, typeIIIContrasts } from "@lmm/core";
import { typeIIIContrastsAggregated } from "@lmm/core/aggregate";
import { anovaTypeIIISql, fitSql } from "../src/index.js";
import type { DuckdbEngine } from "../src/duckdb/index.js";
import { cellTable, columns, engineWith } from "./tables.js";

// lmerTest's type-III table of an SQL fit against the in-memory table of the same rows at the same
// θ (the in-memory one is checked against lmerTest in packages/core). The hypotheses are derived on
// synthetic rows for the SQL fit: they must be the model's own to rounding. Kenward–Roger's F and
// df agree to rounding (bound 1e-8); Satterthwaite's are compared with the in-memory numeric route
// (the same differences over θ; 1e-5, as the t tests in inferenceSql.test.ts).
const rel = (a: number, b: number) => Math.abs(a - b) / Math.max(Math.abs(b), 1e-300);

let engine: DuckdbEngine;
const data = cellTable(1500, 19);
beforeAll(async () => (engine = await engineWith({ cells: data })));
afterAll(() => engine.close());

describe("anovaTypeIIISql equals anovaTypeIII of the in-memory fit of the same rows", () => {
  const cases: [string, string, { contrasts?: Record<string, "sum" | "helmert"> }?][] = [
    ["one term (Doolittle contrasts of X'X)", "y ~ x + (1 | patient)"],
    ["main effects of a factor, a boolean and a covariate", "y ~ f + ok + x + (1 | patient) + (1 | batch)"],
    ["an interaction of a covariate and a factor (treatment coding)", "y ~ x * f + (x | patient)"],
    ["two factors' interaction, sum coding", "y ~ f * site + x + (1 | patient)", { contrasts: { f: "sum", site: "sum" } }],
  ];
  for (const [name, formula, options = {}] of cases) {
    it(name, async () => {
      const mem = lmm(formula, columns(data), options);
      const at = await fitSql(engine, { table: "cells" }, formula, { ...options, theta: mem.theta });
      const L = typeIIIContrastsAggregated(at, at.plan.fixedCoding), ref = typeIIIContrasts(mem);
      expect(L.map((c) => [c.term, c.rows])).toEqual(ref.map((c) => [c.term, c.rows]));
      L.forEach((c, i) => c.L.forEach((v, j) => expect(Math.abs(v - ref[i].L[j])).toBeLessThan(1e-8)));
      for (const ddf of ["kenward-roger", "satterthwaite"] as const) {
        const sql = anovaTypeIIISql(at, { ddf });
        const table = anovaTypeIII(mem, { ddf, derivatives: "numeric" });
        const tol = ddf === "kenward-roger" ? 1e-8 : 1e-5;
        expect(sql.map((r) => [r.term, r.numDf])).toEqual(table.map((r) => [r.term, r.numDf]));
        sql.forEach((r, i) => {
          expect(rel(r.denDf, table[i].denDf)).toBeLessThan(tol);
          expect(rel(r.F, table[i].F)).toBeLessThan(tol);
          expect(rel(r.sumSq, table[i].sumSq)).toBeLessThan(tol);
          const logP = Math.log(table[i].pValue);
          expect(Math.abs(Math.log(r.pValue) - logP)).toBeLessThan(tol * Math.max(1, Math.abs(logP)));
        });
      }
    });
  }

  it("refuses a hypothesis that depends on the rows (an aliased column the rows dropped), naming the term", async () => {
    // z = 2x + 1 in every row: the fit drops z as aliased, and X without z spans z only on these
    // rows, so lmerTest's hypotheses are the rows' (the in-memory table has them), not the coding's.
    const source = { query: "SELECT *, 2 * x + 1 AS z FROM cells" };
    const fit = await fitSql(engine, source, "y ~ f + x + z + (1 | patient)");
    expect(fit.droppedColumns).toEqual(["z"]);
    expect(() => anovaTypeIIISql(fit)).toThrow(NotAggregableError);
    expect(() => anovaTypeIIISql(fit)).toThrow(/type III test of z/);
  });
});
