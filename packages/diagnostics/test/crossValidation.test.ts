// Leave-one-level-out cross-validation on data whose structure is known: the lme4 reference data
// (balanced sleepstudy, crossed Penicillin) and the shipped clinics trial (planted outlying clinic C07).
import { describe, expect, it } from "vitest";
import { lmm } from "@lmm/core";
import { leaveOneLevelOut, predictionMetrics } from "../src/index.js";
import { formulaDir, loadDataset } from "../../../test/support/reference.js";
import { clinics } from "../../datasets/src/index.js";

describe("predictionMetrics", () => {
  it("computes RMSE, MAE, R² and bias from their definitions, skipping missing predictions", () => {
    const m = predictionMetrics([1, 2, 3, 10], [1.5, 2, 2, NaN]);
    expect(m.n).toBe(3);
    expect(m.rmse).toBeCloseTo(Math.sqrt((0.25 + 0 + 1) / 3), 14);
    expect(m.mae).toBeCloseTo(1.5 / 3, 14);
    expect(m.bias).toBeCloseTo((-0.5 + 0 + 1) / 3, 14);
    expect(m.r2).toBeCloseTo(1 - 1.25 / 2, 14);
  });
});

describe("sleepstudy, leave one Subject out", () => {
  const ds = loadDataset("sleepstudy");
  const m = lmm("Reaction ~ Days + (Days | Subject)", ds.data, { levels: ds.levels });

  it("balanced design: the mixed model's population predictions equal least squares on Days (GLS = OLS)", async () => {
    const cv = await leaveOneLevelOut(m, { data: ds.data, group: "Subject" });
    expect(cv.levels).toHaveLength(18);
    cv.predictions.mixed.forEach((p, i) => expect(p).toBeCloseTo(cv.predictions.fixedOnly[i], 6));
    // Held-out least squares by hand for the first subject: the line through the other 17 subjects' means per day.
    const subject = ds.data.Subject as ArrayLike<string>, days = ds.data.Days as ArrayLike<number>, y = ds.data.Reaction as ArrayLike<number>;
    const rows = Array.from({ length: y.length }, (_, i) => i).filter((i) => subject[i] !== "308");
    const mx = rows.reduce((s, i) => s + days[i], 0) / rows.length, my = rows.reduce((s, i) => s + y[i], 0) / rows.length;
    const b = rows.reduce((s, i) => s + (days[i] - mx) * (y[i] - my), 0) / rows.reduce((s, i) => s + (days[i] - mx) ** 2, 0);
    const first = Array.from({ length: y.length }, (_, i) => i).filter((i) => subject[i] === "308");
    first.forEach((i) => expect(cv.predictions.fixedOnly[i]).toBeCloseTo(my + b * (days[i] - mx), 8));
    expect(cv.overall.mixed.n).toBe(180);
  });

  it("partial pooling with the first k days predicts the rest of each subject's days better than the population line", async () => {
    const cv = await leaveOneLevelOut(m, { data: ds.data, group: "Subject", partialPooling: { k: 5 } });
    expect(cv.overall.partial!.n).toBe(18 * 5);
    expect(cv.levels.every((l) => l.partial!.n === 5)).toBe(true);
    // On the same rows (days 5–9): subject-specific lines from 5 days beat the population line.
    const late = Array.from(cv.predictions.row, (_, i) => i).filter((i) => Number.isFinite(cv.predictions.partial[i]));
    const pick = (a: Float64Array) => late.map((i) => a[i]);
    const population = predictionMetrics(pick(cv.predictions.observed), pick(cv.predictions.mixed));
    expect(cv.overall.partial!.rmse).toBeLessThan(population.rmse);
  });
});

describe("Penicillin, leave one plate out", () => {
  it("keeping the known sample effects (crossed factor) predicts a new plate better than the population level", async () => {
    const ds = loadDataset("Penicillin");
    const m = lmm("diameter ~ 1 + (1 | plate) + (1 | sample)", ds.data, { levels: ds.levels });
    const population = await leaveOneLevelOut(m, { data: ds.data, group: "plate" });
    const other = await leaveOneLevelOut(m, { data: ds.data, group: "plate", predictWith: "otherLevels" });
    // Samples explain most of the variance (sd 1.93 vs plate 0.85, residual 0.55): their BLUPs help a lot.
    expect(other.overall.mixed.rmse).toBeLessThan(0.7 * population.overall.mixed.rmse);
    expect(other.overall.fixedOnly.rmse).toBeCloseTo(population.overall.fixedOnly.rmse, 12);
    expect(population.table().columnNames()).toEqual(["level", "n", "mixed_rmse", "mixed_mae", "mixed_r2", "mixed_bias", "fixedOnly_rmse", "fixedOnly_mae", "fixedOnly_r2", "fixedOnly_bias"]);
  });
});

describe("clinics, leave one clinic out", () => {
  const d = clinics();
  const m = lmm("y ~ program * time + (1|clinic) + (1 + time|clinic:patient)", d.columns, { levels: d.levels });

  it("finds the planted clinic: C07 (+20) is the worst predicted, under-predicted by about 20", async () => {
    const cv = await leaveOneLevelOut(m, { data: d.columns, group: "clinic", partialPooling: { k: 3 } });
    const c07 = cv.levels.find((l) => l.level === "C07")!;
    expect(c07.mixed.rmse).toBe(Math.max(...cv.levels.map((l) => l.mixed.rmse)));
    // Bias = 20 + C07's own clinic effect + the mean of its ~10 patients' effects and 55 residuals:
    // sd ≈ √(64/10 + 25/55 + slope terms) < 3.5, so 4 sd around the planted shift plus its clinic effect.
    const truthEffect = d.truth.clinicEffects.values[d.truth.clinicEffects.clinics.indexOf("C07")];
    expect(Math.abs(c07.mixed.bias - (20 + truthEffect))).toBeLessThan(14);
    expect(c07.mixed.bias).toBeGreaterThan(10);
    // Population predictions of the mixed model and of least squares on the same fixed formula are
    // nearly the same (same fixed effects, GLS vs OLS weights); partial pooling does better.
    expect(Math.abs(cv.overall.mixed.rmse / cv.overall.fixedOnly.rmse - 1)).toBeLessThan(0.05);
    expect(cv.overall.partial!.rmse).toBeLessThan(cv.overall.mixed.rmse);
    // Population-level mean squared error ≈ the marginal variance the truth implies plus the planted
    // shifts: clinic 16 + patient (64 − 2·2.88 t + 1.44 t²) + residual 25, + 20² in C07 and (2.5 t)²
    // for C16's program patients, averaged over the visits.
    const time = d.columns.time as Float64Array, clinic = d.columns.clinic as string[], program = d.columns.program as string[];
    const P = d.truth.patientCovariance;
    let expected = 0;
    time.forEach((t, i) => {
      const planted = clinic[i] === "C07" ? 20 ** 2 : clinic[i] === "C16" && program[i] === "yes" ? (2.5 * t) ** 2 : 0;
      expected += d.truth.clinicVariance + P[0][0] + 2 * t * P[0][1] + t * t * P[1][1] + d.truth.residualVariance + planted;
    });
    expected /= time.length;
    // Sampling error of the realised MSE with 20 clinics and 201 patients: sd ≈ √(2·16²/20 + 2·64²/201) ≈ 8.
    expect(Math.abs(cv.overall.mixed.rmse ** 2 - expected)).toBeLessThan(30);
  });
});

describe("refits keep what the full fit learned (R's safe prediction), with weights and offsets", () => {
  it("each held-out subject is predicted by a refit on the others with the full fit's poly, scale and spline bases", async () => {
    const ds = loadDataset("sleepstudy", formulaDir);
    const formula = "Reaction ~ poly(Days, 2) + ns(off, df = 3) + scale(w) + offset(Days / 2) + (1 | Subject)";
    const options = { levels: ds.levels, weights: "w", offset: "off" } as const;
    const m = lmm(formula, ds.data, options);
    const cv = await leaveOneLevelOut(m, { data: ds.data, group: "Subject" });
    const subject = ds.data.Subject as ArrayLike<string>;
    const n = subject.length;
    for (const level of ["308", "372"]) {
      const pick = (keep: boolean) => {
        const rows = Array.from({ length: n }, (_, i) => i).filter((i) => (subject[i] === level) !== keep);
        const out: Record<string, unknown[]> = Object.create(null);
        for (const [k, v] of Object.entries(ds.data)) out[k] = rows.map((r) => (v as ArrayLike<unknown>)[r]);
        return { rows, data: out };
      };
      const train = pick(true), held = pick(false);
      const refit = lmm(formula, train.data, { ...options, transforms: m.structure.transforms });
      const expected = refit.predict(held.data, { re: false });
      // The refits start from the full fit's θ (a warm start), the one here from lme4's: optimiser tolerance apart.
      held.rows.forEach((r, k) => expect(cv.predictions.mixed[r]).toBeCloseTo(expected[k], 3));
      // Relearning the bases on the training rows (other spline knots) would give other predictions.
      const relearned = lmm(formula, train.data, options).predict(held.data, { re: false });
      expect(Math.max(...held.rows.map((r, k) => Math.abs(relearned[k] - cv.predictions.mixed[r])))).toBeGreaterThan(0.01);
    }
    // Weighted least squares with the offset for the fixed-effects-only model: finite, and different from the mixed model.
    expect(cv.overall.fixedOnly.n).toBe(180);
    expect(Number.isFinite(cv.overall.fixedOnly.rmse)).toBe(true);
  });
});
