// Cluster-level case deletion: the warm-started refits against refits from scratch, and Cook's
// distance / DFBETAS recomputed here from those independent refits as lme4 1.1-31's
// influence.merMod defines them (DESIGN.md §7).
import { describe, expect, it } from "vitest";
import { AbortedError, lmm, type DataColumns, type LinearMixedModel } from "@lmm/core";
import { clusterInfluence, createDeletionPool, DataMismatchError, UnknownGroupingError, type ClusterInfluence } from "../src/index.js";
import { loadDataset, relClose } from "../../../test/support/reference.js";
import { newtonRefit } from "../src/caseDeletion/warmStart.js";
import { clinics } from "../../datasets/src/index.js";

const CASES = [
  { name: "sleepstudy", formula: "Reaction ~ Days + (Days | Subject)", group: "Subject" },
  { name: "Penicillin", formula: "diameter ~ 1 + (1 | plate) + (1 | sample)", group: "plate" },
];

function without(data: DataColumns, column: string, level: string): DataColumns {
  const col = data[column] as ArrayLike<unknown>;
  const keep = Array.from({ length: col.length }, (_, i) => i).filter((i) => String(col[i]) !== level);
  return Object.fromEntries(Object.entries(data).map(([k, v]) => [k, keep.map((i) => (v as ArrayLike<unknown>)[i])]));
}

/** x' A⁻¹ x by Gauss–Jordan elimination (independent of the package's Cholesky). */
function quadInverse(A: number[][], x: number[]): number {
  const p = x.length;
  const M = A.map((row, r) => [...row, x[r]]);
  for (let c = 0; c < p; c++) {
    for (let r = 0; r < p; r++) {
      if (r === c) continue;
      const f = M[r][c] / M[c][c];
      for (let k = c; k <= p; k++) M[r][k] -= f * M[c][k];
    }
  }
  return x.reduce((s, v, r) => s + v * (M[r][p] / M[r][r]), 0);
}

for (const c of CASES) {
  describe(`${c.name}: deletion of each ${c.group}`, () => {
    const ds = loadDataset(c.name);
    for (const reml of [true, false]) {
      it(`${reml ? "REML" : "ML"}: warm refits = refits from scratch; Cook's D and DFBETAS as influence.merMod`, async () => {
        const m = lmm(c.formula, ds.data, { levels: ds.levels, reml });
        const infl = await clusterInfluence(m, { data: ds.data, group: c.group });
        const levels = ds.levels[c.group];
        expect(infl.levels.map((l) => l.level)).toEqual(levels);
        expect(infl.n).toBe(levels.length);
        const p = m.beta.length;
        const V = m.vcov();
        const Vrows = Array.from({ length: p }, (_, r) => Array.from({ length: p }, (_, s) => V[r * p + s]));
        const cooks: number[] = [], dfbetas: number[][] = [];
        for (const l of infl.levels) {
          const cold = lmm(c.formula, without(ds.data, c.group, l.level), { levels: ds.levels, reml, checkConvergence: false });
          // Both optimisers stop at the same optimum: the warm refit's criterion is not above the cold one's
          // (by more than BOBYQA's ftol_abs 1e-8 scale, 1e-6), θ agrees to 1e-3 absolute (optimiser noise,
          // as lme4 vs lme4's bobyqa in the reference README), β, SEs and σ to 1e-4 relative.
          expect(l.objective).toBeLessThanOrEqual(cold.objective + 1e-6);
          cold.theta.forEach((t, i) => expect(Math.abs(t - l.theta[i]), `theta[${i}] without ${l.level}`).toBeLessThan(1e-3));
          const fe = cold.fixef();
          fe.forEach((f, j) => {
            expect(relClose(l.beta[j], f.estimate, 1e-4), `beta ${f.name} without ${l.level}`).toBe(true);
            expect(relClose(l.se[j], f.stdError, 1e-4), `se ${f.name} without ${l.level}`).toBe(true);
          });
          expect(relClose(l.sigma, cold.sigma, 1e-4)).toBe(true);
          // Variance components without the level: σ², then each VarCorr covariance's lower triangle,
          // column by column. θ agrees to ~1e-3, so each component to ~2e-3 of the scale sd_r·sd_c of its entry.
          const vc = cold.varCorr();
          const comps: { value: number; scale: number }[] = [{ value: vc.residual.variance, scale: vc.residual.variance }];
          for (const t of vc.terms) {
            for (let col = 0; col < t.terms.length; col++) for (let r = col; r < t.terms.length; r++) comps.push({ value: t.covariance[r][col], scale: t.sd[r] * t.sd[col] });
          }
          expect(l.varcomp.length).toBe(comps.length);
          comps.forEach((v, j) => expect(relClose(l.varcomp[j], v.value, 2e-3, v.scale), `varcomp ${infl.varcompNames[j]} without ${l.level}: ${l.varcomp[j]} vs ${v.value}`).toBe(true));
          const dfbeta = fe.map((f, j) => f.estimate - m.beta[j]);
          cooks.push((quadInverse(Vrows, dfbeta) * (levels.length - p)) / (levels.length * p));
          dfbetas.push(dfbeta.map((d, j) => d / fe[j].stdError));
        }
        // Cook's D and DFBETAS are differences of nearly equal estimates: compare on the scale of the largest.
        const maxCook = Math.max(...cooks);
        infl.levels.forEach((l, i) => {
          expect(relClose(l.cooksD, cooks[i], 1e-3, maxCook), `Cook's D without ${l.level}: ${l.cooksD} vs ${cooks[i]}`).toBe(true);
          const maxDf = Math.max(...dfbetas.flat().map(Math.abs));
          dfbetas[i].forEach((d, j) => expect(relClose(l.dfbetas[j], d, 1e-3, maxDf), `DFBETAS ${infl.fixefNames[j]} without ${l.level}`).toBe(true));
          expect(l.flagged).toBe(cooks[i] > 4 / levels.length || dfbetas[i].some((d) => Math.abs(d) > 2 / Math.sqrt(levels.length)));
        });
        expect(infl.cutoffs).toEqual({ cooksD: 4 / levels.length, dfbetas: 2 / Math.sqrt(levels.length) });
      });
    }
  });
}

describe("how the refits run", () => {
  const ds = loadDataset("Penicillin");
  const formula = "diameter ~ 1 + (1 | plate) + (1 | sample)";
  const m = lmm(formula, ds.data, { levels: ds.levels });
  const numbers = (r: ClusterInfluence) => r.levels.map((l) => [l.level, l.cooksD, Array.from(l.dfbetas), Array.from(l.varcompChange), l.evaluations]);

  it("serial (this thread), a size-0 pool and two worker threads give identical results", async () => {
    const serial = await clusterInfluence(m, { data: ds.data, group: "plate" });
    const pool = createDeletionPool({ size: 2 });
    const zero = createDeletionPool({ size: 0 });
    try {
      const parallel = await clusterInfluence(m, { data: ds.data, group: "plate", pool });
      const inThread = await clusterInfluence(m, { data: ds.data, group: "plate", pool: zero });
      expect(numbers(parallel)).toEqual(numbers(serial));
      expect(numbers(inThread)).toEqual(numbers(serial));
    } finally {
      await pool.close();
      await zero.close();
    }
  });

  it("cold refits and lme4-style BOBYQA warm refits reach the same estimates with more evaluations", async () => {
    const newton = await clusterInfluence(m, { data: ds.data, group: "sample" });
    const bobyqa = await clusterInfluence(m, { data: ds.data, group: "sample", optimizer: "bobyqa" });
    const cold = await clusterInfluence(m, { data: ds.data, group: "sample", start: "cold" });
    for (const other of [bobyqa, cold]) {
      other.levels.forEach((l, i) => {
        expect(relClose(l.cooksD, newton.levels[i].cooksD, 1e-3, 1e-3 * Math.max(...newton.levels.map((x) => x.cooksD)))).toBe(true);
        l.theta.forEach((t, j) => expect(Math.abs(t - newton.levels[i].theta[j])).toBeLessThan(1e-3));
      });
    }
    expect(newton.levels.every((l) => l.method === "newton" || l.method === "newton+bobyqa")).toBe(true);
    expect(bobyqa.levels.every((l) => l.method === "bobyqa")).toBe(true);
    expect(newton.evaluations).toBeLessThan(bobyqa.evaluations);
    expect(bobyqa.evaluations).toBeLessThan(cold.evaluations);
  });

  it("reports progress and stops on abort with an AbortedError", async () => {
    const seen: number[] = [];
    await clusterInfluence(m, { data: ds.data, group: "plate", onProgress: (done) => seen.push(done) });
    expect(seen.at(-1)).toBe(24);
    expect(seen.every((d, i) => i === 0 || d >= seen[i - 1])).toBe(true);
    const controller = new AbortController();
    const run = clusterInfluence(m, { data: ds.data, group: "plate", signal: controller.signal, onProgress: () => controller.abort(new Error("stop")) });
    await expect(run).rejects.toBeInstanceOf(AbortedError);
  });

  it("a deletion that leaves a model impossible is reported as data, not thrown", async () => {
    // Two batches only: deleting one leaves a grouping factor with a single level.
    const data = { y: [1, 2, 3, 5, 4, 6, 8, 7], x: [1, 2, 3, 4, 1, 2, 3, 4], batch: ["a", "a", "a", "a", "b", "b", "b", "b"], op: ["p", "q", "r", "s", "p", "q", "r", "s"] };
    const small = lmm("y ~ x + (1 | batch) + (1 | op)", data);
    const infl = await clusterInfluence(small, { data, group: "batch" });
    expect(infl.levels.map((l) => l.error?.code)).toEqual(["RANDOM_EFFECTS", "RANDOM_EFFECTS"]);
    expect(infl.levels.every((l) => Number.isNaN(l.cooksD) && !l.flagged)).toBe(true);
  });

  it("names an unknown grouping and refuses data of another length", async () => {
    await expect(clusterInfluence(m, { data: ds.data, group: "plates" })).rejects.toThrow(UnknownGroupingError);
    await expect(clusterInfluence(m, { data: ds.data, group: "plates" })).rejects.toThrow(/"plates".*"plate"/);
    const short = Object.fromEntries(Object.entries(ds.data).map(([k, v]) => [k, Array.from(v as ArrayLike<unknown>).slice(1)]));
    await expect(clusterInfluence(m, { data: short, group: "plate" })).rejects.toThrow(DataMismatchError);
  });
});

describe("clinics: the planted outlying clinics stand out", () => {
  it("C07 (+20 everywhere) on the intercept, C16 (program slope reversed) on programyes:time", async () => {
    const d = clinics();
    const m: LinearMixedModel = lmm("y ~ program * time + (1|clinic) + (1 + time|clinic:patient)", d.columns, { levels: d.levels });
    const infl = await clusterInfluence(m, { data: d.columns, group: "clinic" });
    const byLevel = new Map(infl.levels.map((l) => [l.level, l]));
    const j = (name: string) => infl.fixefNames.indexOf(name);
    const c07 = byLevel.get("C07")!, c16 = byLevel.get("C16")!;
    // Deleting C07 lowers the intercept (it is 20 above everyone) more than deleting any other clinic.
    const intercept = infl.levels.map((l) => l.dfbetas[j("(Intercept)")]);
    expect(c07.dfbetas[j("(Intercept)")]).toBe(Math.min(...intercept));
    expect(c07.flags).toContain("dfbetas:(Intercept)");
    // Deleting C16 (whose program patients improve instead of declining) makes the program slope more negative.
    const slope = infl.levels.map((l) => l.dfbetas[j("programyes:time")]);
    expect(c16.dfbetas[j("programyes:time")]).toBe(Math.min(...slope));
    expect(c16.flags).toContain("dfbetas:programyes:time");
    // Without C07 the clinic variance falls the most.
    const clinicVar = infl.varcompNames.indexOf("clinic:v[(Intercept)]");
    expect(c07.varcompChange[clinicVar]).toBe(Math.min(...infl.levels.map((l) => l.varcompChange[clinicVar])));
    expect(infl.table().numRows()).toBe(20);
  });
});

describe("the warm-start optimiser", () => {
  // f(θ) = (θ − a)' A (θ − a) + 100, minimised from θ = 1 with a metric 30 % off the true Hessian 2A.
  const A = [[3, 1, 0], [1, 2, 0.5], [0, 0.5, 1]];
  const f = (a: number[]) => (t: Float64Array) => {
    let s = 100;
    for (let r = 0; r < 3; r++) for (let c = 0; c < 3; c++) s += (t[r] - a[r]) * A[r][c] * (t[c] - a[c]);
    return s;
  };
  const metric = Float64Array.from(A.flat(), (v) => 2 * 1.3 * v);
  const lower = [0, -Infinity, 0];

  it("reaches an interior minimum", () => {
    const r = newtonRefit(f([0.8, -0.3, 1.2]), Float64Array.of(1, 0, 1), lower, metric);
    expect(r.converged).toBe(true);
    [0.8, -0.3, 1.2].forEach((v, i) => expect(r.theta[i]).toBeCloseTo(v, 3));
    expect(r.objective - 100).toBeLessThan(1e-7);
  });

  it("stops on a lower bound when the minimum lies beyond it", () => {
    // Unconstrained minimum has θ₀ < 0; with θ₀ ≥ 0 the minimum is at θ₀ = 0 and the rest re-optimised.
    const r = newtonRefit(f([-0.5, 0.2, 0.6]), Float64Array.of(1, 0, 1), lower, metric);
    expect(r.theta[0]).toBe(0);
    // Given θ₀ = 0, θ₁ and θ₂ minimise the quadratic in (θ₁, θ₂): solve the 2 × 2 system by hand.
    const a = [-0.5, 0.2, 0.6];
    const b1 = A[1][0] * (0 - a[0]), b2 = A[2][0] * (0 - a[0]);
    const det = A[1][1] * A[2][2] - A[1][2] * A[2][1];
    const d1 = (-b1 * A[2][2] + b2 * A[1][2]) / det, d2 = (-b2 * A[1][1] + b1 * A[2][1]) / det;
    expect(r.theta[1]).toBeCloseTo(a[1] + d1, 3);
    expect(r.theta[2]).toBeCloseTo(a[2] + d2, 3);
  });
});
