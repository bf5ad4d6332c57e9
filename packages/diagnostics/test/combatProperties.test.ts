import { describe, expect, it } from "vitest";
import { InvalidValueError, NewLevelError, UnknownColumnError } from "@lmm/core";
import { Rng } from "@lmm/core/numerics";
import {
  ConfoundedCovariateError, SingletonBatchError,
  combat, combatApply, combatFit, type CombatData,
} from "../src/index.js";
import { raw } from "./combatReference.js";

const data = raw();
const input: CombatData = { features: data.features, batch: data.site, covariates: { grade: data.grade } };
const base = combat(input);

/** Largest |a − b| over a feature, in units of the feature's pooled sd. */
function maxScaledDiff(a: Float64Array, b: Float64Array, sd: number): number {
  let m = 0;
  a.forEach((v, i) => (m = Math.max(m, Math.abs(v - b[i]) / sd)));
  return m;
}
const sdOf = (name: string) => Math.sqrt(base.model.standardisation.varPooled[base.model.features.indexOf(name)]);

describe("combatFit / combatApply", () => {
  it("harmonises each row on its own: applying to a subset of rows gives those rows of the full output", () => {
    const rows = [3, 17, 42, 99, 250];
    const subset: CombatData = {
      features: Object.fromEntries(data.names.map((n) => [n, rows.map((i) => data.features[n][i])])),
      batch: rows.map((i) => data.site[i]),
      covariates: { grade: rows.map((i) => data.grade[i]) },
    };
    const out = combatApply(base.model, subset);
    for (const n of data.names) rows.forEach((i, j) => expect(out[n][j]).toBe(base.harmonised[n][i]));
  });

  it("fits on training rows and applies to held-out rows of fitted batches", () => {
    const train = data.site.map((_, i) => i % 4 !== 0);
    const pickRows = (keep: boolean) => {
      const idx = train.flatMap((t, i) => (t === keep ? [i] : []));
      return { features: Object.fromEntries(data.names.map((n) => [n, idx.map((i) => data.features[n][i])])), batch: idx.map((i) => data.site[i]), covariates: { grade: idx.map((i) => data.grade[i]) } };
    };
    const model = combatFit(pickRows(true));
    const test = combatApply(model, pickRows(false));
    // The held-out rows, harmonised by a model that never saw them, receive nearly the correction the full fit
    // gives them: the two corrections differ by under a fifth of the correction's size (mean over the rows).
    const heldOut = train.flatMap((t, i) => (t ? [] : [i]));
    let disagreement = 0, correction = 0;
    for (const n of data.names) {
      heldOut.forEach((i, j) => {
        disagreement += Math.abs(test[n][j] - base.harmonised[n][i]) / sdOf(n);
        correction += Math.abs(data.features[n][i] - base.harmonised[n][i]) / sdOf(n);
      });
    }
    expect(disagreement).toBeLessThan(correction / 5);
  });

  it("is equivariant under a positive affine change of units of any feature", () => {
    const rng = new Rng(7);
    const scaled: Record<string, Float64Array> = Object.create(null);
    const ab = data.names.map(() => [Math.exp(3 * rng.normal()), 100 * rng.normal()]);
    data.names.forEach((n, f) => (scaled[n] = data.features[n].map((v) => ab[f][0] * v + ab[f][1])));
    const out = combat({ ...input, features: scaled }).harmonised;
    data.names.forEach((n, f) => {
      const back = out[n].map((v) => (v - ab[f][1]) / ab[f][0]);
      expect(maxScaledDiff(back, base.harmonised[n], sdOf(n))).toBeLessThan(1e-9);
    });
  });

  it("does not depend on the order of the batch levels", () => {
    const out = combat(input, { batchLevels: ["S5", "S3", "S1", "S4", "S2"] }).harmonised;
    for (const n of data.names) expect(maxScaledDiff(out[n], base.harmonised[n], sdOf(n))).toBeLessThan(1e-10);
  });

  it("reference batch: its rows stay as they are, the others move onto it", () => {
    const { model, harmonised } = combat(input, { refBatch: "S2" });
    const k = model.batchLevels.indexOf("S2");
    expect(model.refBatch).toBe("S2");
    expect(Array.from(model.gammaStar[k]).every((g) => g === 0)).toBe(true);
    expect(Array.from(model.deltaStar[k]).every((d) => d === 1)).toBe(true);
    data.site.forEach((s, i) => {
      if (s === "S2") for (const n of data.names) expect(harmonised[n][i]).toBe(data.features[n][i]);
    });
    model.features.forEach((_, f) => expect(model.standardisation.grandMean[f]).toBe(model.standardisation.batchCoefficients[k][f]));
    // Site means (after the grade effect) of the harmonised data are pulled to S2's: the mean absolute site
    // offset from S2, in pooled-sd units, shrinks at least fourfold.
    const offset = (table: Record<string, Float64Array>) => {
      let total = 0;
      for (const n of data.names) {
        const fit = combatFit({ features: { [n]: table[n], other: data.features[data.names[0]] }, batch: data.site, covariates: { grade: data.grade } }, { refBatch: "S2" });
        for (let b = 0; b < fit.batchLevels.length; b++) if (b !== k) total += Math.abs(fit.standardisation.batchCoefficients[b][0]) / sdOf(n);
      }
      return total;
    };
    expect(offset(harmonised)).toBeLessThan(offset(data.features) / 4);
  });

  for (const prior of ["parametric", "nonparametric"] as const) {
    it(`${prior} mean-only: a constant shift per site and feature, no rescaling`, () => {
      const { model, harmonised } = combat(input, { prior, meanOnly: true });
      expect(model.deltaStar.every((d) => d.every((v) => v === 1))).toBe(true);
      model.features.forEach((n, f) => {
        model.batchLevels.forEach((level, k) => {
          const shift = -model.gammaStar[k][f] * Math.sqrt(model.standardisation.varPooled[f]);
          data.site.forEach((s, i) => {
            if (s === level) expect(Math.abs(harmonised[n][i] - data.features[n][i] - shift)).toBeLessThan(1e-9 * sdOf(n) + 1e-12 * Math.abs(data.features[n][i]));
          });
          // sva's mean-only parametric posterior: postmean(γ̂, γ̄, n = 1, δ = 1, τ²)
          if (prior === "parametric") {
            const { gammaBar, t2 } = model.priors;
            expect(model.gammaStar[k][f]).toBeCloseTo((t2[k] * model.gammaHat[k][f] + gammaBar[k]) / (t2[k] + 1), 12);
          }
        });
      });
    });
  }

  it("leaves a feature that is constant within a batch untouched and fits the others as if it were absent", () => {
    const features: Record<string, Float64Array> = { ...data.features, flat: data.site.map((s, i) => (s === "S3" ? 1 : i)) as unknown as Float64Array };
    features.flat = Float64Array.from(data.site, (s, i) => (s === "S3" ? 1 : i));
    const { model, harmonised } = combat({ ...input, features });
    expect(model.adjusted[model.features.indexOf("flat")]).toBe(false);
    expect(model.warnings.join(" ")).toContain("flat");
    expect(harmonised.flat).toEqual(features.flat);
    for (const n of data.names) expect(maxScaledDiff(harmonised[n], base.harmonised[n], sdOf(n))).toBeLessThan(1e-12);
  });

  it("missing values stay missing and barely move the rest (sva's missing-data formulas)", () => {
    const features: Record<string, Float64Array> = Object.create(null);
    for (const n of data.names) features[n] = Float64Array.from(data.features[n]);
    features[data.names[0]][5] = NaN;
    features[data.names[7]][123] = NaN;
    const { model, harmonised } = combat({ ...input, features });
    expect(model.anyMissing).toBe(true);
    expect(Number.isNaN(harmonised[data.names[0]][5])).toBe(true);
    expect(Number.isNaN(harmonised[data.names[7]][123])).toBe(true);
    for (const n of data.names) {
      const a = harmonised[n].filter((v) => !Number.isNaN(v));
      expect(a.length).toBeGreaterThanOrEqual(data.site.length - 1);
      // with missing values sva pools the variance over n − 1: a √(n/(n−1)) ≈ 1.0017 change of scale
      const b = base.harmonised[n].filter((_, i) => !Number.isNaN(harmonised[n][i]));
      expect(maxScaledDiff(a, b, sdOf(n))).toBeLessThan(0.05);
    }
  });

  it("non-parametric priors survive batches large enough to underflow sva's likelihood product", () => {
    const rng = new Rng(3);
    const n = 3000;
    const batch = Array.from({ length: n }, (_, i) => (i < n / 2 ? "A" : "B"));
    const features = Object.fromEntries(Array.from({ length: 6 }, (_, f) => [`x${f}`, Float64Array.from(batch, (b) => (b === "A" ? 1 : 0.4) * rng.normal() + (b === "A" ? f : 0))]));
    const { harmonised } = combat({ features, batch }, { prior: "nonparametric" });
    for (const v of Object.values(harmonised)) expect(v.every(Number.isFinite)).toBe(true);
  });

  it("treats a feature named __proto__ as an ordinary name", () => {
    const features: Record<string, Float64Array> = Object.create(null);
    features["__proto__"] = data.features[data.names[0]];
    features.other = data.features[data.names[1]];
    const { harmonised } = combat({ features, batch: data.site });
    expect(Object.keys(harmonised)).toEqual(["__proto__", "other"]);
    expect(harmonised["__proto__"]).toBeInstanceOf(Float64Array);
  });
});

describe("bad input", () => {
  it("a batch with a single sample: refused unless mean-only", () => {
    const batch = data.site.slice();
    batch[0] = "lonely";
    const e = (() => { try { combatFit({ ...input, batch }); } catch (err) { return err; } })();
    expect(e).toBeInstanceOf(SingletonBatchError);
    expect((e as SingletonBatchError).batch).toBe("lonely");
    expect(combatFit({ ...input, batch }, { meanOnly: true }).batchLevels).toContain("lonely");
  });

  it("a covariate confounded with batch is named", () => {
    expect(() => combatFit({ ...input, covariates: { grade: data.grade, scanner: data.site.map((s) => `scanner-${s}`) } })).toThrowError(ConfoundedCovariateError);
    try { combatFit({ ...input, covariates: { scanner: data.site } }); } catch (e) { expect((e as ConfoundedCovariateError).covariate).toBe("scanner"); }
  });

  it("an infinite value is named by column and row", () => {
    const features = { ...data.features, [data.names[2]]: Float64Array.from(data.features[data.names[2]]) };
    features[data.names[2]][9] = Infinity;
    expect(() => combatFit({ ...input, features })).toThrowError(new RegExp(`${data.names[2]}.*row 10`));
    expect(() => combatFit({ ...input, features })).toThrowError(InvalidValueError);
  });

  it("an unknown reference batch, new batch, new covariate level or absent feature", () => {
    expect(() => combatFit(input, { refBatch: "S9" })).toThrowError(NewLevelError);
    const one = (over: Partial<CombatData>) => combatApply(base.model, { features: Object.fromEntries(data.names.map((n) => [n, [1]])), batch: ["S1"], covariates: { grade: ["G1"] }, ...over });
    expect(() => one({ batch: ["S6"] })).toThrowError(NewLevelError);
    expect(() => one({ covariates: { grade: ["G4"] } })).toThrowError(NewLevelError);
    const features = Object.fromEntries(data.names.slice(1).map((n) => [n, [1]]));
    try { one({ features }); expect.unreachable(); } catch (e) { expect(e).toBeInstanceOf(UnknownColumnError); expect((e as UnknownColumnError).column).toBe(data.names[0]); }
    expect(() => one({ covariates: {} })).toThrowError(UnknownColumnError);
  });
});
