// The formula reference cases (test/reference/formula, made by its generate.R: poly, scale, ns, bs,
// offsets, prior weights, contrasts, ordered factors …) fitted from sums DuckDB computes over the
// reference CSV: against lme4 at the reference tests' tolerances (objective ≤ lme4's + 1e-7
// relative and within 1e-6 unless lower, fixed effects 1e-4), and against lmm on the same rows:
// the criterion 1e-10 relative, optimised and at lmm's θ̂, where β agrees to 1e-8 relative.
// (The largest differences measured are printed at the end.)
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { lmm, NotAggregableError, type FitOptions } from "@lmm/core";
import { fitSql, type FitSqlOptions } from "@lmm/sql";
import { duckdbEngine, type DuckdbEngine } from "@lmm/sql/duckdb";
import { formulaDir, loadDataset, OPTIMUM_TOLERANCE } from "../support/reference.js";

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Case = any;

const cases: Case[] = readdirSync(join(formulaDir, "cases"))
  .filter((f) => f.endsWith(".json"))
  .sort()
  .map((f) => JSON.parse(readFileSync(join(formulaDir, "cases", f), "utf8")));

/**
 * A flat ML surface where BOBYQA, started the same, takes another path on sums rounded in another
 * order and stops (lme4's convergence check met, no polish step) where lmm's in-memory fit goes on
 * to polish: measured, the criterion 6e-11 relative from lmm's, θ 3e-5 relative, and one fixed
 * effect (lme4's estimate 9.3e-3) 1.6e-4 relative from lme4's (1.5e-6 absolute). At lmm's θ̂
 * every number agrees as in the other cases (checked below); the optimised comparisons are not made.
 */
const OPTIMISER_PATH = new Set(["chick_poly_random__ML"]);

/** Formulas with a function the portable SQL subset has no rendering of (fitted from rows instead). */
const NOT_IN_SQL = /log1p\(/;

describe("formula reference cases fitted from SQL sums (DuckDB)", () => {
  let engine: DuckdbEngine;
  beforeAll(async () => {
    engine = await duckdbEngine();
    for (const name of new Set(cases.map((c) => c.dataset as string))) {
      const csv = join(formulaDir, "data", `${name}.csv`);
      await engine.run(`CREATE TABLE "${name}" AS SELECT * FROM read_csv('${csv}', header = true, nullstr = 'NA')`);
    }
  });
  const worst = { optimised: 0, same: 0, beta: 0, at: "" };
  afterAll(() => {
    engine.close();
    console.info(`largest relative differences from lmm: criterion optimised ${worst.optimised.toExponential(1)} (${worst.at}), at the same θ ${worst.same.toExponential(1)}; β at the same θ ${worst.beta.toExponential(1)}`);
  });

  for (const c of cases) {
    it(`${c.case_id}: ${c.formula}`, async () => {
      const ds = loadDataset(c.dataset, formulaDir);
      const o = c.options;
      const options: FitOptions & FitSqlOptions = {
        levels: ds.levels,
        ordered: ds.ordered,
        reml: c.REML,
        ...(o.weights ? { weights: o.weights } : {}),
        ...(o.offset ? { offset: o.offset } : {}),
        ...(o.contrasts ? { contrasts: o.contrasts } : {}),
      };
      const source = { table: c.dataset };
      if (NOT_IN_SQL.test(c.formula)) {
        await expect(fitSql(engine, source, c.formula, options)).rejects.toThrow(NotAggregableError);
        return;
      }
      const mem = lmm(c.formula, ds.data, options);
      const sql = await fitSql(engine, source, c.formula, options);
      expect(sql.nobs).toBe(c.nobs);
      expect(sql.fixef.map((f) => f.name)).toEqual(c.fixed_effects.map((f: { name: string }) => f.name));
      expect(sql.estimates.objective).toBeLessThanOrEqual(c.objective + OPTIMUM_TOLERANCE * Math.abs(c.objective));
      // As the in-memory reference tests: lower than lme4's is reported, not refused.
      if (!OPTIMISER_PATH.has(c.case_id) && sql.estimates.objective >= c.objective - 1e-6 * Math.abs(c.objective)) {
        expect(Math.abs(sql.estimates.objective - c.objective)).toBeLessThanOrEqual(1e-6 * Math.abs(c.objective));
        // formulaCases.test.ts's tolerance: 1e-4 relative, floored at 1e-6 of the largest estimate.
        const floor = 1e-6 * Math.max(...sql.fixef.map((f) => Math.abs(f.estimate)));
        sql.fixef.forEach((f, j) => expect(Math.abs(f.estimate - c.fixed_effects[j].estimate)).toBeLessThanOrEqual(1e-4 * Math.max(Math.abs(c.fixed_effects[j].estimate), floor)));
      }
      const optimised = Math.abs(sql.estimates.objective - mem.objective) / Math.abs(mem.objective);
      if (!OPTIMISER_PATH.has(c.case_id)) expect(optimised).toBeLessThanOrEqual(1e-10);
      const at = await fitSql(engine, source, c.formula, { ...options, theta: mem.theta });
      const same = Math.abs(at.estimates.objective - mem.objective) / Math.abs(mem.objective);
      expect(same).toBeLessThanOrEqual(1e-10);
      const fe = mem.fixef();
      const scale = Math.max(...fe.map((f) => Math.abs(f.estimate)));
      const beta = Math.max(...at.fixef.map((f, j) => Math.abs(f.estimate - fe[j].estimate) / Math.max(Math.abs(fe[j].estimate), 1e-6 * scale)));
      expect(beta).toBeLessThanOrEqual(1e-8);
      if (!OPTIMISER_PATH.has(c.case_id) && optimised > worst.optimised) {
        worst.at = c.case_id;
        worst.optimised = optimised;
      }
      worst.same = Math.max(worst.same, same);
      worst.beta = Math.max(worst.beta, beta);
    }, 60_000);
  }
});
