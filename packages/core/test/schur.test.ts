import { describe, expect, it } from "vitest";
import { lmm } from "../src/index.js";
import { Rng } from "../src/numerics/index.js";
import { Fitter } from "../src/engine/Fitter.js";
import { stateOf } from "../src/model/state.js";
import { SchurSystem } from "../src/engine/SchurSystem.js";
import { useSimd } from "../src/engine/linalg/wasm/simdKernels.js";

// The two-block factor the optimiser evaluates must give the blocked factor's criterion, β̂ and
// Var(β̂) at any θ, on every kind of design it can meet: each path (grouped or sparse Schur
// complement; diagonal or full templates after the first factor) and after a response change.

function design(n: number, seed: number, balanced: boolean) {
  const rng = new Rng(seed);
  const a = Array.from({ length: n }, (_, i) => "a" + (balanced ? i % 40 : rng.int(60)));
  const b = Array.from({ length: n }, () => "b" + rng.int(12));
  const g = Array.from({ length: n }, () => "g" + rng.int(5));
  const x = Float64Array.from({ length: n }, () => rng.normal());
  const y = Float64Array.from({ length: n }, (_, i) => 2 + x[i] + rng.normal());
  return { a, b, g, x, y };
}

function compare(formula: string, data: ReturnType<typeof design>, seed: number, mode: "grouped" | "sparse", reml = true) {
  const m = lmm(formula, data, { reml });
  const fitter = new Fitter(stateOf(m).design, m.response, reml);
  expect(new SchurSystem(fitter.system).mode).toBe(mode);
  const rng = new Rng(seed);
  const lower = stateOf(m).design.theta.lower;
  const points = [m.theta, m.theta.map((t, i) => (lower[i] === 0 ? 0 : t))];
  for (let k = 0; k < 4; k++) points.push(m.theta.map((t, i) => (lower[i] === 0 ? Math.abs(t) * (0.3 + 2 * rng.uniform()) + 0.05 : t + 0.5 * rng.normal())));
  const check = () => {
    for (const theta of points) {
      const blocked = fitter.objective(theta);
      const partsB = fitter.parts(), betaB = fitter.beta(), vB = fitter.vcovUnscaled();
      const schur = fitter.evaluate(theta);
      expect(Math.abs(schur - blocked) / Math.abs(blocked)).toBeLessThan(1e-11);
      const parts = fitter.parts();
      expect(Math.abs(parts.pwrss - partsB.pwrss) / partsB.pwrss).toBeLessThan(1e-10);
      expect(Math.abs(parts.logdetX - partsB.logdetX)).toBeLessThan(1e-9);
      fitter.beta().forEach((b, j) => expect(Math.abs(b - betaB[j])).toBeLessThan(1e-9 * (1 + Math.abs(betaB[j]))));
      fitter.vcovUnscaled().forEach((v, j) => expect(Math.abs(v - vB[j])).toBeLessThan(1e-9 * (1 + Math.abs(vB[j]))));
    }
  };
  check();
  const y2 = Float64Array.from(m.response, (v, i) => v * 0.5 + ((i * 7919) % 13));
  fitter.setResponse(y2);
  check();
  // After an evaluation the blocked factor is found again where it was left.
  fitter.objective(m.theta);
  fitter.evaluate(points[2]);
  fitter.factorAt(m.theta);
  expect(fitter.parts().objective).toBe(fitter.objective(m.theta));
}

describe("SchurSystem: the optimiser's factor equals the blocked factor", () => {
  it("scalar terms, balanced first factor: the grouped complement (REML and ML)", () => {
    const d = design(400, 1, true);
    compare("y ~ x + (1|a) + (1|b) + (1|g)", d, 2, "grouped");
    compare("y ~ x + (1|a) + (1|b) + (1|g)", d, 3, "grouped", false);
  });
  it("scalar terms, unbalanced first factor with many groups: the sparse rank update", () => {
    const rng = new Rng(5);
    const n = 3000;
    const d = design(n, 4, false);
    d.a = Array.from({ length: n }, () => "a" + Math.floor(rng.uniform() ** 3 * 900));
    d.b = Array.from({ length: n }, () => "b" + rng.int(400));
    compare("y ~ x + (1|a) + (1|b) + (1|g)", d, 6, "sparse");
  });
  it("a correlated template after the first factor", () => {
    compare("y ~ x + (1|a) + (1 + x|b)", design(500, 7, true), 8, "sparse");
    compare("y ~ x + (1|a) + (1 + x|b) + (x||g)", design(500, 9, false), 10, "sparse");
  });
  it("a correlated template on the first factor", () => {
    compare("y ~ x + (1 + x|a) + (1|b) + (1|g)", design(500, 11, true), 12, "sparse");
  });
});

describe("SchurSystem on a large trailing block (SIMD kernels)", () => {
  it("the SIMD kernels and the JavaScript loops give the blocked factor's criterion", () => {
    // 700 levels of b make T 700 × 700: factored in the kernels' memory after their rank update.
    const rng = new Rng(21);
    const n = 6000;
    const d = design(n, 22, false);
    d.a = Array.from({ length: n }, () => "a" + rng.int(1500));
    d.b = Array.from({ length: n }, () => "b" + rng.int(700));
    const m = lmm("y ~ x + (1|a) + (1|b) + (1|g)", d, { theta: [0.8, 0.6, 0.4] });
    const fitter = new Fitter(stateOf(m).design, m.response, true);
    const schur = new SchurSystem(fitter.system);
    expect(schur.size).toBeGreaterThan(700);
    expect(schur.mode).toBe("sparse");
    const theta = Float64Array.of(0.9, 0.5, 0.3);
    const [js, simd] = [false, true].map((on) => {
      const was = useSimd(on);
      try {
        const value = fitter.evaluate(theta);
        fitter.evaluate(Float64Array.of(1, 1, 1)); // move away, so the next call refactors
        return value;
      } finally {
        useSimd(was);
      }
    });
    const blocked = fitter.objective(theta);
    for (const value of [js, simd]) expect(Math.abs(value - blocked) / Math.abs(blocked)).toBeLessThan(1e-11);
  });
});
