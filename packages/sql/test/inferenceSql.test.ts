import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { anova, coefficients, confint, DifferentDataError, lmm, NotNestedError, profile } from "@lmm/core";
import { anovaSql, confintSql, fitSql, profileSql } from "../src/index.js";
import { duckdbEngine, type DuckdbEngine } from "../src/duckdb/index.js";
import { cellTable, columns, createTableSql } from "./tables.js";

// Everything that depends only on the sums comes from them: lme4's convergence checks (and the
// Newton polish) and Satterthwaite's df run on the fitter of the SQL sums, and must agree with the
// in-memory fit of the same rows (itself checked against lme4 and lmerTest elsewhere).
const rel = (a: number, b: number) => Math.abs(a - b) / Math.max(Math.abs(b), 1e-300);

let engine: DuckdbEngine;
const data = cellTable(1500, 19);
const small = cellTable(600, 29);
beforeAll(async () => {
  engine = await duckdbEngine();
  await engine.run(createTableSql("cells", data, engine.dialect));
  await engine.run(createTableSql("small", small, engine.dialect));
});
afterAll(() => engine.close());

describe("inference from SQL sums equals the in-memory fit's", () => {
  const cases: [string, string, { reml?: boolean }?][] = [
    ["random intercept", "y ~ x + (1 | patient)"],
    ["correlated random slope", "y ~ x + f + (x | patient)"],
    ["crossed factors", "y ~ x + (1 | patient) + (1 | batch)"],
    ["three crossed factors and a slope, ML", "y ~ x * f + (x | patient) + (1 | batch) + (1 | slide)", { reml: false }],
  ];
  for (const [name, formula, options = {}] of cases) {
    it(`${name}: convergence checks at θ̂ as lme4's on the rows`, async () => {
      const mem = lmm(formula, columns(data), options);
      const sql = await fitSql(engine, { table: "cells" }, formula, options);
      expect(mem.convergence).not.toBeNull();
      expect(sql.convergence).not.toBeNull();
      expect(sql.warnings.map((w) => w.code)).toEqual(mem.warnings.map((w) => w.code));
      expect(sql.optimisation.polishSteps).toBe(mem.optimisation.polishSteps);
      expect(sql.convergence!.hessianPositiveDefinite).toBe(mem.convergence!.hessianPositiveDefinite);
      // At the same θ the finite differences of the two criteria agree to rounding: the criteria of
      // two summation orders differ by ~1e-14 relative, which lme4's steps (1e-4) amplify by 1e4 in
      // the gradient and 1e8 in the Hessian.
      const at = await fitSql(engine, { table: "cells" }, formula, { ...options, theta: mem.theta, checkConvergence: true });
      const ref = lmm(formula, columns(data), { ...options, theta: mem.theta, checkConvergence: true });
      const g = ref.convergence!.gradient, H = ref.convergence!.hessian;
      const scale = Math.max(...H.flat().map(Math.abs));
      at.convergence!.gradient.forEach((v, i) => expect(Math.abs(v - g[i])).toBeLessThan(1e-5));
      at.convergence!.hessian.forEach((row, i) => row.forEach((v, j) => expect(Math.abs(v - H[i][j])).toBeLessThan(1e-3 * scale)));
      expect(Math.abs(at.convergence!.maxScaledGradient - ref.convergence!.maxScaledGradient)).toBeLessThan(1e-5);
    });

    it(`${name}: Satterthwaite df and p-values as lmerTest's on the rows`, async () => {
      const mem = lmm(formula, columns(data), options);
      const at = await fitSql(engine, { table: "cells" }, formula, { ...options, theta: mem.theta });
      // The same differences over θ as the model's numeric route: equal to rounding (the criteria's
      // ~1e-14 relative difference, amplified by the second differences' 1e-3 relative steps).
      const numeric = coefficients(mem, { derivatives: "numeric" });
      // And, as that route, within 1e-4 of the exact derivatives (satterthwaiteNumeric.ts).
      const exact = coefficients(mem, { derivatives: "exact" });
      at.fixef.forEach((f, j) => {
        expect(f.name).toBe(numeric[j].name);
        expect(rel(f.df, numeric[j].df)).toBeLessThan(1e-5);
        // p-values far in the tail (t of 30 and more here) magnify a df's rounding: compared on the log scale.
        const logP = Math.log(numeric[j].pValue);
        expect(Math.abs(Math.log(f.pValue) - logP)).toBeLessThan(1e-5 * Math.max(1, Math.abs(logP)));
        expect(rel(f.df, exact[j].df)).toBeLessThan(1e-4);
      });
      expect(at.satterthwaiteWarnings).toEqual([]);
      // Optimised from the sums: the df of the SQL fit's own θ̂, as close as the θ̂ are.
      const sql = await fitSql(engine, { table: "cells" }, formula, options);
      sql.fixef.forEach((f, j) => expect(rel(f.df, exact[j].df)).toBeLessThan(1e-3));
    });
  }
});

describe("anovaSql: the likelihood-ratio test of two SQL fits equals anova(m0, m1) of the in-memory fits", () => {
  const pairs: [string, string, string, { reml?: boolean }?][] = [
    ["a random slope (REML fits refitted by ML)", "y ~ x + (1 | patient)", "y ~ x + (x | patient)"],
    ["a fixed effect and a crossed factor, ML", "y ~ x + (1 | patient)", "y ~ x + f + (1 | patient) + (1 | batch)", { reml: false }],
  ];
  for (const [name, small, large, options = {}] of pairs) {
    it(name, async () => {
      const mem = anova(lmm(small, columns(data), options), lmm(large, columns(data), options));
      // Given in the larger-first order: the table orders them by npar, as lme4.
      const sql = anovaSql(await fitSql(engine, { table: "cells" }, large, options), await fitSql(engine, { table: "cells" }, small, options));
      expect(sql.refitted).toBe(mem.refitted);
      sql.rows.forEach((r, i) => {
        const m = mem.rows[i];
        expect(r.formula).toBe(m.formula);
        expect(r.npar).toBe(m.npar);
        // Criteria of optimised fits: the 1e-10 relative (the ML refits start from each fit's own θ̂).
        for (const k of ["logLik", "AIC", "BIC", "deviance"] as const) expect(rel(r[k], m[k])).toBeLessThan(1e-10);
      });
      expect(sql.rows[1].df).toBe(mem.rows[1].df);
      expect(Math.abs(sql.rows[1].chisq - mem.rows[1].chisq)).toBeLessThan(1e-10 * Math.abs(mem.rows[1].logLik) * 2);
      expect(rel(sql.rows[1].pValue, mem.rows[1].pValue)).toBeLessThan(1e-5);
    });
  }

  it("refuses fits of different rows or not nested, naming why", async () => {
    const all = await fitSql(engine, { table: "cells" }, "y ~ x + (1 | patient)");
    const some = await fitSql(engine, { query: "SELECT * FROM cells WHERE batch <> 7" }, "y ~ x + (x | patient)");
    expect(() => anovaSql(all, some)).toThrow(DifferentDataError);
    const other = await fitSql(engine, { table: "cells" }, "y ~ f + (1 | batch)");
    expect(() => anovaSql(all, other)).toThrow(NotNestedError);
    expect(() => anovaSql(all, other)).toThrow(/"x"|patient/);
  });
});

describe("profileSql and confintSql: lme4's profiles from the sums equal the in-memory model's", () => {
  // A smaller table: profiles refit the model at every point.
  const data = small;
  const cases: [string, string, { reml?: boolean }?][] = [
    ["random intercept (REML, refitted by ML)", "y ~ x + (1 | patient)"],
    ["correlated slope and a factor, ML", "y ~ x + f + (x | patient)", { reml: false }],
    ["crossed factors", "y ~ x + (1 | patient) + (1 | batch)"],
  ];
  for (const [name, formula, options = {}] of cases) {
    it(name, async () => {
      const mem = lmm(formula, columns(data), options);
      // From the same θ̂ the ML refits and every profile refit follow the same path: equal to rounding.
      const at = await fitSql(engine, { table: "small" }, formula, { ...options, theta: mem.theta });
      const pm = profile(mem), ps = profileSql(at);
      expect(ps.names).toEqual(pm.names);
      expect(rel(ps.deviance, pm.deviance)).toBeLessThan(1e-10);
      ps.estimates.forEach((v, i) => expect(Math.abs(v - pm.estimates[i])).toBeLessThan(1e-6 * Math.max(1, Math.abs(pm.estimates[i]))));
      const cm = confint(mem, { method: "profile" }), cs = confintSql(at, { method: "profile" });
      expect(cs.map((c) => c.parameter)).toEqual(cm.map((c) => c.parameter));
      // The reference tests' tolerance for profile intervals against lme4 is 1e-3; the two routes agree far inside it.
      cs.forEach((c, i) => {
        for (const k of ["lower", "upper"] as const) expect(Math.abs(c[k] - cm[i][k])).toBeLessThan(1e-5 * Math.max(1, Math.abs(cm[i][k])));
      });
      // Wald intervals (the default, as confint's): from the same β̂ and standard errors, to rounding.
      const wm = confint(mem), ws = confintSql(at);
      ws.forEach((c, i) => {
        expect(c.parameter).toBe(wm[i].parameter);
        for (const k of ["lower", "upper"] as const) expect(rel(c[k], wm[i][k])).toBeLessThan(1e-9);
      });
      // Fitted from the sums (its own θ̂): within the reference tolerance of the in-memory intervals.
      const own = confintSql(await fitSql(engine, { table: "small" }, formula, options), { method: "profile" });
      own.forEach((c, i) => {
        for (const k of ["lower", "upper"] as const) expect(Math.abs(c[k] - cm[i][k])).toBeLessThan(1e-3 * Math.max(1, Math.abs(cm[i][k])));
      });
    });
  }
});
