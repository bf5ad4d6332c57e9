// Satterthwaite on InstEval (73,421 observations, 4,128 random effects) against lmerTest: the
// large-model route (central differences over θ on the blocked factor, σ-derivatives in closed
// form). Tolerances as inferenceSatterthwaite.test.ts (df 1e-3 relative, README). The fit takes
// most of this file's time (about 15 s here); Kenward–Roger is refused by size as designed.
import { describe, expect, it } from "vitest";
import { anovaTypeIII, coefficients, lmm, ModelTooLargeError, satterthwaiteState } from "@lmm/core";
import { loadCase, loadDataset, relClose } from "../../../test/support/reference.js";

describe("InstEval (REML)", () => {
  const c = loadCase("insteval__service_crossed__REML");
  const ds = loadDataset(c.dataset.name);
  const m = lmm(c.model.formula, ds.data, { levels: ds.levels, reml: true });

  it("Satterthwaite df, t and p of every coefficient and the type-III F test as lmerTest", () => {
    expect(satterthwaiteState(m).method).toBe("numeric");
    coefficients(m).forEach((r, j) => {
      const e = c.satterthwaite.coefficients[j];
      expect(r.name).toBe(e.name);
      expect(relClose(r.df, e.df, 1e-3), `${r.name} df ${r.df} vs ${e.df}`).toBe(true);
      expect(relClose(r.statistic, e.t_value, 1e-3), `${r.name} t`).toBe(true);
      expect(relClose(r.pValue, e.p_value, 1e-3), `${r.name} p`).toBe(true);
    });
    const [row] = anovaTypeIII(m);
    const e = c.satterthwaite.anova_type3[0];
    expect(row.term).toBe(e.term);
    expect(relClose(row.denDf, e.den_df, 1e-3)).toBe(true);
    expect(relClose(row.F, e.F_value, 1e-3)).toBe(true);
  });

  it("Kenward–Roger is refused with a typed error naming the size and the limit", () => {
    let error: unknown;
    try {
      coefficients(m, { ddf: "kenward-roger" });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ModelTooLargeError);
    const q = m.ngroups().reduce((s, g) => s + g.levels, 0);
    expect((error as ModelTooLargeError).size).toBe(q);
    expect((error as Error).message).toMatch(new RegExp(`q \\(random effects\\) = ${q} \\(limit \\d+\\)`));
  });
});
