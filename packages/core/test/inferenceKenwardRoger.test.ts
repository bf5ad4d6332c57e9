// Kenward–Roger against pbkrtest 0.5.2 via lmerTest (reference `kenward_roger`: every REML case
// that has it). Tolerances (README): df 1e-3 relative; adjusted SEs and `vcov_adjusted` 1e-3
// relative as the core's standard errors (they scale with σ̂², itself within 1e-4), with a floor
// of 1e-6 × the largest entry for near-zero covariances; F and p 1e-3 as the Satterthwaite tests.
import { describe, expect, it } from "vitest";
import { anovaTypeIII, coefficients, contrastTest, kenwardRogerAdjustment, lmm, ModelTooLargeError, RemlRequiredError, type LinearMixedModel } from "@lmm/core";
import { Rng } from "@lmm/core/numerics";
import { caseIds, loadCase, loadDataset, relClose, type ReferenceCase } from "../../../test/support/reference.js";

function fitCase(c: ReferenceCase): LinearMixedModel {
  const ds = loadDataset(c.dataset.name);
  return lmm(c.model.formula, ds.data, { levels: ds.levels, reml: c.model.REML });
}

const krCases = caseIds().filter((id) => !loadCase(id).kenward_roger.skipped_reason);

describe.each(krCases)("%s", (id) => {
  const c = loadCase(id);
  const ref = c.kenward_roger;
  const m = fitCase(c);

  it("coefficients: adjusted SE, df, t and p as lmerTest's summary(ddf = 'Kenward-Roger')", () => {
    coefficients(m, { ddf: "kenward-roger" }).forEach((r, j) => {
      const e = ref.coefficients[j];
      expect(r.name).toBe(e.name);
      expect(relClose(r.stdError, e.std_error, 1e-3), `${r.name} SE ${r.stdError} vs ${e.std_error}`).toBe(true);
      expect(relClose(r.df, e.df, 1e-3), `${r.name} df ${r.df} vs ${e.df}`).toBe(true);
      expect(relClose(r.statistic, e.t_value, 1e-3), `${r.name} t`).toBe(true);
      expect(relClose(r.pValue, e.p_value, 1e-3), `${r.name} p`).toBe(true);
    });
  });

  it("vcovAdj: the adjusted covariance matrix", () => {
    const { phiA, p } = kenwardRogerAdjustment(m);
    const expected: number[][] = ref.vcov_adjusted.values;
    expect(expected.length).toBe(p);
    const scale = Math.max(...expected.flat().map(Math.abs));
    expected.forEach((row, i) => row.forEach((v, j) => {
      expect(relClose(phiA[i * p + j], v, 1e-3, 1e-6 * scale), `vcovAdj[${i}, ${j}]: ${phiA[i * p + j]} vs ${v}`).toBe(true);
    }));
  });

  it("type-III anova with Kenward–Roger's df and scaled F", () => {
    const rows = anovaTypeIII(m, { ddf: "kenward-roger" });
    expect(rows.map((r) => r.term)).toEqual(ref.anova_type3.map((r: { term: string }) => r.term));
    rows.forEach((r, i) => {
      const e = ref.anova_type3[i];
      expect(r.numDf).toBe(e.num_df);
      expect(relClose(r.denDf, e.den_df, 1e-3)).toBe(true);
      expect(relClose(r.F, e.F_value, 1e-3)).toBe(true);
      expect(relClose(r.sumSq, e.sum_sq, 1e-3)).toBe(true);
      expect(relClose(r.pValue, e.p_value, 1e-3)).toBe(true);
    });
  });
});

describe("Kenward–Roger, special cases", () => {
  it("singular Dyestuff2: df 5 as pbkrtest (Satterthwaite gives 29 on the same fit)", () => {
    const c = loadCase("dyestuff2__intercept__REML");
    const m = fitCase(c);
    const [kr] = coefficients(m, { ddf: "kenward-roger" });
    const [sat] = coefficients(m, { ddf: "satterthwaite" });
    expect(relClose(kr.df, c.kenward_roger.coefficients[0].df, 1e-3)).toBe(true);
    expect(relClose(sat.df, c.satterthwaite.coefficients[0].df, 1e-3)).toBe(true);
    expect(kr.df).toBeLessThan(sat.df);
  });

  it("a one-row F test equals the t test squared (t test and scaled F agree for one contrast)", () => {
    const m = fitCase(loadCase("sleepstudy__slope_uncorr_split__REML"));
    const t = contrastTest(m, [0, 1], { ddf: "kenward-roger" });
    const F = contrastTest(m, [[0, 1]], { ddf: "kenward-roger" });
    expect(relClose(F.F, t.statistic ** 2, 1e-10)).toBe(true);
    expect(relClose(F.denDf, t.df, 1e-10)).toBe(true);
  });

  it("ML fits are refused (as lmerTest), naming the method", () => {
    const m = fitCase(loadCase("sleepstudy__slope_corr__ML"));
    expect(() => coefficients(m, { ddf: "kenward-roger" })).toThrow(RemlRequiredError);
    expect(() => coefficients(m, { ddf: "kenward-roger" })).toThrow(/Kenward-Roger is only available for REML fits/);
  });

  it("models with more random effects than the dense limit are refused with the size in the error", () => {
    // 2,100 levels with two observations each: a quick fit, q = 2,100 > 2,000.
    const rng = new Rng(3);
    const levels = 2100;
    const g = Array.from({ length: 2 * levels }, (_, i) => `g${i >> 1}`);
    const effect = Array.from({ length: levels }, () => rng.normal());
    const y = g.map((_, i) => effect[i >> 1] + rng.normal());
    const m = lmm("y ~ 1 + (1 | g)", { y, g });
    let error: unknown;
    try {
      coefficients(m, { ddf: "kenward-roger" });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ModelTooLargeError);
    expect((error as ModelTooLargeError).size).toBe(levels);
    expect((error as Error).message).toContain(`= ${levels} (limit`);
    expect(coefficients(m)[0].df).toBeGreaterThan(0); // Satterthwaite still works (finite differences)
  });
});
