// Profile-likelihood intervals against lme4's confint(profile(m, signames = FALSE)) for every
// case that has them (REML and ML; lme4 profiles the ML deviance of both). Tolerance: 1e-3
// relative (the README allows 1e-3 .. 1e-2: the bounds come from splines through optimised
// points), with a floor of 1e-3 for bounds at 0 (singular sds, whose lower limit is the bound).
import { describe, expect, it } from "vitest";
import { confint, lmm, profile, profileConfint, type LinearMixedModel } from "@lmm/core";
import { caseIds, loadCase, loadDataset, relClose, type ReferenceCase } from "../../../test/support/reference.js";

function fitCase(c: ReferenceCase): LinearMixedModel {
  const ds = loadDataset(c.dataset.name);
  return lmm(c.model.formula, ds.data, { levels: ds.levels, reml: c.model.REML });
}

const cases = caseIds().filter((id) => !loadCase(id).confint_profile.skipped_reason);

describe.each(cases)("%s", (id) => {
  const c = loadCase(id);

  it("profile intervals: same parameters, names and bounds as lme4", () => {
    const rows = confint(fitCase(c), { method: "profile", level: c.confint_profile.level });
    const ref: { parameter: string; lower: number; upper: number }[] = c.confint_profile.rows;
    expect(rows.map((r) => r.parameter)).toEqual(ref.map((r) => r.parameter));
    rows.forEach((r, i) => {
      expect(relClose(r.lower, ref[i].lower, 1e-3, 1e-3), `${r.parameter} lower ${r.lower} vs lme4 ${ref[i].lower}`).toBe(true);
      expect(relClose(r.upper, ref[i].upper, 1e-3, 1e-3), `${r.parameter} upper ${r.upper} vs lme4 ${ref[i].upper}`).toBe(true);
    });
  });
});

describe("profile()", () => {
  const c = loadCase("sleepstudy__slope_corr__REML");
  const m = fitCase(c);
  const pr = profile(m);

  it("gives ζ against each parameter: increasing, 0 at the ML estimate, beyond ±1.96 at both ends", () => {
    expect(pr.parameters.map((p) => p.parameter)).toEqual(c.confint_profile.rows.map((r: { parameter: string }) => r.parameter));
    for (const p of pr.parameters) {
      for (let i = 1; i < p.values.length; i++) {
        expect(p.values[i]).toBeGreaterThan(p.values[i - 1]);
        expect(p.zeta[i], `${p.parameter} ζ monotone`).toBeGreaterThan(p.zeta[i - 1]);
      }
      const at = p.values.indexOf(p.estimate);
      expect(at, `${p.parameter}: estimate among the points`).toBeGreaterThanOrEqual(0);
      expect(p.zeta[at]).toBe(0);
      expect(p.zeta[0]).toBeLessThan(-1.96);
      expect(p.zeta[p.zeta.length - 1]).toBeGreaterThan(1.96);
      expect(p.path.length).toBe(p.values.length * pr.names.length);
    }
    expect(pr.warnings).toEqual([]);
  });

  it("the ML refit of a REML fit is what is profiled (lme4's devfun2 refits by ML)", () => {
    const ml = fitCase(loadCase("sleepstudy__slope_corr__ML"));
    expect(relClose(pr.deviance, ml.objective, 1e-7)).toBe(true);
  });

  it("lower levels give narrower intervals; only requested parameters are profiled", () => {
    const ci95 = profileConfint(pr, 0.95), ci80 = profileConfint(pr, 0.8);
    ci95.forEach((r, i) => {
      expect(ci80[i].lower).toBeGreaterThan(r.lower);
      expect(ci80[i].upper).toBeLessThan(r.upper);
    });
    const only = profile(m, { which: ["sigma"] });
    expect(only.parameters.map((p) => p.parameter)).toEqual(["sigma"]);
    expect(() => profile(m, { which: ["tau"] })).toThrow(/which.*"tau"/);
  });

  it("reports progress after each profiled parameter, the profile unchanged", () => {
    const calls: [number, number][] = [];
    const watched = profile(m, { which: ["sigma", "Days"], onProgress: (done, total) => calls.push([done, total]) });
    expect(calls).toEqual([[1, 2], [2, 2]]);
    expect(watched.parameters.map((p) => Array.from(p.zeta))).toEqual(pr.parameters.filter((p) => ["sigma", "Days"].includes(p.parameter)).map((p) => Array.from(p.zeta)));
  });
});
