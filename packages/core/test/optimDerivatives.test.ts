import { describe, expect, it } from "vitest";
import { InvalidArgumentError } from "../src/errors/LmmError.js";
import { finiteDifferenceDerivatives, finiteDifferenceGradient, finiteDifferenceHessian } from "../src/optim/index.js";

// Central differences are exact for quadratics up to rounding: with |f| ~ 10 and h = 1e-4 the
// rounding error of a difference quotient is ~ 10·ε/h ≈ 2e-11 (gradient) and 10·ε/h² ≈ 2e-7
// (Hessian); tolerances 1e-9 and 1e-5 leave a margin. For cubic terms the truncation error is
// h²·f'''/6 in the gradient and O(h) in a Hessian computed at a shifted centre.

const quad = (x: Float64Array) => 3 * x[0] * x[0] + 2 * x[0] * x[1] - x[1] * x[1] + 4 * x[0] - x[1] + 7;
const quadGrad = (x: number[]) => [6 * x[0] + 2 * x[1] + 4, 2 * x[0] - 2 * x[1] - 1];
const quadHess = [6, 2, 2, -2];

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

describe("finite-difference derivatives", () => {
  it("are exact (to rounding) for a quadratic, with lme4's deriv12 evaluation count", () => {
    const x = [0.7, -1.3];
    const d = finiteDifferenceDerivatives(quad, x);
    expect(maxAbsDiff(d.gradient, quadGrad(x))).toBeLessThan(1e-9);
    expect(maxAbsDiff(d.hessian, quadHess)).toBeLessThan(1e-5);
    expect(d.evaluations).toBe(1 + 2 * 2 * 2);
    expect(finiteDifferenceDerivatives(quad, x, { fx: quad(Float64Array.from(x)) }).evaluations).toBe(8);
    expect(maxAbsDiff(finiteDifferenceGradient(quad, x), quadGrad(x))).toBeLessThan(1e-9);
    expect(maxAbsDiff(finiteDifferenceHessian(quad, x), quadHess)).toBeLessThan(1e-5);
  });

  it("have the second-order truncation error of central differences on a smooth function", () => {
    const f = (x: Float64Array) => Math.exp(x[0]) * Math.sin(x[1]) + x[0] ** 3;
    const x = [0.4, 1.1];
    const g = [Math.exp(0.4) * Math.sin(1.1) + 3 * 0.16, Math.exp(0.4) * Math.cos(1.1)];
    const hess = [Math.exp(0.4) * Math.sin(1.1) + 6 * 0.4, Math.exp(0.4) * Math.cos(1.1), Math.exp(0.4) * Math.cos(1.1), -Math.exp(0.4) * Math.sin(1.1)];
    // |f'''| ≤ ~8 here: gradient error ≤ h²·8/6 ≈ 1.3e-8; Hessian error O(h²) ≈ 1e-8 plus rounding 2e-8.
    const d = finiteDifferenceDerivatives(f, x);
    expect(maxAbsDiff(d.gradient, g)).toBeLessThan(5e-8);
    expect(maxAbsDiff(d.hessian, hess)).toBeLessThan(1e-6);
  });

  it("never evaluate outside the bounds, and stay accurate for a quadratic with x on a bound", () => {
    const lower = [0, -Infinity];
    const upper = [Infinity, 0.5];
    const guarded = (x: Float64Array) => {
      if (x[0] < lower[0] || x[1] > upper[1]) throw new Error(`outside the box: ${Array.from(x)}`);
      return quad(x);
    };
    for (const x of [[0, 0.5], [0.00003, 0.49999], [2, 0.5]]) {
      const d = finiteDifferenceDerivatives(guarded, x, { lower, upper });
      // The stencil is moved into the box; for a quadratic g(c) + H(x − c) is exact.
      expect(maxAbsDiff(d.gradient, quadGrad(x))).toBeLessThan(1e-9);
      expect(maxAbsDiff(d.hessian, quadHess)).toBeLessThan(1e-5);
      // The one-sided 3-point formula is exact for quadratics too.
      expect(maxAbsDiff(finiteDifferenceGradient(guarded, x, { lower, upper }), quadGrad(x))).toBeLessThan(1e-9);
    }
  });

  it("shrink the step for a box narrower than two steps", () => {
    const d = finiteDifferenceDerivatives(quad, [0.1, 0], { lower: [0.09995, -1], upper: [0.10005, 1] });
    expect(maxAbsDiff(d.gradient, quadGrad([0.1, 0]))).toBeLessThan(1e-6);
  });

  it("take per-variable steps", () => {
    const f = (x: Float64Array) => 1e6 * x[0] * x[0] + 1e-6 * x[1] * x[1];
    const g = finiteDifferenceGradient(f, [1e-3, 1e3], { step: [1e-7, 1] });
    expect(maxAbsDiff(g, [2e3, 2e-3])).toBeLessThan(1e-8);
  });

  it("reject bad input with InvalidArgumentError", () => {
    const cases: [number[], object, string][] = [
      [[NaN], {}, "x[0]"],
      [[1], { step: 0 }, "step"],
      [[1, 2], { step: [1e-4] }, "step"],
      [[1, 2], { step: [1e-4, -1] }, "step[1]"],
      [[-1], { lower: [0] }, "x[0]"],
      [[1], { lower: [1], upper: [1] }, "upper[0]"],
      [[1], { upper: [2, 3] }, "upper"],
    ];
    for (const [x, options, argument] of cases) {
      for (const fn of [finiteDifferenceDerivatives, finiteDifferenceGradient, finiteDifferenceHessian]) {
        let error: unknown;
        try {
          fn(quad, x, options);
        } catch (e) {
          error = e;
        }
        expect(error).toBeInstanceOf(InvalidArgumentError);
        expect((error as InvalidArgumentError).argument).toBe(argument);
      }
    }
  });
});
