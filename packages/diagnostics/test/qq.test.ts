// Q-Q data, the simulation envelope and the normality statistics.
import { describe, expect, it } from "vitest";
import { lmm } from "@lmm/core";
import { pnorm, qnorm, Rng } from "@lmm/core/numerics";
import { andersonDarling, normalScores, ppoints, qq, qqRanef, qqResiduals, shapiroFrancia } from "../src/index.js";
import { loadDataset } from "../../../test/support/reference.js";

/** Anderson–Darling's A² by numerical integration of its definition n ∫ (F_n(u) − u)² / (u(1 − u)) du (Simpson). */
function a2ByQuadrature(values: number[]): number {
  const n = values.length;
  const mean = values.reduce((s, v) => s + v, 0) / n;
  const sd = Math.sqrt(values.reduce((s, v) => s + (v - mean) ** 2, 0) / (n - 1));
  const u = values.map((v) => pnorm((v - mean) / sd)).sort((a, b) => a - b);
  const knots = [0, ...u, 1];
  let total = 0;
  for (let i = 0; i + 1 < knots.length; i++) {
    const a = knots[i], b = knots[i + 1], c = i / n;
    // The integrand is bounded on every piece (it vanishes where F_n = 0 near 0 and F_n = 1 near 1).
    const g = (x: number) => (x <= 0 || x >= 1 ? (c === 0 && x <= 0 ? 0 : c === 1 && x >= 1 ? 0 : Infinity) : (c - x) ** 2 / (x * (1 - x)));
    const m = 2000;
    const h = (b - a) / m;
    let s = g(a) + g(b);
    for (let k = 1; k < m; k++) s += (k % 2 ? 4 : 2) * g(a + k * h);
    total += (s * h) / 3;
  }
  return n * total;
}

describe("normality statistics", () => {
  const rng = new Rng(11);
  const sample = (n: number, draw: () => number) => Array.from({ length: n }, draw);

  it("A² equals the numerical integral of its definition", () => {
    for (const n of [10, 40]) {
      const x = sample(n, () => rng.normal());
      expect(andersonDarling(x).statistic).toBeCloseTo(a2ByQuadrature(x), 5);
    }
  });

  it("p-values are calibrated under normality and reject skewed data", () => {
    // 400 normal samples of 50: the 5 % test rejects Binomial(400, 0.05) times; 99.9 % interval [7, 36].
    const rejectAd = [], rejectSf = [];
    for (let s = 0; s < 400; s++) {
      const x = sample(50, () => rng.normal());
      rejectAd.push(andersonDarling(x).pValue < 0.05);
      rejectSf.push(shapiroFrancia(x).pValue < 0.05);
    }
    for (const rejects of [rejectAd, rejectSf]) {
      const count = rejects.filter(Boolean).length;
      expect(count).toBeGreaterThanOrEqual(7);
      expect(count).toBeLessThanOrEqual(36);
    }
    // Exponential samples of 100: both tests have power close to 1.
    let power = 0;
    for (let s = 0; s < 50; s++) {
      const x = sample(100, () => -Math.log(rng.uniform()));
      if (andersonDarling(x).pValue < 0.01 && shapiroFrancia(x).pValue < 0.01) power++;
    }
    expect(power).toBeGreaterThanOrEqual(48);
  });

  it("Shapiro–Francia W′ is the squared correlation with Blom's normal scores; both need enough values", () => {
    const x = sample(30, () => rng.normal()).sort((a, b) => a - b);
    const m = x.map((_, i) => qnorm((i + 1 - 3 / 8) / (30 + 1 / 4)));
    const mx = x.reduce((s, v) => s + v, 0) / 30, mm = m.reduce((s, v) => s + v, 0) / 30;
    const r = x.reduce((s, v, i) => s + (v - mx) * (m[i] - mm), 0) / Math.sqrt(x.reduce((s, v) => s + (v - mx) ** 2, 0) * m.reduce((s, v) => s + (v - mm) ** 2, 0));
    expect(shapiroFrancia(x).statistic).toBeCloseTo(r * r, 12);
    expect(Number.isNaN(andersonDarling([1, 2, 3]).pValue)).toBe(true);
  });

  it("ppoints follows R's definition", () => {
    expect(Array.from(ppoints(4))).toEqual([0, 1, 2, 3].map((i) => (i + 1 - 3 / 8) / (4 + 1 - 3 / 4)));
    expect(Array.from(ppoints(20))).toEqual(Array.from({ length: 20 }, (_, i) => (i + 0.5) / 20));
    expect(normalScores(3)[1]).toBe(0);
  });
});

describe("qq on sleepstudy", () => {
  const ds = loadDataset("sleepstudy");
  const m = lmm("Reaction ~ Days + (Days | Subject)", ds.data, { levels: ds.levels });

  it("sorted residuals against normal scores, with ids and quartile line", () => {
    const d = qqResiduals(m, { nsim: 0 });
    expect(d.n).toBe(180);
    expect(d.envelope).toBeNull();
    for (let i = 1; i < d.n; i++) expect(d.sample[i]).toBeGreaterThanOrEqual(d.sample[i - 1]);
    const pearson = m.residuals().map((r) => r / m.sigma);
    // ids are 1-based data rows: the value at each position is that row's residual.
    d.ids.forEach((id, i) => expect(d.sample[i]).toBe(pearson[Number(id) - 1]));
    expect(d.theoretical[0]).toBeCloseTo(qnorm(0.5 / 180), 12);
  });

  it("the envelope is seeded, ordered, and equals one computed from lme4-style refits", () => {
    const a = qq(m, { nsim: 19, seed: 5 });
    const ticks: [number, number][] = [];
    const b = qq(m, { nsim: 19, seed: 5, onProgress: (done, total) => ticks.push([done, total]) });
    const c = qq(m, { nsim: 19, seed: 6 });
    // One progress tick per refit; reporting progress does not change the result.
    expect(ticks).toEqual(Array.from({ length: 19 }, (_, i) => [i + 1, 19]));
    expect(Array.from(a.residuals.envelope!.upper)).toEqual(Array.from(b.residuals.envelope!.upper));
    expect(Array.from(a.residuals.envelope!.upper)).not.toEqual(Array.from(c.residuals.envelope!.upper));
    const env = a.ranef[0].envelope!;
    env.lower.forEach((lo, i) => {
      expect(lo).toBeLessThanOrEqual(env.median[i]);
      expect(env.median[i]).toBeLessThanOrEqual(env.upper[i]);
    });
    // Independent path: simulate with the same seed, refit each with model.refit, sort, take the
    // same type-7 quantiles (R's default) per position.
    const sims = m.simulate(19, { seed: 5 }).map((y) => m.refit(y, { checkConvergence: false }));
    const sorted = sims.map((s) => s.residuals().map((r) => r / s.sigma).sort());
    const q = (v: number[], p: number) => {
      const s = [...v].sort((x, y) => x - y), h = (s.length - 1) * p, lo = Math.floor(h);
      return s[lo] + (h - lo) * (s[Math.min(lo + 1, s.length - 1)] - s[lo]);
    };
    for (const i of [0, 45, 90, 179]) {
      const column = sorted.map((s) => s[i]);
      // Same optimiser path from the same start; only the workspace differs.
      expect(a.residuals.envelope!.upper[i]).toBeCloseTo(q(column, 0.975), 6);
      expect(a.residuals.envelope!.lower[i]).toBeCloseTo(q(column, 0.025), 6);
    }
  });

  it("one Q-Q per random-effect column; the simulated p-value is a proportion of (nsim + 1)", () => {
    const d = qqRanef(m, { nsim: 19, seed: 2 });
    expect(d.map((x) => x.label)).toEqual(["Subject: (Intercept)", "Subject: Days"]);
    expect(d[0].ids.slice().sort()).toEqual([...ds.levels.Subject].sort());
    for (const x of d) {
      const p = x.normality.andersonDarling.simulatedPValue * 20;
      expect(Math.abs(p - Math.round(p))).toBeLessThan(1e-9);
    }
    expect(() => qq(m, { nsim: -1 })).toThrow(/nsim/);
  });
});
