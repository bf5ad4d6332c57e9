// Likelihood-ratio tests (lme4's anova(m0, m1)): the table must equal the hand computation from
// our own ML fits of the two models (χ² = 2 ΔlogLik on Δnpar df; 1e-6 relative, the ML refits
// start elsewhere but reach the same optimum), and models that are not nested or not fitted to
// the same rows must be refused with typed errors.
import { describe, expect, it } from "vitest";
import { anova, DifferentDataError, lmm, NotNestedError } from "@lmm/core";
import { pchisqUpper } from "@lmm/core/numerics";
import { loadDataset, relClose } from "../../../test/support/reference.js";

const ds = loadDataset("sleepstudy");
const fit = (formula: string, reml = true, data = ds.data) => lmm(formula, data, { levels: ds.levels, reml });

describe("anova(m0, m1): likelihood-ratio test", () => {
  const small = "Reaction ~ Days + (1 | Subject)";
  const large = "Reaction ~ Days + (Days | Subject)";

  it("REML fits are refitted by ML; χ², df and p as from the two ML fits by hand, in either order", () => {
    const ml0 = fit(small, false), ml1 = fit(large, false);
    const chisq = 2 * (ml1.logLik - ml0.logLik);
    for (const [a, b] of [[fit(small), fit(large)], [fit(large), fit(small)]]) {
      const t = anova(a, b);
      expect(t.refitted).toBe(true);
      expect(t.rows.map((r) => r.formula)).toEqual([small, large]);
      expect(t.rows.map((r) => r.npar)).toEqual([ml0.dof, ml1.dof]);
      expect(relClose(t.rows[0].logLik, ml0.logLik, 1e-6)).toBe(true);
      expect(relClose(t.rows[1].deviance, -2 * ml1.logLik, 1e-6)).toBe(true);
      expect(relClose(t.rows[1].AIC, ml1.AIC, 1e-6)).toBe(true);
      expect(relClose(t.rows[1].chisq, chisq, 1e-6)).toBe(true);
      expect(t.rows[1].df).toBe(ml1.dof - ml0.dof);
      expect(relClose(t.rows[1].pValue, pchisqUpper(chisq, 2), 1e-4)).toBe(true);
      expect(t.rows[0].chisq).toBeNaN();
    }
  });

  it("nested fixed effects (ML fits are used as they are)", () => {
    const m0 = fit("Reaction ~ 1 + (Days | Subject)", false), m1 = fit(large, false);
    const t = anova(m0, m1);
    expect(t.refitted).toBe(false);
    expect(t.rows[1].df).toBe(1);
    expect(relClose(t.rows[1].chisq, 2 * (m1.logLik - m0.logLik), 1e-12)).toBe(true);
    // Uncorrelated slopes are a special case of correlated ones.
    const split = anova(fit("Reaction ~ Days + (1 | Subject) + (0 + Days | Subject)"), fit(large));
    expect(split.rows[1].df).toBe(1);
  });

  it("refuses models that are not nested, naming the culprit", () => {
    const a = fit("Reaction ~ Days + (1 | Subject)"), b = fit("Reaction ~ 1 + (Days | Subject)");
    expect(() => anova(a, b)).toThrow(NotNestedError);
    expect(() => anova(a, b)).toThrow(/fixed-effect column "Days"/);
    const correlated = fit(large), uncorrelatedPlus = fit("Reaction ~ Days + (1 | Subject) + (0 + Days | Subject) + (1 | Days)");
    expect(() => anova(correlated, uncorrelatedPlus)).toThrow(/random term "\(Days \| Subject\)"/);
  });

  it("refuses models fitted to different rows or responses", () => {
    const reaction = Float64Array.from(ds.data.Reaction as ArrayLike<number>);
    reaction[5] = NaN;
    const fewer = fit(large, true, { ...ds.data, Reaction: reaction });
    expect(() => anova(fit(small), fewer)).toThrow(DifferentDataError);
    expect(() => anova(fit(small), fewer)).toThrow(/180 and 179 observations/);
    const shifted = Float64Array.from(ds.data.Reaction as ArrayLike<number>, (v, i) => (i === 7 ? v + 1 : v));
    expect(() => anova(fit(small), fit(large, true, { ...ds.data, Reaction: shifted }))).toThrow(/responses differ at data row 8/);
  });
});
