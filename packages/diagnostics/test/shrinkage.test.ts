// Shrinkage data: no-pooling estimates, BLUPs and the exact shrinkage identity of the mixed-model equations.
import { describe, expect, it } from "vitest";
import { lmm } from "@lmm/core";
import { shrinkage, UnknownGroupingError } from "../src/index.js";
import { loadDataset } from "../../../test/support/reference.js";
import { radiomics } from "../../datasets/src/index.js";

describe("shrinkage", () => {
  it("sleepstudy: per-subject least squares of y − Xβ̂ on (1, Days), BLUPs from ranef, and b̃ = S·b_np exactly", () => {
    const ds = loadDataset("sleepstudy");
    const m = lmm("Reaction ~ Days + (Days | Subject)", ds.data, { levels: ds.levels });
    const s = shrinkage(m, "Subject");
    expect(s.terms).toEqual(["(Intercept)", "Days"]);
    expect(Array.from(s.fixed)).toEqual(Array.from(m.beta));
    const re = m.ranef()[0];
    const subject = ds.data.Subject as ArrayLike<string>, days = ds.data.Days as ArrayLike<number>, y = ds.data.Reaction as ArrayLike<number>;
    s.levels.forEach((l, i) => {
      expect(l.level).toBe(re.levels[i]);
      expect(l.n).toBe(10);
      expect(Array.from(l.blup)).toEqual(Array.from(re.values.slice(2 * i, 2 * i + 2)));
      // Simple regression of the partial residual on Days within the subject.
      const rows = Array.from({ length: y.length }, (_, r) => r).filter((r) => subject[r] === l.level);
      const res = rows.map((r) => y[r] - m.beta[0] - m.beta[1] * days[r]);
      const mx = rows.reduce((a, r) => a + days[r], 0) / 10, my = res.reduce((a, v) => a + v, 0) / 10;
      const slope = rows.reduce((a, r, k) => a + (days[r] - mx) * (res[k] - my), 0) / rows.reduce((a, r) => a + (days[r] - mx) ** 2, 0);
      expect(l.noPooling[1]).toBeCloseTo(slope, 9);
      expect(l.noPooling[0]).toBeCloseTo(my - slope * mx, 9);
      // The mixed-model equations: b̃ = S · b_np (to rounding: the modes come from the blocked factor).
      for (let r = 0; r < 2; r++) {
        const sb = l.factor[r * 2] * l.noPooling[0] + l.factor[r * 2 + 1] * l.noPooling[1];
        expect(sb).toBeCloseTo(l.blup[r], 8);
      }
    });
    expect(s.table().numRows()).toBe(36);
  });

  it("Penicillin (crossed): for a random intercept the factor is σ_b² / (σ_b² + σ²/n), identity exact with the other factor removed", () => {
    const ds = loadDataset("Penicillin");
    const m = lmm("diameter ~ 1 + (1 | plate) + (1 | sample)", ds.data, { levels: ds.levels });
    const vc = m.varCorr();
    for (const group of ["plate", "sample"]) {
      const s = shrinkage(m, group);
      const vb = vc.terms.find((t) => t.group === group)!.variance[0];
      for (const l of s.levels) {
        expect(l.factor[0]).toBeCloseTo(vb / (vb + vc.residual.variance / l.n), 12);
        expect(l.factor[0] * l.noPooling[0]).toBeCloseTo(l.blup[0], 8);
      }
    }
  });

  it("radiomics sites: small sites are pulled hardest toward the mean", () => {
    const d = radiomics();
    const m = lmm("f_firstorder_Mean ~ grade + time + (1|site) + (1 + time|site:patient)", d.columns, { levels: d.levels });
    const s = shrinkage(m, "site");
    const byN = [...s.levels].sort((a, b) => a.n - b.n);
    for (let i = 1; i < byN.length; i++) expect(byN[i].factorDiagonal[0]).toBeGreaterThanOrEqual(byN[i - 1].factorDiagonal[0]);
    expect(byN[0].factorDiagonal[0]).toBeLessThan(byN[byN.length - 1].factorDiagonal[0]);
    s.levels.forEach((l) => expect(l.factor[0] * l.noPooling[0]).toBeCloseTo(l.blup[0], 8));
    expect(() => shrinkage(m, "patient")).toThrow(UnknownGroupingError);
  });
});
