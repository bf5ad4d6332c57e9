// contrastTest: the t test of a vector and the F test of a matrix must reproduce lmerTest's
// per-coefficient tests and type-III F tests from the reference (tolerances as
// inferenceSatterthwaite.test.ts: df, t, F 1e-3 relative), and bad contrasts must give a
// ContrastError naming the row.
import { describe, expect, it } from "vitest";
import { contrastTest, ContrastError, lmm, typeIIIContrasts, type LinearMixedModel } from "@lmm/core";
import { loadCase, loadDataset, relClose } from "../../../test/support/reference.js";

const c = loadCase("sleepstudy__slope_corr__REML");
const ds = loadDataset(c.dataset.name);
const model: LinearMixedModel = lmm(c.model.formula, ds.data, { levels: ds.levels });

describe("contrastTest", () => {
  it("a unit vector gives lmerTest's coefficient test; a scaled vector the same df and t", () => {
    c.satterthwaite.coefficients.forEach((e: { name: string; df: number; t_value: number; estimate: number }, j: number) => {
      const L = [0, 0];
      L[j] = 1;
      const t = contrastTest(model, L);
      expect(relClose(t.df, e.df, 1e-3)).toBe(true);
      expect(relClose(t.statistic, e.t_value, 1e-3)).toBe(true);
      const scaled = contrastTest(model, L.map((v) => -3 * v));
      expect(relClose(scaled.df, t.df, 1e-10)).toBe(true);
      expect(relClose(scaled.statistic, -t.statistic, 1e-10)).toBe(true);
      expect(relClose(scaled.estimate, -3 * e.estimate, 1e-4)).toBe(true);
    });
  });

  it("the type-III hypothesis of Days as a matrix gives lmerTest's F test", () => {
    const [days] = typeIIIContrasts(model);
    expect(days.term).toBe("Days");
    const F = contrastTest(model, [Array.from(days.L)]);
    const e = c.satterthwaite.anova_type3[0];
    expect(F.numDf).toBe(1);
    expect(relClose(F.denDf, e.den_df, 1e-3)).toBe(true);
    expect(relClose(F.F, e.F_value, 1e-3)).toBe(true);
  });

  it("a two-row F test: the Wald F by hand, q numerator df, a positive finite df", () => {
    const F = contrastTest(model, [[1, 0], [0, 1]]);
    expect(F.numDf).toBe(2);
    // Wald F = β'V⁻¹β / 2 by hand.
    const V = model.vcov(), b = model.beta;
    const det = V[0] * V[3] - V[1] * V[2];
    const wald = (b[0] * b[0] * V[3] - 2 * b[0] * b[1] * V[1] + b[1] * b[1] * V[0]) / det / 2;
    expect(relClose(F.F, wald, 1e-8)).toBe(true);
    expect(F.denDf).toBeGreaterThan(0);
    expect(Number.isFinite(F.denDf)).toBe(true);
    // Residual df: n − p, and the same F.
    const R = contrastTest(model, [[1, 0], [0, 1]], { ddf: "residual" });
    expect(R.denDf).toBe(model.nobs - 2);
    expect(relClose(R.F, wald, 1e-8)).toBe(true);
  });

  it("bad contrasts: a ContrastError naming the row and the problem", () => {
    expect(() => contrastTest(model, [1, 0, 0])).toThrow(ContrastError);
    expect(() => contrastTest(model, [1, 0, 0])).toThrow(/has 3 values; the model has 2 fixed effects/);
    expect(() => contrastTest(model, [[1, 0], [0, Number.NaN]])).toThrow(/contrast row 2: value 2 is NaN/);
    expect(() => contrastTest(model, [[1, 0], [2, 0]], { ddf: "kenward-roger" })).toThrow(/linearly dependent/);
    expect(() => contrastTest(model, [] as number[][])).toThrow(ContrastError);
  });
});
