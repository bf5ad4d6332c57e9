// The optimum is never worse than lme4's (issue 21): flat radiomics likelihoods on which BOBYQA alone
// stops short of lme4's optimum (test/reference/optimum, made by its generate.R). With the Newton
// polish after BOBYQA every case ends at a criterion ≤ lme4's + 1e-7 relative, at a stationary point
// (converged), with θ, σ and the fixed effects at lme4's tolerances. The lme4 and formula reference
// sets are held to the same 1e-7 bound in lme4Cases.test.ts and formulaCases.test.ts.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { lmm, type LinearMixedModel } from "@lmm/core";
import { loadDataset, OPTIMUM_TOLERANCE, referenceDir, relClose } from "../support/reference.js";
import { expectClose } from "../support/expectClose.js";

const optimumDir = join(referenceDir, "optimum");
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Case = any;
const index = JSON.parse(readFileSync(join(optimumDir, "index.json"), "utf8"));
const cases: Case[] = index.cases.map((e: { case_id: string }) => JSON.parse(readFileSync(join(optimumDir, "cases", `${e.case_id}.json`), "utf8")));

function fit(c: Case, polish = true): LinearMixedModel {
  const ds = loadDataset(c.dataset, optimumDir);
  return lmm(c.formula, ds.data, { levels: ds.levels, reml: c.REML, polish });
}

describe("the reference set holds what it claims", () => {
  it("has the saddle case, where BOBYQA alone ends above lme4's criterion", () => {
    const c = cases.find((x) => x.case_id === "radiomicsArm2_f33__REML");
    const m = fit(c, false);
    expect(m.objective - c.objective).toBeGreaterThan(OPTIMUM_TOLERANCE * Math.abs(c.objective));
    expect(m.optimisation.polishSteps).toBe(0);
  });
});

for (const c of cases) {
  describe(`${c.case_id}: ${c.formula}`, () => {
    it("criterion ≤ lme4's + 1e-7 relative, at a stationary point, with θ, σ and β at lme4's", () => {
      const m = fit(c);
      const tol = OPTIMUM_TOLERANCE * Math.abs(c.objective);
      expect(m.objective, `objective ${m.objective} vs lme4's ${c.objective}`).toBeLessThanOrEqual(c.objective + tol);
      const json = m.toJSON();
      expect(json.converged, m.warnings.map((w) => w.message).join("; ")).toBe(true);
      expect(json.optimizer.polishSteps).toBe(m.optimisation.polishSteps);
      expect(json.optimizer.maxGradient).toBeLessThanOrEqual(2e-3);
      // A diagonal θ that lme4 leaves within 1e-3 of its bound is compared absolutely (lme4 may stop
      // short of a boundary optimum: 4e-4 where the minimum is at 0), and then so is isSingular.
      const nearBound = (v: number, i: number) => c.theta.lower[i] === 0 && v < 1e-3;
      if (!c.theta.values.some((v: number, i: number) => nearBound(v, i) && v >= 1e-4)) expect(m.isSingular).toBe(c.singular);
      c.theta.values.forEach((v: number, i: number) => {
        if (nearBound(v, i)) expect(Math.abs(m.theta[i] - v), `θ ${c.theta.names[i]}: ${m.theta[i]} vs ${v}`).toBeLessThan(1e-3);
        else expect(relClose(m.theta[i], v, 1e-3), `θ ${c.theta.names[i]}: ${m.theta[i]} vs ${v}`).toBe(true);
      });
      expect(relClose(m.sigma, c.sigma, 1e-4)).toBe(true);
      expect(relClose(m.logLik, c.logLik, 1e-6)).toBe(true);
      expectClose("fixef", m.fixef().map((f) => f.estimate), c.fixed_effects.map((f: { estimate: number }) => f.estimate), 1e-4);
      expectClose("std error", m.fixef().map((f) => f.stdError), c.fixed_effects.map((f: { std_error: number }) => f.std_error), 1e-3);
    });
  });
}
