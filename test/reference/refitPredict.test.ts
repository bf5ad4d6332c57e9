import { describe, expect, it } from "vitest";
import { lmm, NewLevelError } from "@lmm/core";
import { loadDataset, relClose } from "../support/reference.js";

const ds = loadDataset("sleepstudy");
const formula = "Reaction ~ Days + (Days | Subject)";

describe("refit", () => {
  it("refit(y) equals a fresh fit on the new response", () => {
    const m = lmm(formula, ds.data, { levels: ds.levels });
    const [y2] = m.simulate(1, { seed: 7 });
    const refit = m.refit(y2);
    const fresh = lmm(formula, { ...ds.data, Reaction: y2 }, { levels: ds.levels });
    expect(relClose(refit.objective, fresh.objective, 1e-6)).toBe(true);
    refit.theta.forEach((t, i) => expect(relClose(t, fresh.theta[i], 1e-3, 1e-2)).toBe(true));
    refit.beta.forEach((b, i) => expect(relClose(b, fresh.beta[i], 1e-4)).toBe(true));
    expect(relClose(refit.sigma, fresh.sigma, 1e-4)).toBe(true);
    // The original model is untouched by its refit.
    expect(m.objective).toBe(lmm(formula, ds.data, { levels: ds.levels }).objective);
    expect(Array.from(m.fitted()).every((v, i) => Number.isFinite(v) && v !== refit.fitted()[i])).toBe(true);
  });
});

describe("predict", () => {
  const n = (ds.data.Reaction as ArrayLike<number>).length;
  const held = Array.from({ length: n }, (_, i) => i).filter((i) => i % 5 === 4);
  const kept = Array.from({ length: n }, (_, i) => i).filter((i) => i % 5 !== 4);
  const pick = (rows: number[]) => Object.fromEntries(Object.entries(ds.data).map(([k, v]) => [k, rows.map((r) => (v as ArrayLike<unknown>)[r])]));
  const m = lmm(formula, pick(kept), { levels: ds.levels });

  it("on the fitted rows equals the fitted values, with and without random effects", () => {
    const same = m.predict(pick(kept));
    const fitted = m.fitted();
    same.forEach((v, i) => expect(v).toBeCloseTo(fitted[i], 9));
    const fixed = m.predict(pick(kept), { re: false });
    const fittedFixed = m.fitted({ re: false });
    fixed.forEach((v, i) => expect(v).toBeCloseTo(fittedFixed[i], 9));
  });

  it("on held-back rows is Xβ̂ + Zb̃ of the row's subject", () => {
    const newdata = pick(held);
    const pred = m.predict(newdata);
    const beta = m.beta;
    const re = m.ranef()[0];
    held.forEach((_, i) => {
      const days = (newdata.Days as number[])[i];
      const l = re.levels.indexOf(String((newdata.Subject as string[])[i]));
      const expected = beta[0] + beta[1] * days + re.values[2 * l] + re.values[2 * l + 1] * days;
      expect(pred[i]).toBeCloseTo(expected, 9);
    });
    const population = m.predict(newdata, { re: false });
    population.forEach((v, i) => expect(v).toBeCloseTo(beta[0] + beta[1] * (newdata.Days as number[])[i], 9));
  });

  it("an unseen subject raises NewLevelError naming it, unless newLevels is population", () => {
    const newdata = { Days: [1, 2], Subject: ["308", "999"] };
    expect(() => m.predict(newdata)).toThrow(NewLevelError);
    expect(() => m.predict(newdata)).toThrow(/"999"/);
    const p = m.predict(newdata, { newLevels: "population" });
    const pop = m.predict(newdata, { re: false });
    expect(p[1]).toBeCloseTo(pop[1], 12);
    expect(p[0]).not.toBeCloseTo(pop[0], 6);
  });
});

describe("ResponseFits (many responses on one design)", () => {
  it("gives the same numbers as a full refit, one workspace for all", async () => {
    const { ResponseFits } = await import("@lmm/core/engine");
    const m = lmm(formula, ds.data, { levels: ds.levels });
    const ys = m.simulate(3, { seed: 11 });
    const fits = ResponseFits.build(formula, ds.data, { levels: ds.levels });
    for (const y of ys) {
      const light = fits.fit(y);
      const full = m.refit(y, { start: undefined });
      expect(relClose(light.objective, full.objective, 1e-6)).toBe(true);
      light.beta.forEach((b, i) => expect(relClose(b, full.beta[i], 1e-4)).toBe(true));
      const fe = full.fixef();
      light.se.forEach((s, i) => expect(relClose(s, fe[i].stdError, 1e-3)).toBe(true));
      expect(relClose(light.sigma, full.sigma, 1e-4)).toBe(true);
      expect(light.varcorr[0].sd.map((s, i) => relClose(s, full.varCorr().terms[0].sd[i], 1e-3))).toEqual([true, true]);
    }
  });
});

describe("a model at a given θ", () => {
  it("reproduces the fitted model in one evaluation", () => {
    const m = lmm(formula, ds.data, { levels: ds.levels });
    const again = lmm(formula, ds.data, { levels: ds.levels, theta: m.theta });
    expect(again.optimisation.evaluations).toBe(0);
    expect(again.objective).toBe(m.objective);
    expect(Array.from(again.beta)).toEqual(Array.from(m.beta));
    expect(() => lmm(formula, ds.data, { levels: ds.levels, theta: [1, 0] })).toThrow(/3 values/);
  });
});

describe("predict at the population level of an intercept-only model", () => {
  it("counts the rows from the new data", () => {
    const d = loadDataset("Dyestuff");
    const m = lmm("Yield ~ 1 + (1 | Batch)", d.data, { levels: d.levels });
    const p = m.predict({ Batch: ["A", "B", "Z"] }, { re: false });
    expect(Array.from(p)).toEqual([m.beta[0], m.beta[0], m.beta[0]]);
  });
});

describe("one design, many responses: bit for bit", () => {
  it("a fit on a shared workspace equals a fresh lmm() of that response exactly", async () => {
    const { ResponseFits } = await import("@lmm/core/engine");
    const fits = ResponseFits.build(formula, ds.data, { levels: ds.levels });
    const ys = lmm(formula, ds.data, { levels: ds.levels }).simulate(3, { seed: 5 });
    for (const y of ys) {
      const light = fits.fit(y);
      const fresh = lmm(formula, { ...ds.data, Reaction: y }, { levels: ds.levels });
      expect(Array.from(light.theta)).toEqual(Array.from(fresh.theta));
      expect(Array.from(light.beta)).toEqual(Array.from(fresh.beta));
      expect(light.objective).toBe(fresh.objective);
    }
  });
});
