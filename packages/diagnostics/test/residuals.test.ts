// Residuals, fitted values, leverage and observation-level Cook's distance against lme4 1.1-31
// (test/reference/lme4/cases, observations section), plus the leftover-structure check.
import { describe, expect, it } from "vitest";
import { lmm } from "@lmm/core";
import { Rng } from "@lmm/core/numerics";
import { loessCurve, lowess, observationInfluence, residualDiagnostics, residualTrend } from "../src/index.js";
import { olsFit } from "../src/leastSquares/ols.js";
import { loadCase, loadDataset, relClose } from "../../../test/support/reference.js";

const CASES = ["sleepstudy__slope_corr__REML", "sleepstudy__slope_uncorr_split__ML", "penicillin__crossed__REML", "pastes__nested__ML", "dyestuff__intercept__REML"];

function fitCase(id: string) {
  const c = loadCase(id);
  const ds = loadDataset(c.dataset.name);
  return { c, ds, m: lmm(c.model.formula, ds.data, { levels: ds.levels, reml: c.model.REML }) };
}

/** |a − b| ≤ tol · max(|b|, floor) for every stored row, naming the first failure. */
function expectRows(label: string, actual: ArrayLike<number>, rows: number[], expected: number[], tol: number, floor: number) {
  rows.forEach((r, i) => expect(relClose(actual[r], expected[i], tol, floor), `${label} row ${r + 1}: ${actual[r]} vs lme4 ${expected[i]}`).toBe(true));
}

describe("residualDiagnostics against lme4", () => {
  for (const id of CASES) {
    it(`${id}: fitted, marginal fitted, residuals, hat values, studentised, Cook's D`, () => {
      const { c, m } = fitCase(id);
      const obs = c.observations;
      const rows: number[] = obs.row_index.map((r: number) => r - 1);
      const r = residualDiagnostics(m);
      // Tolerances as the core reference tests: fitted 1e-4 relative (θ differs from lme4 by ~1e-4
      // optimiser noise), residuals 1e-3 of the largest residual, hat values 1e-3.
      const scale = Math.max(...obs.residual.map(Math.abs));
      expectRows("fitted", r.fitted, rows, obs.fitted, 1e-4, 1e-8);
      expectRows("fitted (fixed only)", r.fittedMarginal, rows, obs.fitted_fixed_only, 1e-4, 1e-8);
      expectRows("residual", r.residual, rows, obs.residual, 1e-3, scale);
      expectRows("marginal residual", r.residualMarginal, rows, obs.response.map((y: number, i: number) => y - obs.fitted_fixed_only[i]), 1e-3, scale);
      expectRows("hat", r.leverage, rows, obs.hatvalue, 1e-3, 1e-8);
      // lme4's rstudent(): r / (σ √(1 − h)), and cooks.distance(): (r / (1 − h))² h / (σ² p), from lme4's own numbers.
      const sigma = c.sigma, p = c.fixed_effects.length;
      const rstudent = obs.residual.map((e: number, i: number) => e / (sigma * Math.sqrt(1 - obs.hatvalue[i])));
      const cooks = obs.residual.map((e: number, i: number) => ((e / (1 - obs.hatvalue[i])) ** 2 * obs.hatvalue[i]) / (sigma * sigma * p));
      expectRows("studentised", r.studentised, rows, rstudent, 2e-3, Math.max(...rstudent.map(Math.abs)));
      expectRows("pearson", r.pearson, rows, obs.residual.map((e: number) => e / sigma), 2e-3, scale / sigma);
      // Cook's D is quadratic in the residual: twice the residual's tolerance, floored at its largest value.
      const inf = observationInfluence(m);
      expectRows("Cook's D", inf.cooksD, rows, cooks, 4e-3, Math.max(...cooks));
      expect(inf.p).toBe(p);
      expect(Array.from(inf.flagged)).toEqual([...inf.cooksD.keys()].filter((i) => inf.cooksD[i] > 4 / m.nobs));
    });
  }

  it("marginal Pearson residuals divide by √V_ii built from lme4's VarCorr (sleepstudy)", () => {
    const { c, ds, m } = fitCase("sleepstudy__slope_corr__REML");
    const r = residualDiagnostics(m);
    const S = c.varcorr[0].covariance as number[][];
    const days = ds.data.Days as ArrayLike<number>;
    const obs = c.observations;
    obs.row_index.forEach((row: number, i: number) => {
      const t = days[row - 1];
      const v = c.sigma ** 2 + S[0][0] + 2 * t * S[0][1] + t * t * S[1][1];
      const expected = (obs.response[i] - obs.fitted_fixed_only[i]) / Math.sqrt(v);
      // θ and σ agree with lme4 to ~1e-3 relative, V to ~2e-3, its square root to ~1e-3.
      expect(relClose(r.pearsonMarginal[row - 1], expected, 3e-3, 0.05)).toBe(true);
    });
    const t = r.table();
    expect(t.numRows()).toBe(m.nobs);
    expect(t.columnNames()).toContain("scaleLocation");
    expect(r.scaleLocation[5]).toBeCloseTo(Math.sqrt(Math.abs(r.studentised[5])), 12);
  });
});

describe("residualTrend", () => {
  // Seeded data: 30 groups × 8 times, y = 2 + 0.3 t² + u_g + ε. The model y ~ t + (1|g) leaves the
  // curvature in the residuals; y ~ t + I(t²)… is not expressible, so the check is against t itself.
  const rng = new Rng(7);
  const g: string[] = [], t: number[] = [], y: number[] = [], yLinear: number[] = [];
  for (let j = 0; j < 30; j++) {
    const u = rng.normal();
    for (let k = 0; k < 8; k++) {
      const e = rng.normal();
      g.push(`g${j}`); t.push(k);
      y.push(2 + 0.3 * k * k + u + e);
      yLinear.push(2 + 1.5 * k + u + e);
    }
  }
  it("detects curvature against a covariate the model treats as linear", () => {
    const m = lmm("y ~ t + (1 | g)", { y, t, g });
    const trend = residualTrend(m, "t");
    expect(trend.kind).toBe("numeric");
    expect(trend.curvature!.pValue).toBeLessThan(1e-6);
    expect(trend.detected).toBe(true);
    // The smoother is U-shaped: higher at both ends than in the middle.
    const s = trend.smooth!.y;
    expect(s[0]).toBeGreaterThan(s[Math.floor(s.length / 2)]);
    expect(s[s.length - 1]).toBeGreaterThan(s[Math.floor(s.length / 2)]);
  });

  it("finds nothing when the model is right, and tests categories by ANOVA", () => {
    const m = lmm("y ~ t + (1 | g)", { y: yLinear, t, g });
    expect(residualTrend(m, "t").detected).toBe(false);
    expect(residualTrend(m, "fitted").overall.pValue).toBeGreaterThan(0.01);
    const bySide = residualTrend(m, "side", { data: { y: yLinear, t, g, side: t.map((k) => (k < 4 ? "early" : "late")) } });
    expect(bySide.kind).toBe("categorical");
    expect(bySide.groups!.map((x) => x.level)).toEqual(["early", "late"]);
    expect(bySide.overall.df1).toBe(1);
  });

  it("slope equals the least-squares slope of residual on x", () => {
    const m = lmm("y ~ t + (1 | g)", { y, t, g });
    const r = residualDiagnostics(m);
    const trend = residualTrend(m, "fitted");
    const n = r.fitted.length;
    const mx = r.fitted.reduce((s, v) => s + v, 0) / n, my = r.pearson.reduce((s, v) => s + v, 0) / n;
    let sxy = 0, sxx = 0;
    for (let i = 0; i < n; i++) {
      sxy += (r.fitted[i] - mx) * (r.pearson[i] - my);
      sxx += (r.fitted[i] - mx) ** 2;
    }
    expect(trend.slope!.estimate).toBeCloseTo(sxy / sxx, 10);
  });

  it("names an unknown covariate", () => {
    const m = lmm("y ~ t + (1 | g)", { y, t, g });
    expect(() => residualTrend(m, "tme")).toThrow(/"tme"/);
  });
});

describe("building blocks", () => {
  it("LOESS (local linear) reproduces a straight line exactly", () => {
    const x = Float64Array.from({ length: 40 }, (_, i) => (i * 7) % 40);
    const curve = loessCurve(x, x.map((v) => 3 - 0.5 * v), { points: 9 });
    curve.x.forEach((v, i) => expect(curve.y[i]).toBeCloseTo(3 - 0.5 * v, 10));
  });

  it("OLS matches the normal equations and drops an aliased column", () => {
    const rng = new Rng(3);
    const n = 50;
    const x1 = Float64Array.from({ length: n }, () => rng.normal());
    const X = new Float64Array(4 * n);
    for (let i = 0; i < n; i++) {
      X[i] = 1;
      X[n + i] = x1[i];
      X[2 * n + i] = 2 * x1[i] - 1; // = 2·x1 − intercept: aliased
      X[3 * n + i] = i % 2;
    }
    const y = Float64Array.from({ length: n }, (_, i) => 1 + 2 * x1[i] - (i % 2) + 0.1 * rng.normal());
    const fit = olsFit(X, n, 4, y);
    expect(fit.aliased).toEqual([2]);
    expect(fit.rank).toBe(3);
    // Normal equations on the kept columns (0, 1, 3), solved by Cramer's rule.
    const cols = [0, 1, 3];
    const A = cols.map((a) => cols.map((b) => { let s = 0; for (let i = 0; i < n; i++) s += X[a * n + i] * X[b * n + i]; return s; }));
    const v = cols.map((a) => { let s = 0; for (let i = 0; i < n; i++) s += X[a * n + i] * y[i]; return s; });
    const det = (M: number[][]) => M[0][0] * (M[1][1] * M[2][2] - M[1][2] * M[2][1]) - M[0][1] * (M[1][0] * M[2][2] - M[1][2] * M[2][0]) + M[0][2] * (M[1][0] * M[2][1] - M[1][1] * M[2][0]);
    const d = det(A);
    cols.forEach((j, t) => {
      const M = A.map((row, r) => row.map((val, c) => (c === t ? v[r] : val)));
      expect(fit.coefficients[j]).toBeCloseTo(det(M) / d, 8);
    });
    expect(fit.coefficients[2]).toBe(0);
  });
});

describe("lowess", () => {
  it("reproduces a straight line exactly (local linear fits)", () => {
    const x = Array.from({ length: 40 }, (_, i) => i * 0.5);
    const s = lowess(x, x.map((v) => 3 - 2 * v));
    s.x.forEach((v, i) => expect(s.y[i]).toBeCloseTo(3 - 2 * v, 9));
  });

  it("resists a gross outlier through its robustness iterations", () => {
    const x = Array.from({ length: 50 }, (_, i) => i);
    const y = x.map((v) => v + (v === 25 ? 500 : 0));
    const robust = lowess(x, y);
    const plain = lowess(x, y, { iterations: 0 });
    expect(Math.abs(robust.y[25] - 25)).toBeLessThan(1e-6);
    expect(Math.abs(plain.y[25] - 25)).toBeGreaterThan(10);
  });

  it("returns one value per distinct x and ignores non-finite pairs", () => {
    const s = lowess([1, 1, 2, NaN, 3], [1, 3, 2, 5, Infinity]);
    expect(Array.from(s.x)).toEqual([1, 2]);
  });
});
