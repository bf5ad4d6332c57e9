// Satterthwaite t and F tests against lmerTest 3.1-3 (reference `satterthwaite` of every REML
// case but InstEval, which has its own file). Tolerances (README): df 1e-3 relative (lmerTest
// differentiates numerically); estimates 1e-4 and standard errors 1e-3 as the core fitter's
// tests; t, F and sums of squares 1e-3 (they carry the SE's error, squared for F); p-values
// 1e-3 relative (a 1e-6 relative change of t moves p by ≈ t²·1e-6 relative at most for these t).
import { describe, expect, it } from "vitest";
import { anovaTypeIII, coefficients, lmm, satterthwaiteState, summaryWithTests, type LinearMixedModel } from "@lmm/core";
import { caseIds, loadCase, loadDataset, relClose, type ReferenceCase } from "../../../test/support/reference.js";

const fits = new Map<string, LinearMixedModel>();
function fitCase(c: ReferenceCase): LinearMixedModel {
  let m = fits.get(c.case_id);
  if (!m) {
    const ds = loadDataset(c.dataset.name);
    m = lmm(c.model.formula, ds.data, { levels: ds.levels, reml: c.model.REML });
    fits.set(c.case_id, m);
  }
  return m;
}

function expectRel(label: string, actual: number, expected: number, tol: number) {
  expect(relClose(actual, expected, tol), `${label}: ${actual} vs lmerTest ${expected} (tol ${tol})`).toBe(true);
}

const remlCases = caseIds().filter((id) => id.endsWith("__REML") && !id.startsWith("insteval"));

describe.each(remlCases)("%s", (id) => {
  const c = loadCase(id);
  const ref = c.satterthwaite;

  it("coefficients: estimate, SE, df, t and p as lmerTest's summary", () => {
    const rows = coefficients(fitCase(c), { ddf: "satterthwaite" });
    expect(rows.map((r) => r.name)).toEqual(ref.coefficients.map((r: { name: string }) => r.name));
    rows.forEach((r, j) => {
      const e = ref.coefficients[j];
      expectRel(`${r.name} estimate`, r.estimate, e.estimate, 1e-4);
      expectRel(`${r.name} SE`, r.stdError, e.std_error, 1e-3);
      expectRel(`${r.name} df`, r.df, e.df, 1e-3);
      expectRel(`${r.name} t`, r.statistic, e.t_value, 1e-3);
      expectRel(`${r.name} p`, r.pValue, e.p_value, 1e-3);
    });
  });

  it("type-III anova as lmerTest's anova(m)", () => {
    const rows = anovaTypeIII(fitCase(c));
    expect(rows.map((r) => r.term)).toEqual(ref.anova_type3.map((r: { term: string }) => r.term));
    rows.forEach((r, i) => {
      const e = ref.anova_type3[i];
      expect(r.numDf).toBe(e.num_df);
      expectRel(`${r.term} DenDF`, r.denDf, e.den_df, 1e-3);
      expectRel(`${r.term} F`, r.F, e.F_value, 1e-3);
      expectRel(`${r.term} Sum Sq`, r.sumSq, e.sum_sq, 1e-3);
      expectRel(`${r.term} Mean Sq`, r.meanSq, e.mean_sq, 1e-3);
      expectRel(`${r.term} p`, r.pValue, e.p_value, 1e-3);
    });
  });

  it("finite differences over θ agree with the exact derivatives (df within 1e-4)", () => {
    // Both routes must agree far inside the reference tolerance: 2e-6 measured, 1e-4 allowed
    // (central differences with a 1e-3 relative step; see satterthwaiteNumeric.ts).
    const m = fitCase(c);
    const before = { vcov: m.vcov(), fitted: m.fitted() };
    const exact = coefficients(m, { derivatives: "exact" });
    const numeric = coefficients(m, { derivatives: "numeric" });
    // The differences run on the model's own fitter; the model must be unaffected.
    expect(m.vcov()).toEqual(before.vcov);
    expect(m.fitted()).toEqual(before.fitted);
    expect(satterthwaiteState(m, "exact").method).toBe("exact");
    expect(satterthwaiteState(m, "numeric").method).toBe("numeric");
    exact.forEach((r, j) => expectRel(`${r.name} df (numeric vs exact)`, numeric[j].df, r.df, 1e-4));
  });
});

describe("Satterthwaite, special cases", () => {
  it("singular Dyestuff2: df = n − 1 = 29 as lmerTest, no eigenvalue warnings", () => {
    const c = loadCase("dyestuff2__intercept__REML");
    const m = fitCase(c);
    expect(m.isSingular).toBe(true);
    const [row] = coefficients(m);
    expectRel("df", row.df, c.satterthwaite.coefficients[0].df, 1e-3);
    expect(Math.round(row.df)).toBe(m.nobs - 1);
  });

  it("ML fits: exact and numeric derivatives of the ML deviance agree", () => {
    for (const id of ["sleepstudy__slope_corr__ML", "penicillin__crossed__ML", "pastes__nested__ML"]) {
      const m = fitCase(loadCase(id));
      const exact = coefficients(m, { derivatives: "exact" });
      const numeric = coefficients(m, { derivatives: "numeric" });
      exact.forEach((r, j) => expectRel(`${id} ${r.name} df`, numeric[j].df, r.df, 1e-4));
    }
  });

  it("summaryWithTests shows df and Pr(>|t|) columns and names the method", () => {
    const c = loadCase("sleepstudy__slope_corr__REML");
    const m = fitCase(c);
    const text = summaryWithTests(m);
    expect(text).toMatch(/^Linear mixed model fit by REML\. t-tests use Satterthwaite's method \['lmerModLmerTest'\]/);
    const header = text.split("\n").find((l) => l.includes("Estimate"))!;
    expect(header).toMatch(/Estimate\s+Std\. Error\s+df\s+t value\s+Pr\(>\|t\|\)/);
    const days = text.split("\n").find((l) => l.startsWith("Days "))!;
    const df = Number(days.trim().split(/\s+/)[3]);
    expectRel("printed df", df, c.satterthwaite.coefficients[1].df, 1e-3);
    expect(m.summary()).not.toMatch(/Pr\(>\|t\|\)/); // the plain summary is unchanged
  });

  it("rejects an unknown ddf method with a typed error naming it", () => {
    const m = fitCase(loadCase("dyestuff__intercept__REML"));
    expect(() => coefficients(m, { ddf: "bogus" as never })).toThrow(/ddf.*"bogus"/);
  });
});
