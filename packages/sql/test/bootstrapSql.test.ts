import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bootstrapSync, confint, lmm } from "@lmm/core";
import { bootstrapSimulator, drawCellSums, type CellLaw } from "@lmm/core/aggregate";
import { chiSquareDraw, Rng } from "@lmm/core/numerics";
import { bootstrapSql, confintSql, fitSql } from "../src/index.js";
import type { DuckdbEngine } from "../src/duckdb/index.js";
import { cellTable, columns, engineWith } from "./tables.js";

// The bootstrap from sums draws each cell's Σ m·y* and Σ y*² from their exact law (docs/sql.md).
// (a) The law: many draws at fixed parameters, their sample moments against the exact ones, with
//     bounds of 5 standard errors of the estimate (estimated from the draws themselves).
// (b) The bootstrap: the replicates from sums and those of the in-memory bootstrap of the same rows
//     (different draws) agree in distribution: per parameter, means within 4 standard errors of the
//     difference, log sds within 4 × √(1/n) (each log sd has s.e. ≈ 1/√(2n)), the percentile
//     interval's ends within 4 × the s.e. of the difference of two 2.5 % quantiles (≈ 0.27 sd at n = 200).
let engine: DuckdbEngine;
const data = cellTable(1500, 19);
// Prior weights and an offset (the sums are Σ w·a·b of y − offset): the same law with M weighted.
{
  const rng = new Rng(23);
  data.w = data.y.map(() => 0.5 + 2 * rng.uniform());
  data.o = data.y.map(() => rng.normal());
}
beforeAll(async () => (engine = await engineWith({ cells: data })));
afterAll(() => engine.close());

const mean = (v: ArrayLike<number>) => Array.from(v).reduce((s, x) => s + x, 0) / v.length;
const cov = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  const ma = mean(a), mb = mean(b);
  let s = 0;
  for (let i = 0; i < a.length; i++) s += (a[i] - ma) * (b[i] - mb);
  return s / (a.length - 1);
};
/** Standard error of the sample covariance of a and b, from the draws: sd of (a − ā)(b − b̄) over √N. */
const covSe = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  const ma = mean(a), mb = mean(b);
  const prod = Array.from(a, (x, i) => (x - ma) * (b[i] - mb));
  return Math.sqrt(cov(prod, prod) / a.length);
};

describe("the law of a cell's simulated sums", () => {
  it("χ² draws: mean k and variance 2k, from k = 1 (shape below 1) to a million rows", () => {
    const rng = new Rng(11), N = 20000;
    for (const k of [1, 2, 7, 1e6]) {
      const v = Float64Array.from({ length: N }, () => chiSquareDraw(rng, k));
      expect(Math.abs(mean(v) - k), `k = ${k}`).toBeLessThan(5 * Math.sqrt((2 * k) / N));
      expect(Math.abs(cov(v, v) - 2 * k), `k = ${k}`).toBeLessThan(5 * covSe(v, v));
    }
    expect(chiSquareDraw(rng, 0)).toBe(0);
  });

  it("Σ m·y* and Σ y*² of one cell: exact mean, covariance and variance (σ, M and the χ² term)", async () => {
    const fit = await fitSql(engine, { table: "cells" }, "y ~ x + f + (x | patient)");
    const { laws, d } = bootstrapSimulator(fit);
    const law = laws[0];
    expect(law.rows).toBeGreaterThan(law.rank);
    // γ: the fixed effects on their product columns (the cell's b* set to 0 here; it only shifts
    // γ), and γ = 0, where Σ y*² is σ² times a χ²(n) alone (its df and σ measured sharply).
    const fixed = new Float64Array(d);
    fixed.set(fit.estimates.beta.slice(0, d));
    for (const gamma of [fixed, new Float64Array(d)]) checkCellLaw(law, gamma, fit.sigma, d);
  });

  it("a whole replicate of a random-intercept model: Σ y* and Σ y*² with b* ~ N(0, σ²θ²)", async () => {
    const fit = await fitSql(engine, { table: "cells" }, "y ~ x + (1 | patient)");
    const sim = bootstrapSimulator(fit);
    const [theta] = fit.theta, sigma = fit.sigma, s2 = sigma * sigma, n = fit.nobs;
    // Rows per patient, and Σ μ and Σ μ² of the fixed part μ = β₀ + β₁x from the sums.
    const N = 4000;
    const totalY = new Float64Array(N), totalYY = new Float64Array(N);
    let mu = 0, mu2 = 0;
    const perLevel = new Map<number, number>();
    for (let k = 0; k < N; k++) {
      const sums = sim.draw(Rng.stream(9, k));
      const [one, x] = sim.layout.xyColumns, yCol = sim.layout.xyColumns[2];
      totalY[k] = sums.product(one, yCol).reduce((s, v) => s + v, 0);
      totalYY[k] = sums.product(yCol, yCol).reduce((s, v) => s + v, 0);
      if (k === 0) {
        const [b0, b1] = fit.estimates.beta;
        const c11 = sums.product(one, one), c1x = sums.product(one, x), cxx = sums.product(x, x);
        for (let c = 0; c < sums.cells; c++) {
          mu += b0 * c11[c] + b1 * c1x[c];
          mu2 += b0 * b0 * c11[c] + 2 * b0 * b1 * c1x[c] + b1 * b1 * cxx[c];
          const level = sim.layout.levels[0][c];
          perLevel.set(level, (perLevel.get(level) ?? 0) + c11[c]);
        }
      }
    }
    const sumNl2 = [...perLevel.values()].reduce((s, v) => s + v * v, 0);
    expect(Math.abs(mean(totalY) - mu)).toBeLessThan(5 * Math.sqrt(cov(totalY, totalY) / N));
    // Var Σ y* = σ²(θ² Σ_l n_l² + n): the random intercepts shared by a patient's rows.
    expect(Math.abs(cov(totalY, totalY) - s2 * (theta * theta * sumNl2 + n))).toBeLessThan(5 * covSe(totalY, totalY));
    expect(Math.abs(mean(totalYY) - (mu2 + n * s2 * (theta * theta + 1)))).toBeLessThan(5 * Math.sqrt(cov(totalYY, totalYY) / N));
  });
});

describe("bootstrap intervals from SQL sums agree with the in-memory bootstrap of the same rows", () => {
  const cases: [string, string, { weights?: string; offset?: string }][] = [
    ["random intercept", "y ~ x + (1 | patient)", {}],
    ["correlated random slope and a crossed factor", "y ~ x + (x | patient) + (1 | batch)", {}],
    ["prior weights and an offset", "y ~ x + (1 | patient)", { weights: "w", offset: "o" }],
  ];
  for (const [name, formula, options] of cases) {
    it(name, async () => {
      const nsim = 200;
      const mem = lmm(formula, columns(data), options);
      const fit = await fitSql(engine, { table: "cells" }, formula, options);
      const a = bootstrapSql(fit, nsim, { seed: 3 });
      const b = bootstrapSync(mem, nsim, { seed: 3 });
      expect(a.parameters).toEqual(b.parameters);
      expect(a.failures).toBe(0);
      const ia = a.intervals(0.95), ib = b.intervals(0.95);
      for (const [j, parameter] of a.parameters.entries()) {
        const x = a.table[parameter], y = b.table[parameter];
        const vx = cov(x, x), vy = cov(y, y);
        expect(Math.abs(mean(x) - mean(y)), parameter).toBeLessThan(4 * Math.sqrt(vx / nsim + vy / nsim));
        expect(Math.abs(Math.log(vx / vy) / 2), parameter).toBeLessThan(4 * Math.sqrt(1 / nsim));
        const sd = Math.sqrt((vx + vy) / 2);
        const quantileSe = (sd * Math.sqrt((0.025 * 0.975) / nsim)) / 0.05844; // s.e. of a 2.5 % quantile, normal density at 1.96
        expect(Math.abs(ia[j].percentile[0] - ib[j].percentile[0]), parameter).toBeLessThan(4 * Math.SQRT2 * quantileSe);
        expect(Math.abs(ia[j].percentile[1] - ib[j].percentile[1]), parameter).toBeLessThan(4 * Math.SQRT2 * quantileSe);
      }
      // confintSql's boot intervals: confint(model, { method: "boot" })'s shape, the bootstrap's percentile intervals.
      const ci = confintSql(fit, { method: "boot", nsim: 20, seed: 3 });
      expect(ci.map((r) => r.parameter)).toEqual(confint(mem, { method: "boot", nsim: 20, seed: 3 }).map((r) => r.parameter));
      expect(ci).toEqual(bootstrapSql(fit, 20, { seed: 3 }).intervals(0.95).map((r) => ({ parameter: r.parameter, lower: r.percentile[0], upper: r.percentile[1] })));
    }, 120_000);
  }
});

/** Draws a cell's sums 20,000 times and compares their moments with the exact ones. */
function checkCellLaw(law: CellLaw, gamma: Float64Array, sigma: number, d: number): void {
  const N = 20000, rng = new Rng(5);
  const my = Array.from({ length: d }, () => new Float64Array(N)), yy = new Float64Array(N);
  const out = new Float64Array(d);
  for (let k = 0; k < N; k++) {
    yy[k] = drawCellSums(law, gamma, sigma, rng, out);
    for (let a = 0; a < d; a++) my[a][k] = out[a];
  }
  const M = (i: number, j: number) => law.M[i * d + j];
  const Mg = Array.from({ length: d }, (_, i) => gamma.reduce((s, g, j) => s + M(i, j) * g, 0));
  const gMg = Mg.reduce((s, v, i) => s + v * gamma[i], 0);
  const s2 = sigma * sigma;
  for (let i = 0; i < d; i++) {
    expect(Math.abs(mean(my[i]) - Mg[i])).toBeLessThan(5 * Math.sqrt(cov(my[i], my[i]) / N));
    for (let j = 0; j <= i; j++) expect(Math.abs(cov(my[i], my[j]) - s2 * M(i, j))).toBeLessThan(5 * covSe(my[i], my[j]));
    // Cov(Σ m y*, Σ y*²) = 2σ²Mγ (third moments of e vanish).
    expect(Math.abs(cov(my[i], yy) - 2 * s2 * Mg[i])).toBeLessThan(5 * covSe(my[i], yy));
  }
  // E Σ y*² = γ'Mγ + nσ² and Var = 4σ²γ'Mγ + 2nσ⁴: a missing χ² term moves the mean by (n − r)σ².
  expect(Math.abs(mean(yy) - (gMg + law.rows * s2))).toBeLessThan(5 * Math.sqrt(cov(yy, yy) / N));
  expect(Math.abs(cov(yy, yy) - (4 * s2 * gMg + 2 * law.rows * s2 * s2))).toBeLessThan(5 * covSe(yy, yy));
}
