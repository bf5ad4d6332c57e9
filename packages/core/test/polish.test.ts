// The Newton polish after BOBYQA (engine/polish.ts) on functions whose minima are known in closed form.
import { describe, expect, it } from "vitest";
import { checkConvergence } from "../src/engine/convergence.js";
import { isStationary, polishTheta } from "../src/engine/polish.js";

function polish(f: (x: Float64Array) => number, x0: number[], lower: number[]) {
  const fx = f(Float64Array.from(x0));
  return polishTheta(f, x0, lower, fx, checkConvergence(f, x0, lower, fx));
}

describe("polishTheta", () => {
  it("leaves a saddle on a bound: f even in x₁ with a maximum at x₁ = 0", () => {
    // (x₀ − 1)² + (x₁² − 0.25)²: at x₁ = 0 the gradient vanishes but the curvature is −1; minimum x₁ = 0.5.
    const f = (x: Float64Array) => (x[0] - 1) ** 2 + (x[1] ** 2 - 0.25) ** 2;
    const x0 = [0.9, 0];
    const fx = f(Float64Array.from(x0));
    expect(isStationary(checkConvergence(f, x0, [-Infinity, 0], fx), x0, [-Infinity, 0])).toBe(false);
    const r = polish(f, x0, [-Infinity, 0]);
    expect(r.stationary).toBe(true);
    expect(r.steps).toBeGreaterThan(0);
    // It stops once lme4's check passes (scaled gradient below 0.002), not at the exact minimum.
    expect(r.check.maxScaledGradient).toBeLessThan(2e-3);
    expect(r.theta[0]).toBeCloseTo(1, 3);
    expect(r.theta[1]).toBeCloseTo(0.5, 3);
    expect(r.objective).toBeLessThan(1e-6);
  });

  it("finishes a flat valley where the gradient check fails, accepting only decreasing steps", () => {
    // A narrow quadratic valley: BOBYQA-like stop a little off the minimum at (2, 3).
    const f = (x: Float64Array) => 1e4 * (x[0] - 2 + 0.5 * (x[1] - 3)) ** 2 + 0.01 * (x[1] - 3) ** 2;
    const r = polish(f, [2.01, 2.9], [0, -Infinity]);
    expect(r.stationary).toBe(true);
    expect(r.theta[0]).toBeCloseTo(2, 5);
    expect(r.theta[1]).toBeCloseTo(3, 4);
  });

  it("stops at a minimum on the bound without moving off it", () => {
    const f = (x: Float64Array) => (x[0] + 1) ** 2 + (x[1] - 1) ** 2;
    const r = polish(f, [0, 1.2], [0, 0]);
    expect(r.theta[0]).toBe(0);
    expect(r.theta[1]).toBeCloseTo(1, 8);
    expect(r.stationary).toBe(true);
  });

  it("returns the input untouched where no step lowers the criterion", () => {
    // A kink at the minimum: differences see a gradient, but every trial is higher.
    const f = (x: Float64Array) => Math.abs(x[0] - 1) + Math.abs(x[1] - 1) * 3;
    const r = polish(f, [1, 1], [-Infinity, -Infinity]);
    expect(Array.from(r.theta)).toEqual([1, 1]);
    expect(r.objective).toBe(0);
    expect(r.steps).toBe(0);
  });
});
