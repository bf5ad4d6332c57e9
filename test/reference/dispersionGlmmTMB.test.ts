// A residual variance per level of a factor (`dispersion: "~ vendor"`, issue 20) against glmmTMB's
// `glmmTMB(formula, dispformula = ~ vendor, REML = …)` (test/reference/dispersion/glmmTMB.json, made by its
// glmmTMB.R): the same data sets and models as the nlme references, crossed effects written directly.
// Tolerances of the issue: logLik 1e-4 absolute, β 1e-4 relative, SEs, residual sds per level and
// random-effect sds 1e-3 relative (correlations 1e-3 absolute). The SEs are lme4's convention,
// (X'V̂⁻¹X)^(-1/2), which glmmTMB gives with the variance parameters held at its estimates; its default
// vcov() also carries their uncertainty (`se_joint`, up to 12% larger here) and is not compared.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { lmm, type LinearMixedModel } from "@lmm/core";
import { referenceDir, relClose, repositoryCsv as data } from "../support/reference.js";
import { expectFixedEffects, expectRandomEffects, expectResidualSds } from "../support/dispersionChecks.js";

const reference = JSON.parse(readFileSync(join(referenceDir, "dispersion", "glmmTMB.json"), "utf8"));

it("reads glmmTMB's dispersion coefficients on the scale glmmTMB uses (log σ², checked against lme4's σ)", () => {
  const p = reference.parameterisation;
  expect(relClose(p.exp_half_disp, p.sigma_lme4, 1e-5)).toBe(true);
  expect(relClose(p.exp_disp, p.sigma_lme4, 1e-3)).toBe(false);
});

// eslint-disable-next-line @typescript-eslint/no-explicit-any
for (const c of reference.cases as any[]) {
  describe(`glmmTMB ${c.name}: ${c.formula}, dispersion ${c.dispersion}`, () => {
    let model: LinearMixedModel | undefined;
    const fit = () => (model ??= lmm(c.formula, data(c.data), { dispersion: c.dispersion, reml: c.reml }));

    it("glmmTMB converged, so its numbers are an optimum to compare with", () => {
      expect(c.convergence).toBe(0);
      expect(c.pdHess).toBe(true);
    });

    it("logLik and the number of parameters", () => {
      const m = fit();
      expect(Math.abs(m.logLik - c.logLik), `${m.logLik} vs ${c.logLik}`).toBeLessThanOrEqual(1e-4);
      expect(m.dof).toBe(c.df);
    });

    it("the reference tells the models apart: the homoscedastic fit's logLik is off by more than 1e-4", () => {
      expect(Math.abs(lmm(c.formula, data(c.data), { reml: c.reml }).logLik - c.logLik)).toBeGreaterThan(1e-4);
    });

    it("fixed effects and their standard errors", () => expectFixedEffects(fit(), c));

    it("residual sd per level, exp(β_disp / 2) in glmmTMB's terms", () => expectResidualSds(fit(), c));

    it("random-effect sds and correlations", () => expectRandomEffects(fit(), c));
  });
}
