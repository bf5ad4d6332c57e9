// Numerically hard but valid fits come back right or say why (issue "Reliability", point 2).
// Where lme4 has no stored answer, the fit is checked against the dense criterion of
// test/support/denseCriterion.ts (an independent formula), against the generating truth, and
// against exact invariances (rescaling the response).
import { describe, expect, it } from "vitest";
import { lmm } from "@lmm/core";
import { Rng } from "@lmm/core/numerics";
import { denseCriterion } from "../support/denseCriterion.js";
import { loadDataset, relClose } from "../support/reference.js";

function simulate(seed: number, sizes: number[], sdGroup: number, sdResidual = 1) {
  const rng = new Rng(seed);
  const y: number[] = [], x: number[] = [], g: string[] = [];
  sizes.forEach((size, l) => {
    const b = sdGroup * rng.normal();
    for (let i = 0; i < size; i++) {
      const xi = rng.normal();
      x.push(xi);
      g.push(`g${l}`);
      y.push(2 + 0.5 * xi + b + sdResidual * rng.normal());
    }
  });
  return { y, x, g };
}

/** The fit's criterion equals the dense formula's at θ̂, and no nearby θ does better. */
function expectOptimal(m: ReturnType<typeof lmm>) {
  expect(relClose(denseCriterion(m, m.theta), m.objective, 1e-9)).toBe(true);
  const lower = m.structure.thetaLower;
  for (let i = 0; i < m.theta.length; i++) {
    for (const step of [-1e-3, 1e-3]) {
      const t = Float64Array.from(m.theta);
      t[i] = Math.max(lower[i], t[i] + step);
      const near = m.refit(m.response, { theta: t, checkConvergence: false });
      expect(near.objective).toBeGreaterThanOrEqual(m.objective - 1e-7 * Math.abs(m.objective));
    }
  }
}

describe("numerically hard but valid fits", () => {
  it("a zero variance component: a boundary fit, flagged singular", () => {
    const d = simulate(1, Array(12).fill(10), 0);
    const m = lmm("y ~ x + (1 | g)", d, { checkConvergence: true });
    expectOptimal(m);
    if (m.isSingular) expect(m.warnings.map((w) => w.code)).toContain("SINGULAR");
    else expect(m.theta[0]).toBeLessThan(0.2);
  });

  it("a near-singular component is estimated, small and positive, at a true optimum", () => {
    const d = simulate(2, Array(40).fill(8), 0.15);
    const m = lmm("y ~ x + (1 | g)", d);
    expectOptimal(m);
    expect(m.theta[0]).toBeLessThan(0.5);
  });

  it("very unequal cluster sizes (3 vs 3,000)", () => {
    const d = simulate(3, [3, 3000, 3, 5, 3, 400, 3, 3, 60, 3], 1);
    const m = lmm("y ~ x + (1 | g)", d, { checkConvergence: true });
    expect(m.convergence?.maxScaledGradient).toBeLessThan(2e-3);
    expect(m.warnings.filter((w) => w.code === "CONVERGENCE")).toEqual([]);
    // Truth: slope 0.5, residual sd 1 (3,500 observations pin both down).
    expect(Math.abs(m.beta[1] - 0.5)).toBeLessThan(0.1);
    expect(Math.abs(m.sigma - 1)).toBeLessThan(0.05);
  });

  it("responses on scales of 1e-8 and 1e8: θ unchanged, estimates scaled, criterion shifted exactly", () => {
    const ds = loadDataset("sleepstudy");
    const base = lmm("Reaction ~ Days + (Days | Subject)", ds.data, { levels: ds.levels });
    const y = ds.data.Reaction as ArrayLike<number>;
    for (const scale of [1e-8, 1e8]) {
      const m = lmm("Reaction ~ Days + (Days | Subject)", { ...ds.data, Reaction: Array.from(y, (v) => v * scale) }, { levels: ds.levels });
      m.theta.forEach((t, i) => expect(relClose(t, base.theta[i], 1e-3, 1e-2)).toBe(true));
      m.beta.forEach((b, i) => expect(relClose(b, base.beta[i] * scale, 1e-4)).toBe(true));
      expect(relClose(m.sigma, base.sigma * scale, 1e-4)).toBe(true);
      // REML: d(cy) = d(y) + (n − p) log c².
      expect(m.objective - base.objective).toBeCloseTo((180 - 2) * Math.log(scale * scale), 4);
    }
  });

  it("many levels: 100,000 groups", () => {
    const sizes = Array(100_000).fill(3);
    const d = simulate(4, sizes, 0.8);
    const m = lmm("y ~ x + (1 | g)", d);
    expect(m.ngroups()[0].levels).toBe(100_000);
    expect(Math.abs(m.varCorr().terms[0].sd[0] - 0.8)).toBeLessThan(0.05);
    expect(Math.abs(m.sigma - 1)).toBeLessThan(0.02);
  }, 120_000);

  it("a highly unbalanced crossed design (most cells empty)", () => {
    const rng = new Rng(5);
    const y: number[] = [], a: string[] = [], b: string[] = [];
    const ea = Array.from({ length: 30 }, () => rng.normal()), eb = Array.from({ length: 8 }, () => 0.7 * rng.normal());
    for (let i = 0; i < 260; i++) {
      // Factor a: geometric-ish sizes; factor b: most observations in two levels.
      const la = Math.min(29, Math.floor(-6 * Math.log(1 - rng.uniform())));
      const lb = rng.uniform() < 0.7 ? rng.int(2) : 2 + rng.int(6);
      a.push(`a${la}`);
      b.push(`b${lb}`);
      y.push(ea[la] + eb[lb] + 0.5 * rng.normal());
    }
    const m = lmm("y ~ 1 + (1 | a) + (1 | b)", { y, a, b }, { checkConvergence: true });
    expectOptimal(m);
    expect(m.warnings.filter((w) => w.code === "CONVERGENCE" || w.code === "HESSIAN")).toEqual([]);
  });
});

describe("the dense checker itself", () => {
  it("reproduces lme4's criterion at fixed θ (so it can vouch for fits without a reference)", async () => {
    const { loadCase } = await import("../support/reference.js");
    for (const id of ["sleepstudy__slope_corr__REML", "penicillin__crossed__ML", "pastes__nested__REML"]) {
      const c = loadCase(id);
      const ds = loadDataset(c.dataset.name);
      const m = lmm(c.model.formula, ds.data, { levels: ds.levels, reml: c.model.REML });
      for (const point of c.objective_evaluations.points) expect(relClose(denseCriterion(m, point.theta), point.value, 1e-9), `${id} ${point.label}`).toBe(true);
    }
  });
});
