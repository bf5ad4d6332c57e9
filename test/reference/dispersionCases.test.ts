// A residual variance per level of a factor (`dispersion: "~ vendor"`, issue 20) against nlme's
// lme(…, weights = varIdent(form = ~ 1 | vendor)) (test/reference/dispersion, made by its
// generate.R): REML and ML; one grouping factor, nested, a correlated random slope and crossed.
// Tolerances of the issue: logLik 1e-4 absolute, β 1e-4 relative, SEs, residual sds per level and
// random-effect sds 1e-3 relative (correlations 1e-3 absolute); the likelihood-ratio test against the
// homoscedastic model (nlme's anova(m0, m1), both by ML): logLiks and χ² 1e-4 absolute, p 1e-3 relative;
// profile-likelihood intervals of δ (nlme's ML deviance with one δ held by varIdent's `fixed`, solved by
// uniroot): 1e-3 relative.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { anova, dispersionConfint, lmm, type LinearMixedModel } from "@lmm/core";
import { referenceDir, relClose, repositoryCsv as data } from "../support/reference.js";
import { expectFixedEffects, expectRandomEffects, expectResidualSds } from "../support/dispersionChecks.js";

const reference = JSON.parse(readFileSync(join(referenceDir, "dispersion", "cases.json"), "utf8"));

// eslint-disable-next-line @typescript-eslint/no-explicit-any
for (const c of reference.cases as any[]) {
  describe(`${c.name}: ${c.formula}, dispersion ${c.dispersion}`, () => {
    let model: LinearMixedModel | undefined;
    const fit = () => (model ??= lmm(c.formula, data(c.data), { dispersion: c.dispersion, reml: c.reml }));

    it("logLik and the number of parameters", () => {
      const m = fit();
      expect(Math.abs(m.logLik - c.logLik)).toBeLessThanOrEqual(1e-4);
      expect(m.dof).toBe(c.df);
    });

    it("fixed effects and their standard errors", () => expectFixedEffects(fit(), c));

    it("residual sd per level, σ of the reference level", () => {
      expectResidualSds(fit(), c);
      expect(relClose(fit().sigma, c.sigma, 1e-3)).toBe(true);
    });

    it("Pearson residuals scaled by each level's residual sd (nlme's type = \"pearson\"), first 10 rows", () => {
      const r = fit().residuals("pearson", { scaled: true });
      c.pearson_head.forEach((x: number, i: number) => expect(Math.abs(r[i] - x), `row ${i + 1}: ${r[i]} vs ${x}`).toBeLessThanOrEqual(1e-3 * Math.max(1, Math.abs(x))));
    });

    it("random-effect sds and correlations", () => expectRandomEffects(fit(), c));
  });
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
for (const t of reference.lrt as any[]) {
  it(`anova(m0, m1) against the homoscedastic model: ${t.name}, ${t.formula}, dispersion ${t.dispersion}`, () => {
    const m0 = lmm(t.formula, data(t.data));
    const m1 = lmm(t.formula, data(t.data), { dispersion: t.dispersion });
    const [r0, r1] = anova(m0, m1).rows;
    expect(Math.abs(r0.logLik - t.logLik0)).toBeLessThanOrEqual(1e-4);
    expect(Math.abs(r1.logLik - t.logLik1)).toBeLessThanOrEqual(1e-4);
    expect(r1.df).toBe(t.df);
    expect(Math.abs(r1.chisq - t.chisq)).toBeLessThanOrEqual(1e-4);
    expect(relClose(r1.pValue, t.p, 1e-3)).toBe(true);
  });
}

it("profile-likelihood intervals of δ (from a REML fit: refitted by ML, as lme4's profile)", () => {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const rows = reference.profile as any[];
  const m = lmm(rows[0].formula, data(rows[0].data), { dispersion: rows[0].dispersion });
  const ci = dispersionConfint(m);
  expect(ci.map((c) => c.level)).toEqual(rows.map((r) => r.level));
  ci.forEach((c, k) => {
    for (const key of ["delta", "lower", "upper"] as const) expect(relClose(c[key], rows[k][key], 1e-3), `${c.level} ${key}: ${c[key]} vs ${rows[k][key]}`).toBe(true);
  });
}, 60_000);
