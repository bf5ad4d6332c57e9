// The projected BFGS optimiser on its own: bounds, curvature, stopping tests and its failure modes.
import { describe, expect, it } from "vitest";
import { quasiNewton } from "../src/optim/index.js";

describe("quasiNewton", () => {
  it("finds an interior minimum of a convex quadratic, stopping on its tests", () => {
    const r = quasiNewton((x, g) => {
      g[0] = 2 * (x[0] - 3) + x[1];
      g[1] = 8 * (x[1] + 1) + x[0];
      return (x[0] - 3) ** 2 + 4 * (x[1] + 1) ** 2 + x[0] * x[1];
    }, [0, 0]);
    expect(r.converged).toBe(true);
    // Stationary point of the quadratic: 2(x₀ − 3) + x₁ = 0, 8(x₁ + 1) + x₀ = 0.
    expect(r.x[0]).toBeCloseTo(56 / 15, 5); // x₁ = 6 − 2x₀ into the second: 56 − 15x₀ = 0
    expect(r.x[1]).toBeCloseTo(-22 / 15, 5);
  });

  it("holds a variable at its bound where the gradient points out of the box", () => {
    const r = quasiNewton((x, g) => {
      g[0] = 2 * (x[0] - 3);
      g[1] = 4 * (x[1] + 1);
      return (x[0] - 3) ** 2 + 2 * (x[1] + 1) ** 2;
    }, [1, 1], { lower: [0, 0] });
    expect(r.converged).toBe(true);
    expect(r.x[1]).toBe(0);
    expect(r.x[0]).toBeCloseTo(3, 6);
  });

  it("reaches the minimum of Rosenbrock's valley", () => {
    const r = quasiNewton((x, g) => {
      g[0] = -2 * (1 - x[0]) - 400 * x[0] * (x[1] - x[0] ** 2);
      g[1] = 200 * (x[1] - x[0] ** 2);
      return (1 - x[0]) ** 2 + 100 * (x[1] - x[0] ** 2) ** 2;
    }, [-1.2, 1], { ftolRel: 0, gtol: 1e-8 });
    expect(r.reason).toBe("gradient");
    expect(r.x[0]).toBeCloseTo(1, 6);
    expect(r.x[1]).toBeCloseTo(1, 6);
  });

  it("reports the evaluation limit, a failed line search and a non-finite start as not converged", () => {
    const rosen = (x: Float64Array, g: Float64Array) => {
      g[0] = -2 * (1 - x[0]) - 400 * x[0] * (x[1] - x[0] ** 2);
      g[1] = 200 * (x[1] - x[0] ** 2);
      return (1 - x[0]) ** 2 + 100 * (x[1] - x[0] ** 2) ** 2;
    };
    const limited = quasiNewton(rosen, [-1.2, 1], { maxEval: 5, ftolRel: 0 });
    expect(limited).toMatchObject({ reason: "maxEval", converged: false });
    expect(limited.evaluations).toBeLessThanOrEqual(5);
    // A gradient that points the wrong way: no step lowers f.
    const wrong = quasiNewton((x, g) => {
      g[0] = -2 * x[0];
      return x[0] ** 2;
    }, [1]);
    expect(wrong).toMatchObject({ reason: "lineSearch", converged: false, x: Float64Array.from([1]) });
    expect(quasiNewton(() => NaN, [1])).toMatchObject({ reason: "nonFinite", converged: false });
  });

  it("never returns a point worse than its start", () => {
    const f = (x: Float64Array, g: Float64Array) => {
      g[0] = Math.cos(x[0]) * 3;
      return Math.sin(x[0]) * 3 + 0.1 * x[0] ** 2;
    };
    const g = new Float64Array(1);
    const start = f(Float64Array.from([0.5]), g);
    expect(quasiNewton(f, [0.5]).f).toBeLessThanOrEqual(start);
  });
});
