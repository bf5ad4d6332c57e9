import { describe, expect, it } from "vitest";
import { AbortedError, InvalidArgumentError } from "../src/errors/LmmError.js";
import { bobyqa, type OptimResult } from "../src/optim/index.js";
import { Rng } from "../src/numerics/Rng.js";

// Synthetic problems with known minimisers. Tolerances: BOBYQA's default final trust radius is
// rhoEnd = 1e-7 · max(1, |x0|∞) and Powell states the result is typically within 10·rhoEnd of a
// local minimum; so 1e-6 (or 1e-5 where |x0| is larger) is the accuracy to require.

const rosenbrock = (x: Float64Array): number => {
  let s = 0;
  for (let i = 0; i + 1 < x.length; i++) s += 100 * (x[i + 1] - x[i] * x[i]) ** 2 + (1 - x[i]) ** 2;
  return s;
};

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

/** Solves A x = b (small dense, Gaussian elimination with partial pivoting). */
function solve(a: number[][], b: number[]): number[] {
  const n = b.length;
  const m = a.map((row, i) => [...row, b[i]]);
  for (let c = 0; c < n; c++) {
    let p = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(m[r][c]) > Math.abs(m[p][c])) p = r;
    [m[c], m[p]] = [m[p], m[c]];
    for (let r = c + 1; r < n; r++) {
      const t = m[r][c] / m[c][c];
      for (let k = c; k <= n; k++) m[r][k] -= t * m[c][k];
    }
  }
  const x = new Array<number>(n).fill(0);
  for (let r = n - 1; r >= 0; r--) {
    let s = m[r][n];
    for (let k = r + 1; k < n; k++) s -= m[r][k] * x[k];
    x[r] = s / m[r][r];
  }
  return x;
}

/** ½ xᵀAx − bᵀx as an objective. */
function quadratic(a: number[][], b: number[]): (x: Float64Array) => number {
  return (x) => {
    let s = 0;
    for (let i = 0; i < b.length; i++) {
      let ax = 0;
      for (let j = 0; j < b.length; j++) ax += a[i][j] * x[j];
      s += 0.5 * x[i] * ax - b[i] * x[i];
    }
    return s;
  };
}

describe("bobyqa: unconstrained smooth problems", () => {
  it("minimises Rosenbrock's function in 2 dimensions from the classical start", () => {
    const r = bobyqa(rosenbrock, [-1.2, 1]);
    expect(r.converged).toBe(true);
    expect(r.reason).toBe("rhoEnd");
    expect(maxAbsDiff(r.x, [1, 1])).toBeLessThan(1e-6);
    expect(r.f).toBeLessThan(1e-12);
    // Powell-class efficiency: NLopt's BOBYQA needs about 200 evaluations here; Nelder–Mead needs several hundred.
    expect(r.evaluations).toBeLessThan(300);
  });

  it("minimises Rosenbrock's function in 5 and 10 dimensions", () => {
    for (const n of [5, 10]) {
      const r = bobyqa(rosenbrock, new Array(n).fill(0.5));
      expect(r.converged).toBe(true);
      expect(maxAbsDiff(r.x, new Array(n).fill(1))).toBeLessThan(1e-5);
    }
  });

  it("finds the analytic minimiser A⁻¹b of a convex quadratic, in far fewer than 200 evaluations", () => {
    const a = [
      [4, 1, 0.5],
      [1, 3, -0.4],
      [0.5, -0.4, 2],
    ];
    const b = [1, -2, 0.5];
    const xStar = solve(a, b);
    const r = bobyqa(quadratic(a, b), [0, 0, 0]);
    expect(r.converged).toBe(true);
    expect(maxAbsDiff(r.x, xStar)).toBeLessThan(1e-6);
    // 2n+1 = 7 initial points, then roughly one evaluation per model improvement: ~40 in practice.
    expect(r.evaluations).toBeLessThan(60);
  });

  it("keeps the evaluation count modest up to 20 variables", () => {
    const n = 20;
    const a = Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => (i === j ? 2 + i / 4 : Math.abs(i - j) === 1 ? 0.5 : 0)));
    const b = Array.from({ length: n }, (_, i) => Math.sin(i + 1));
    const r = bobyqa(quadratic(a, b), new Array(n).fill(0));
    expect(maxAbsDiff(r.x, solve(a, b))).toBeLessThan(1e-6);
    // A full quadratic has 231 coefficients; BOBYQA needs fewer evaluations than that.
    expect(r.evaluations).toBeLessThan(231);
  });
});

describe("bobyqa: bounds", () => {
  it("lands exactly on active bounds when the unconstrained minimiser lies outside the box", () => {
    const c = [-1, 2, 0.3, 5];
    const f = (x: Float64Array) => x.reduce((s, v, i) => s + (i + 1) * (v - c[i]) ** 2, 0);
    const r = bobyqa(f, [0.5, 0.5, 0.5, 0.5], { lower: [0, 0, 0, -Infinity], upper: [1, 1, 1, 4] });
    expect(r.x[0]).toBe(0);
    expect(r.x[1]).toBe(1);
    expect(r.x[3]).toBe(4);
    expect(Math.abs(r.x[2] - 0.3)).toBeLessThan(1e-6);
  });

  it("solves a non-separable quadratic whose KKT point has active bounds", () => {
    // Build b so that x* satisfies KKT: A x* − b = μ with μ > 0 on the active set {0, 2}.
    const a = [
      [3, 1, 0.5, 0],
      [1, 4, 1, 0.5],
      [0.5, 1, 2, 0.3],
      [0, 0.5, 0.3, 3],
    ];
    const xStar = [0, 1.5, 0, 2];
    const mu = [0.7, 0, 1.1, 0];
    const b = a.map((row, i) => row.reduce((s, v, j) => s + v * xStar[j], 0) - mu[i]);
    const r = bobyqa(quadratic(a, b), [1, 1, 1, 1], { lower: [0, 0, 0, 0] });
    expect(r.converged).toBe(true);
    expect(r.x[0]).toBe(0);
    expect(r.x[2]).toBe(0);
    expect(maxAbsDiff(r.x, xStar)).toBeLessThan(1e-6);
  });

  it("handles one infinite bound per variable (lower only, upper only)", () => {
    const f = (x: Float64Array) => (x[0] + 1) ** 2 + (x[1] - 3) ** 2 + 0.5 * x[0] * x[1];
    // x0 ≥ 0 active at 0; then x1 minimises (x1 − 3)², but x1 ≤ 2 is active too.
    const r = bobyqa(f, [1, 0], { lower: [0, -Infinity], upper: [Infinity, 2] });
    expect(r.x[0]).toBe(0);
    expect(r.x[1]).toBe(2);
    // Only the lower bound of x0 active: x1 free at 3.
    const r2 = bobyqa(f, [1, 0], { lower: [0, -Infinity] });
    expect(r2.x[0]).toBe(0);
    expect(Math.abs(r2.x[1] - 3)).toBeLessThan(1e-6);
  });

  it("starts from a point on the bound (θ = 0) and moves into the interior when that is better", () => {
    const f = (x: Float64Array) => (x[0] - 0.8) ** 2 + (x[1] - 0.3) ** 2 + 0.2 * x[0] * x[1];
    const seen: number[][] = [];
    const r = bobyqa(f, [0, 0], { lower: [0, 0], onEvaluation: (x) => seen.push(Array.from(x)) });
    expect(seen[0]).toEqual([0, 0]);
    for (const p of seen) expect(Math.min(...p)).toBeGreaterThanOrEqual(0);
    const xStar = solve([[2, 0.2], [0.2, 2]], [1.6, 0.6]);
    expect(maxAbsDiff(r.x, xStar)).toBeLessThan(1e-6);
  });

  it("never evaluates outside the box, and returns exactly 0 for a boundary (singular-fit-like) optimum", () => {
    const f = (x: Float64Array) => {
      if (x[0] < 0 || x[1] < 0 || x[1] > 3) throw new Error("outside the box");
      return Math.log1p(x[0] * x[0]) + (x[1] - 1) ** 2 + x[0];
    };
    const r = bobyqa(f, [1, 1], { lower: [0, 0], upper: [Infinity, 3] });
    expect(r.x[0]).toBe(0);
    expect(Math.abs(r.x[1] - 1)).toBeLessThan(1e-6);
  });

  it("clamps a start outside the box and holds variables with lower = upper fixed", () => {
    const seen: number[][] = [];
    const f = (x: Float64Array) => (x[0] - 2) ** 2 + (x[1] - 1) ** 2 + (x[2] + 1) ** 2;
    const r = bobyqa(f, [5, 7, -3], { lower: [0, 0.5, -Infinity], upper: [1, 0.5, Infinity], onEvaluation: (x) => seen.push(Array.from(x)) });
    expect(seen[0]).toEqual([1, 0.5, -3]);
    for (const p of seen) expect(p[1]).toBe(0.5);
    expect(r.x[0]).toBe(1);
    expect(r.x[1]).toBe(0.5);
    expect(Math.abs(r.x[2] + 1)).toBeLessThan(1e-6);
  });

  it("with every variable fixed, evaluates once", () => {
    const r = bobyqa((x) => x[0] + x[1], [1, 2], { lower: [1, 2], upper: [1, 2] });
    expect(r).toMatchObject({ f: 3, evaluations: 1, converged: true, reason: "noFreeVariables" });
  });
});

describe("bobyqa: badly scaled problems", () => {
  // Curvatures spread over 1e-4 … 1e4 with random coupling and lower bounds, solved to
  // rhoEnd = 1e-12. These two seeds drive Powell's RESCUE (rebuilding the interpolation system
  // after rounding damage) at least once each.
  it.each([112, 149])("seed %i: ends at a first-order (KKT) point", (seed) => {
    const rng = new Rng(seed);
    const n = 8;
    const a = Array.from({ length: n }, () => 10 ** (rng.uniform() * 8 - 4));
    const c = Array.from({ length: n }, () => rng.uniform() * 4 - 2);
    const b = Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => (j > i ? (rng.uniform() - 0.5) * Math.sqrt(a[i] * a[j]) : 0)));
    const lower = Array.from({ length: n }, () => (rng.uniform() < 0.5 ? -Infinity : Math.round(rng.uniform() * 20 - 10) / 10));
    const f = (x: Float64Array) => {
      let s = 0;
      for (let i = 0; i < n; i++) {
        const t = x[i] - c[i];
        s += a[i] * t * t;
        for (let j = i + 1; j < n; j++) s += b[i][j] * t * (x[j] - c[j]);
      }
      return s;
    };
    const r = bobyqa(f, lower.map((l) => (Number.isFinite(l) ? l + 0.5 : 0)), { lower, rhoEnd: 1e-12 });
    expect(r.converged).toBe(true);
    const t = Array.from(r.x, (v, i) => v - c[i]);
    for (let i = 0; i < n; i++) {
      let g = 2 * a[i] * t[i];
      for (let j = 0; j < n; j++) if (j !== i) g += (j > i ? b[i][j] : b[j][i]) * t[j];
      const residual = r.x[i] === lower[i] ? Math.min(g, 0) : g; // at the bound only g < 0 violates KKT
      // Initial gradients are of order aᵢ (up to 1e4); rounding errors in f (~1e-13 here) blur the
      // minimiser of such ill-conditioned problems, so require a residual below 1e-4·√aᵢ.
      expect(Math.abs(residual)).toBeLessThan(1e-4 * Math.sqrt(a[i]));
    }
  });
});

describe("bobyqa: one variable", () => {
  // n = 1 runs Powell's algorithm with npt = 3, the full quadratic model in one dimension.
  it("finds interior minima, with and without bounds", () => {
    const r = bobyqa((x) => (x[0] - 3) ** 2, [1], { lower: [0] });
    expect(Math.abs(r.x[0] - 3)).toBeLessThan(1e-6);
    const r2 = bobyqa((x) => Math.cosh(x[0] - 0.3) + 0.1 * x[0] ** 3, [1], { lower: [0] });
    // d/dx: sinh(x − 0.3) + 0.3x² = 0, checked through the derivative at the result.
    expect(Math.abs(Math.sinh(r2.x[0] - 0.3) + 0.3 * r2.x[0] ** 2)).toBeLessThan(1e-6);
    const r3 = bobyqa((x) => x[0] ** 4 - x[0], [-0.9], { lower: [-1], upper: [1] });
    expect(Math.abs(r3.x[0] - Math.cbrt(0.25))).toBeLessThan(1e-6);
    const r4 = bobyqa((x) => Math.exp(x[0]) - 2 * x[0], [10]);
    expect(Math.abs(r4.x[0] - Math.LN2)).toBeLessThan(1e-5); // |x0| = 10 scales rhoEnd to 1e-6
  });

  it("stops exactly on the bound when the minimum is there, in few evaluations", () => {
    const r = bobyqa((x) => (x[0] + 1) ** 2, [1], { lower: [0] });
    expect(r.x[0]).toBe(0);
    expect(r.f).toBe(1);
    expect(r.evaluations).toBeLessThan(40);
  });
});

describe("bobyqa: non-finite objective values", () => {
  it("steps back from a region where the objective is NaN or Infinity", () => {
    let bad = 0;
    const f = (x: Float64Array) => {
      if (x[0] + x[1] > 3.5) {
        bad++;
        return NaN;
      }
      if (x[0] < -1) {
        bad++;
        return Infinity;
      }
      return (x[0] - 1) ** 2 + (x[1] - 2) ** 2 + 0.3 * x[0] * x[1];
    };
    const r = bobyqa(f, [2, 2], { rhoBeg: 1 });
    expect(bad).toBeGreaterThan(0); // the start itself is in the NaN region
    expect(Number.isFinite(r.f)).toBe(true);
    expect(r.converged).toBe(true);
    expect(maxAbsDiff(r.x, solve([[2, 0.3], [0.3, 2]], [2, 4]))).toBeLessThan(1e-6);
  });

  it("reports, without throwing, an objective that is never finite", () => {
    const r = bobyqa(() => NaN, [1, 2]);
    expect(r.reason).toBe("nonFinite");
    expect(r.converged).toBe(false);
    expect(Array.from(r.x)).toEqual([1, 2]);
    expect(r.evaluations).toBe(5);
  });
});

describe("bobyqa: control", () => {
  it("is deterministic: the same call twice gives bit-identical results and evaluation logs", () => {
    const run = (): [OptimResult, number[]] => {
      const log: number[] = [];
      const r = bobyqa(rosenbrock, [-1.2, 1, 0.5], { lower: [-2, -Infinity, 0], onEvaluation: (x, f) => log.push(...x, f) });
      return [r, log];
    };
    const [a, la] = run();
    const [b, lb] = run();
    expect(Array.from(b.x)).toEqual(Array.from(a.x));
    expect(b.f).toBe(a.f);
    expect(b.evaluations).toBe(a.evaluations);
    expect(lb).toEqual(la);
  });

  it("is not disturbed by an objective that scribbles over its argument", () => {
    const clean = bobyqa(rosenbrock, [-1.2, 1]);
    const dirty = bobyqa((x) => {
      const v = rosenbrock(x);
      x.fill(NaN);
      return v;
    }, [-1.2, 1]);
    expect(Array.from(dirty.x)).toEqual(Array.from(clean.x));
    expect(dirty.evaluations).toBe(clean.evaluations);
  });

  it("respects maxEval exactly and reports it", () => {
    for (const maxEval of [1, 3, 5, 6, 20]) {
      let calls = 0;
      const r = bobyqa((x) => (calls++, rosenbrock(x)), [-1.2, 1], { maxEval });
      expect(calls).toBe(maxEval);
      expect(r.evaluations).toBe(maxEval);
      expect(r).toMatchObject({ converged: false, reason: "maxEval" });
      expect(r.f).toBeLessThanOrEqual(rosenbrock(new Float64Array([-1.2, 1])));
    }
  });

  it("stops earlier with NLopt-style ftolAbs and xtolAbs", () => {
    const full = bobyqa(rosenbrock, [-1.2, 1]);
    const ftol = bobyqa(rosenbrock, [-1.2, 1], { ftolAbs: 1e-4 });
    expect(ftol.reason).toBe("ftolAbs");
    expect(ftol.evaluations).toBeLessThan(full.evaluations);
    const a = [
      [2, 0.5],
      [0.5, 1],
    ];
    const f = quadratic(a, [1, 1]);
    const fine = bobyqa(f, [3, -2]);
    const xtol = bobyqa(f, [3, -2], { xtolAbs: 1e-3 });
    expect(xtol.reason).toBe("rhoEnd");
    expect(xtol.evaluations).toBeLessThan(fine.evaluations);
    expect(maxAbsDiff(xtol.x, solve(a, [1, 1]))).toBeLessThan(1e-2); // within 10·xtolAbs
  });

  it("throws AbortedError when the signal fires, before the next evaluation", () => {
    const controller = new AbortController();
    let calls = 0;
    const f = (x: Float64Array) => {
      if (++calls === 10) controller.abort();
      return rosenbrock(x);
    };
    expect(() => bobyqa(f, [-1.2, 1], { signal: controller.signal })).toThrow(AbortedError);
    expect(calls).toBe(10);
    expect(() => bobyqa(rosenbrock, [0, 0], { signal: AbortSignal.abort() })).toThrow(AbortedError);
  });

  it("rejects bad arguments with InvalidArgumentError naming the culprit", () => {
    const f = (x: Float64Array) => x[0] ** 2;
    const bad: [ArrayLike<number>, object, string][] = [
      [[], {}, "x0"],
      [[NaN], {}, "x0[0]"],
      [[1, Infinity], {}, "x0[1]"],
      [[1], { lower: [2], upper: [1] }, "lower[0]"],
      [[1], { lower: [NaN] }, "lower[0]"],
      [[1], { upper: [1, 2] }, "upper.length"],
      [[1], { lower: [Infinity] }, "lower[0]"],
      [[1], { rhoBeg: 0 }, "rhoBeg"],
      [[1], { rhoBeg: 0.1, rhoEnd: 0.2 }, "rhoEnd"],
      [[1], { maxEval: 2.5 }, "maxEval"],
      [[1], { ftolAbs: -1 }, "ftolAbs"],
      [[1, 2], { npt: 7 }, "npt"],
    ];
    for (const [x0, options, argument] of bad) {
      let error: unknown;
      try {
        bobyqa(f, x0, options);
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(InvalidArgumentError);
      expect((error as InvalidArgumentError).argument).toBe(argument);
      expect((error as Error).message).toContain(argument);
    }
  });

  it("accepts other numbers of interpolation points", () => {
    for (const npt of [4, 6]) {
      const r = bobyqa(rosenbrock, [-1.2, 1], { npt });
      expect(maxAbsDiff(r.x, [1, 1])).toBeLessThan(1e-6);
    }
  });
});
