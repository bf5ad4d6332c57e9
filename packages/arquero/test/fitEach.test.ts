import { readFileSync } from "node:fs";
import { coefficients, lmm, UnknownColumnError } from "@lmm/core";
import { RunAbortedError } from "@lmm/core/parallel";
import { table as aqTable, type ColumnTable } from "arquero";
import { afterAll, describe, expect, it } from "vitest";
import { createFitEachPool, featureFormula, fitEach, FormulaTemplateError, parseColumnSchema, readCsv, tableColumns, type FeatureFit } from "../src/index.js";

// The shipped TMA example (packages/datasets): 393 cores, 100 patients, 8 staining batches, 3 readers.
const file = (name: string) => readFileSync(new URL(`../../datasets/data/${name}`, import.meta.url), "utf8");
const schema = parseColumnSchema(file("tma.columns.json"));
const tma = readCsv(file("tma.csv"), { schema });
const levels = Object.fromEntries(schema.columns.filter((c) => c.levels).map((c) => [c.name, c.levels!]));
const template = "{feature} ~ grade + (1|patient) + (1|batch) + (1|reader)";
const features = Array.from({ length: 20 }, (_, i) => `feature_${String(i + 1).padStart(2, "0")}`);

const pool = createFitEachPool(2);
afterAll(() => pool.close());

/** Relative closeness with a floor for values at zero (singular sds). */
function near(a: number, b: number, tol: number, floor: number) {
  return Math.abs(a - b) <= tol * Math.max(Math.abs(b), floor);
}

/**
 * A fit from fitEach against a separate lmm() of the same feature, at the tolerances the core is
 * held to against lme4 (objective 1e-6, θ and sds 1e-3 with a 1e-3·σ floor for sds at zero, fixed
 * effects 1e-4, SEs 1e-3). Not bit-identical: the core sums over observations in a canonical order
 * sorted by the response first, so the shared design (built once) and a fresh fit add the same
 * numbers in different orders, and BOBYQA stops at a slightly different point inside its final
 * trust radius (observed: logLik within 2e-6, θ within 3e-4 relative, on the 25 TMA features).
 */
function expectSameAsLmm(f: FeatureFit, data: ColumnTable) {
  const m = lmm(featureFormula(template, f.feature), tableColumns(data), { levels });
  expect(near(f.logLik, m.logLik, 1e-6, 1), `${f.feature} logLik ${f.logLik} vs ${m.logLik}`).toBe(true);
  expect(near(f.sigma, m.sigma, 1e-4, 1e-12)).toBe(true);
  f.theta.forEach((t, i) => expect(near(t * f.sigma, m.theta[i] * m.sigma, 1e-3, m.sigma), `${f.feature} sd ${i}: ${t} vs ${m.theta[i]}`).toBe(true));
  const fe = m.fixef();
  expect(f.fixef.names).toEqual(fe.map((x) => x.name));
  fe.forEach((x, j) => {
    expect(near(f.fixef.estimate[j], x.estimate, 1e-4, x.stdError), `${f.feature} ${x.name}`).toBe(true);
    expect(near(f.fixef.se[j], x.stdError, 1e-3, 1e-12)).toBe(true);
  });
  const vc = m.varCorr().terms;
  expect(f.varcorr.map((t) => t.name)).toEqual(vc.map((t) => t.name));
  f.varcorr.forEach((t, i) => expect(near(t.sd[0], vc[i].sd[0], 1e-3, m.sigma), `${f.feature} ${t.name}`).toBe(true));
  expect(f.nobs).toBe(m.nobs);
  expect(Array.from(f.dropped)).toEqual(m.droppedRows.indices);
}

describe("fitEach with the formula language: response expressions, bases, offsets, weights, contrasts", () => {
  it("each feature equals its own lmm() fit with the same options, in this thread and in workers", async () => {
    const t = "log({feature} + 1) ~ grade + scale(feature_25) + offset(feature_24 / 100) + (1|patient) + (1|batch)";
    const options = { contrasts: { grade: "sum" }, weights: "feature_21", levels } as const;
    const names = ["feature_01", "feature_02", "feature_03"];
    const here = await fitEach(tma, t, names, options);
    const there = await fitEach(tma, t, names, { ...options, workers: pool });
    here.fits.forEach((f, i) => {
      expect(f.error).toBeNull();
      expect(f.fixef.names).toEqual(["(Intercept)", "grade1", "grade2", "scale(feature_25)"]);
      const m = lmm(featureFormula(t, f.feature), tableColumns(tma), options);
      expect(near(f.logLik, m.logLik, 1e-6, 1), `${f.feature} logLik ${f.logLik} vs ${m.logLik}`).toBe(true);
      m.fixef().forEach((x, j) => expect(near(f.fixef.estimate[j], x.estimate, 1e-4, x.stdError), `${f.feature} ${x.name}`).toBe(true));
      expect(Array.from(there.fits[i].fixef.estimate)).toEqual(Array.from(f.fixef.estimate));
    });
  });
  it("a feature the response expression cannot take is an error record naming the feature", async () => {
    const cols: Record<string, unknown[]> = { y1: [], y2: [], g: [] };
    for (let i = 0; i < 30; i++) {
      cols.y1.push(1 + (i % 7));
      cols.y2.push(i === 4 ? -3 : 1 + ((i * 3) % 5));
      cols.g.push(`g${i % 6}`);
    }
    const r = await fitEach(aqTable(cols), "log({feature}) ~ 1 + (1 | g)", ["y1", "y2"]);
    expect(r.fits[0].error).toBeNull();
    expect(r.fits[1].error?.message).toMatch(/column "y2", row 5: -3 has no finite log\(y2\)/);
  });
});

describe("fitEach", () => {
  it("over 20 features equals 20 separate fits, on the one shared design", async () => {
    const progress: number[] = [];
    const r = await fitEach(tma, template, features, { onProgress: (done) => progress.push(done) });
    expect(r.fits.map((f) => f.feature)).toEqual(features);
    expect(progress[progress.length - 1]).toBe(20);
    for (const f of r.fits) {
      expect(f.error).toBeNull();
      expect(f.design).toBe("shared");
      expectSameAsLmm(f, tma);
    }
    // One tidy table: 3 fixed + 3 random sds + residual per feature, fractions summing to 1.
    expect(r.table.numRows()).toBe(20 * 7);
    const rows = r.table.objects() as { feature: string; effect: string; group: string; variance: number; fraction: number; design: string }[];
    for (const feature of features) {
      const mine = rows.filter((x) => x.feature === feature && x.effect === "ran_pars");
      expect(mine.map((x) => x.group)).toEqual(["patient", "batch", "reader", "Residual"]);
      expect(mine.reduce((s, x) => s + x.fraction, 0)).toBeCloseTo(1, 12);
    }
    expect(r.glance.numRows()).toBe(20);
    expect(r.glance.array("design")).toEqual(new Array(20).fill("shared"));
  });

  it("in 2 workers gives exactly the serial results (bootstrap replicates included)", async () => {
    const options = { ddf: "residual" as const, bootstrap: { n: 3, seed: 7 } };
    const serial = await fitEach(tma, template, features.slice(0, 8), options);
    const parallel = await fitEach(tma, template, features.slice(0, 8), { ...options, workers: pool });
    expect(parallel.fits).toEqual(serial.fits);
    expect(parallel.table.objects()).toEqual(serial.table.objects());
    expect(serial.fits[0].bootstrap!.sigma.length).toBe(3);
    expect(serial.fits[0].fixef.df[0]).toBe(tma.numRows() - 3);
  });

  it("df and p-values from the core's coefficients (Satterthwaite) per feature", async () => {
    const r = await fitEach(tma, template, features.slice(0, 3), { levels, ddf: "satterthwaite" });
    for (const f of r.fits) {
      const c = coefficients(lmm(featureFormula(template, f.feature), tableColumns(tma), { levels }), { ddf: "satterthwaite" });
      // Same quantity at θ̂ agreeing to the optimiser's tolerance (see expectSameAsLmm): 1e-3 relative.
      c.forEach((x, j) => {
        expect(near(f.fixef.df[j], x.df, 1e-3, 1), `${f.feature} ${x.name} df ${f.fixef.df[j]} vs ${x.df}`).toBe(true);
        expect(near(f.fixef.pValue[j], x.pValue, 1e-2, 1e-12), `${f.feature} ${x.name} p`).toBe(true);
      });
    }
    const rows = r.table.objects().filter((x) => x.effect === "fixed") as { df: number }[];
    expect(rows.every((x) => Number.isFinite(x.df))).toBe(true);
  });

  it("abort stops within one feature, serial and in workers", async () => {
    for (const workers of [0, pool]) {
      const controller = new AbortController();
      let fitted = 0;
      const run = fitEach(tma, template, features, {
        workers,
        signal: controller.signal,
        onProgress: (done) => {
          fitted = done;
          if (done >= 2) controller.abort("stop");
        },
      });
      const error = await run.then(() => null, (e) => e);
      expect(error).toBeInstanceOf(RunAbortedError);
      expect(error.done).toBeLessThan(features.length);
      if (workers === 0) {
        // Serial: the abort is seen before the next feature starts.
        expect(error.done).toBe(2);
        expect(fitted).toBe(2);
      }
    }
    // The pool is usable after an abort.
    const again = await fitEach(tma, template, features.slice(0, 2), { workers: pool });
    expect(again.fits.every((f) => f.error === null)).toBe(true);
  });

  it("features with missing values of their own get their own frame, and equal separate fits", async () => {
    const cols = tableColumns(tma);
    const withHoles = (name: string, rows: number[]) => Float64Array.from(cols[name] as ArrayLike<number>, (v, i) => (rows.includes(i) ? NaN : v));
    const reader = Array.from(cols.reader as ArrayLike<string>, (v, i) => (i === 5 ? null : v));
    const data = aqTable({
      ...Object.fromEntries(["core", "patient", "grade", "batch"].map((n) => [n, cols[n]])),
      reader,
      a: cols.feature_01,
      b: withHoles("feature_06", [0, 10, 20]),
      c: withHoles("feature_11", [10, 20, 0]),
      d: withHoles("feature_16", [5]), // missing where the design is missing anyway
    });
    const r = await fitEach(data, template, "a,b,c,d", { levels });
    expect(r.fits.map((f) => f.design)).toEqual(["shared", "own", "own", "shared"]);
    r.fits.forEach((f) => expectSameAsLmm(f, data));
    expect(r.structureOf("b")).toBe(r.structureOf("c")); // one frame per missing pattern
    expect(r.structureOf("b").nobs).toBe(tma.numRows() - 4);
    expect(r.structureOf("a").nobs).toBe(tma.numRows() - 1);

    // Missing data, per column and per row, for every feature.
    const byColumn = r.missing.byColumn.objects() as { feature: string; column: string; role: string; missing: number; only: number }[];
    expect(byColumn.filter((x) => x.feature === "b").map((x) => [x.column, x.role, x.missing, x.only])).toEqual([
      ["b", "response", 3, 3], ["grade", "fixed", 0, 0], ["patient", "group", 0, 0], ["batch", "group", 0, 0], ["reader", "group", 1, 1],
    ]);
    expect(byColumn.filter((x) => x.feature === "d" && x.missing > 0).map((x) => [x.column, x.missing, x.only])).toEqual([["d", 1, 0], ["reader", 1, 0]]);
    const byRow = r.missing.byRow.objects() as { feature: string; row: number; columns: string }[];
    expect(byRow.filter((x) => x.feature === "b")).toEqual([
      { feature: "b", row: 0, columns: "b" }, { feature: "b", row: 5, columns: "reader" },
      { feature: "b", row: 10, columns: "b" }, { feature: "b", row: 20, columns: "b" },
    ]);
    expect(byRow.filter((x) => x.feature === "d")).toEqual([{ feature: "d", row: 5, columns: "d, reader" }]);
    expect(byRow.filter((x) => x.feature === "a")).toEqual([{ feature: "a", row: 5, columns: "reader" }]);
  });

  it("a feature that cannot be fitted is an error row, the run goes on", async () => {
    const cols = tableColumns(tma);
    const n = tma.numRows();
    const data = aqTable({
      ...Object.fromEntries(["patient", "grade", "batch", "reader"].map((k) => [k, cols[k]])),
      good: cols.feature_02,
      flat: new Float64Array(n).fill(3),
      text: Array.from({ length: n }, (_, i) => (i === 7 ? "high" : i)),
      empty: new Float64Array(n).fill(NaN),
    });
    const r = await fitEach(data, template, ["good", "flat", "text", "empty"]);
    expect(r.fits.map((f) => f.error?.code ?? null)).toEqual([null, "RESPONSE", "INVALID_VALUE", r.fits[3].error!.code]);
    expect(r.fits[1].error!.message).toContain("flat");
    expect(r.fits[2].error!.message).toMatch(/text.*row|row.*text/);
    expect(r.fits[3].error!.message).toContain("empty");
    expect(r.fits[3].error!.message).not.toContain(".feature");
    expect(r.glance.array("error").filter((e: unknown) => e !== null)).toHaveLength(3);
    expect(new Set(r.table.array("feature"))).toEqual(new Set(["good"]));
  });

  it("response transforms apply to every feature", async () => {
    const logged = await fitEach(tma, "log({feature}) ~ grade + (1|patient) + (1|batch)", ["feature_03"]);
    const m = lmm("log(feature_03) ~ grade + (1|patient) + (1|batch)", tableColumns(tma), { levels });
    expect(near(logged.fits[0].logLik, m.logLik, 1e-6, 1)).toBe(true);
  });

  it("bad templates and feature lists are typed errors", async () => {
    await expect(fitEach(tma, "feature_01 ~ 1 + (1|batch)", features)).rejects.toThrow(FormulaTemplateError);
    await expect(fitEach(tma, "y ~ {feature} + (1|batch)", features)).rejects.toThrow(FormulaTemplateError);
    await expect(fitEach(tma, template, ["feature_01", "nope"])).rejects.toThrow(UnknownColumnError);
    await expect(fitEach(tma, template, "zz_*")).rejects.toThrow(/glob/);
    await expect(fitEach(tma, "{feature} ~ 1 + (1|site)", features)).rejects.toThrow(UnknownColumnError);
    await expect(fitEach(tma, template, ["batch"])).rejects.toThrow(/right-hand side/);
  });
});
