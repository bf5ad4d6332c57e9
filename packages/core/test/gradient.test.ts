// The criterion's exact gradient (issue 21): the triangular inverse and the sparse products it is
// built from, each kernel variant against plain JavaScript, then the gradient against central
// differences of the criterion on every path of the two-block system (grouped and sparse Schur
// complement, JavaScript and SIMD factor, REML and ML, prior weights, uncorrelated terms after the
// first factor), and where it does not exist.
import { describe, expect, it } from "vitest";
import { lmm } from "../src/index.js";
import { Rng } from "../src/numerics/index.js";
import { Fitter } from "../src/engine/Fitter.js";
import { stateOf } from "../src/model/state.js";
import { SchurSystem } from "../src/engine/SchurSystem.js";
import { inverseTransposeScalar, inverseTransposeSimd } from "../src/engine/linalg/triangularInverse.js";
import { SimdKernels, useSimd } from "../src/engine/linalg/wasm/simdKernels.js";
import { InvalidArgumentError } from "../src/errors/LmmError.js";

/** A random lower-triangular L with a dominant diagonal (row-major, n × n). */
function lowerTriangle(n: number, seed: number): Float64Array {
  const rng = new Rng(seed);
  const l = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < i; j++) l[i * n + j] = rng.normal() / Math.sqrt(n);
    l[i * n + i] = 1 + rng.uniform();
  }
  return l;
}

describe("Z = L⁻ᵀ", () => {
  it("in JavaScript: L Zᵀ = I", () => {
    for (const n of [1, 7, 60]) {
      const l = lowerTriangle(n, n);
      const { z, at, stride } = inverseTransposeScalar(l, n);
      for (let i = 0; i < n; i++)
        for (let j = 0; j < n; j++) {
          let s = 0;
          for (let k = 0; k < n; k++) s += l[i * n + k] * z[at + j * stride + k];
          expect(Math.abs(s - (i === j ? 1 : 0)), `(LZᵀ)[${i}][${j}]`).toBeLessThan(1e-13);
        }
    }
  });

  for (const fma of [false, true]) {
    it(`by the ${fma ? "relaxed-SIMD multiply-add" : "plain f64x2"} tiles: equal to JavaScript's within rounding, zero left of the diagonal`, () => {
      const k = SimdKernels.create(fma);
      if (!k) return;
      // Whole blocks, a short last block, a single block.
      for (const n of [48, 96, 150, 200, 30]) {
        const l = lowerTriangle(n, 100 + n);
        const ref = inverseTransposeScalar(l, n);
        k.doubles(n * n).set(l);
        const got = inverseTransposeSimd(k, n);
        for (let j = 0; j < n; j++)
          for (let i = 0; i < n; i++) {
            const v = got.z[got.at + j * got.stride + i];
            if (i < j) expect(v).toBe(0);
            else expect(Math.abs(v - ref.z[j * n + i]), `Z[${j}][${i}] (n ${n})`).toBeLessThan(1e-13 * (1 + Math.abs(ref.z[j * n + i])));
          }
      }
    });

    it(`axpy4 (${fma ? "multiply-add" : "plain"}): w[k] += Σ vᵢ·rowᵢ[k] over even and odd ranges, as in JavaScript`, () => {
      const k = SimdKernels.create(fma);
      if (!k) return;
      const rng = new Rng(3);
      const n = 37;
      const m = k.doubles(4 * n + 4 + n);
      for (let i = 0; i < 4 * n; i++) m[i] = rng.normal();
      const valuesAt = 4 * n, wAt = valuesAt + 4;
      for (const [from, to, zeros] of [[0, n, 0], [3, 20, 0], [5, 6, 2], [7, 7, 0], [10, 37, 3]]) {
        const v = Float64Array.from({ length: 4 }, (_, i) => (i >= 4 - zeros ? 0 : rng.normal()));
        m.set(v, valuesAt);
        for (let c = 0; c < n; c++) m[wAt + c] = rng.normal();
        const before = m.slice(wAt, wAt + n);
        k.axpy4(0, n * 8, 2 * n * 8, 3 * n * 8, valuesAt * 8, wAt * 8, from, to);
        for (let c = 0; c < n; c++) {
          let want = before[c];
          if (c >= from && c < to) for (let i = 0; i < 4; i++) want += v[i] * m[i * n + c];
          expect(Math.abs(m[wAt + c] - want), `w[${c}] over [${from}, ${to})`).toBeLessThan(1e-14 * (1 + Math.abs(want)));
        }
      }
    });
  }
});

/** Crossed and nested factors; `big` makes the trailing block large enough for the SIMD factor. */
function data(n: number, seed: number, big: boolean) {
  const rng = new Rng(seed);
  const a = Array.from({ length: n }, () => "a" + rng.int(big ? 300 : 40));
  const b = Array.from({ length: n }, () => "b" + rng.int(big ? 260 : 12));
  const g = Array.from({ length: n }, () => "g" + rng.int(5));
  const x = Float64Array.from({ length: n }, () => rng.normal());
  const w = Float64Array.from({ length: n }, () => 0.5 + rng.uniform());
  const ua = new Map<string, number>(), ub = new Map<string, number>();
  const y = Float64Array.from({ length: n }, (_, i) => {
    if (!ua.has(a[i])) ua.set(a[i], 0.7 * rng.normal());
    if (!ub.has(b[i])) ub.set(b[i], 0.5 * rng.normal());
    return 2 + x[i] + ua.get(a[i])! + ub.get(b[i])! + (x[i] * ub.get(b[i])!) / 2 + rng.normal();
  });
  return { a, b, g, x, w, y };
}

/** The fitter of a model (its design and response), and points around its θ̂. */
function fitterOf(formula: string, d: ReturnType<typeof data>, reml: boolean, weights: boolean) {
  const m = lmm(formula, d, { reml, checkConvergence: false, optimizer: "bobyqa", ...(weights ? { weights: "w" } : {}) });
  const fitter = new Fitter(stateOf(m).design, m.response, reml);
  const rng = new Rng(9);
  const points = [m.theta, ...Array.from({ length: 3 }, () => m.theta.map((t) => Math.abs(t) * (0.4 + 1.5 * rng.uniform()) + 0.05))];
  return { m, fitter, points };
}

/** |exact − central difference| against the rounding of the differences: a dropped term is far outside. */
function expectGradient(fitter: Fitter, theta: Float64Array, label: string) {
  const g = new Float64Array(theta.length);
  const f = fitter.evaluateWithGradient(theta, g);
  for (let i = 0; i < theta.length; i++) {
    const h = 1e-5 * Math.max(theta[i], 0.01);
    const t = Float64Array.from(theta);
    t[i] = theta[i] + h;
    const fp = fitter.evaluate(t);
    t[i] = theta[i] - h;
    const fm = fitter.evaluate(t);
    const fd = (fp - fm) / (2 * h);
    const tol = 1e-5 * (1 + Math.abs(fd)) + (1e-12 * Math.abs(f)) / h;
    expect(Math.abs(g[i] - fd), `${label}: ∂/∂θ${i} exact ${g[i]} vs differences ${fd}`).toBeLessThan(tol);
  }
}

describe("the exact gradient of the profiled criterion", () => {
  const cases: [string, string, boolean, "grouped" | "sparse" | undefined][] = [
    ["crossed", "y ~ x + (1 | a) + (1 | b)", false, "grouped"],
    ["crossed and nested", "y ~ x + (1 | a) + (1 | b) + (1 | g:b)", false, undefined],
    ["an uncorrelated slope after the first factor", "y ~ x + (1 | a) + (x || b)", false, undefined],
    ["crossed, large trailing block (SIMD factor)", "y ~ x + (1 | a) + (1 | b) + (1 | g)", true, undefined],
  ];
  for (const [label, formula, big, mode] of cases) {
    for (const reml of [true, false]) {
      for (const weights of [false, true]) {
        it(`${label}, ${reml ? "REML" : "ML"}${weights ? ", prior weights" : ""}: equals central differences`, () => {
          const d = data(big ? 3000 : 600, big ? 5 : 4, big);
          const { fitter, points } = fitterOf(formula, d, reml, weights);
          expect(fitter.hasGradient()).toBe(true);
          // Prior weights make every level's Z'Z its own: the sparse Schur complement.
          if (mode) expect(new SchurSystem(fitter.system).mode).toBe(weights ? "sparse" : mode);
          if (big) expect(fitter.denseOrder).toBeGreaterThanOrEqual(192);
          for (const theta of points) expectGradient(fitter, theta, label);
        });
      }
    }
  }

  it("with the grouped Schur complement (balanced first factor)", () => {
    const rng = new Rng(12);
    const n = 800;
    const d = { a: Array.from({ length: n }, (_, i) => "a" + (i % 40)), b: Array.from({ length: n }, () => "b" + rng.int(15)), x: Float64Array.from({ length: n }, () => rng.normal()), y: Float64Array.from({ length: n }, () => rng.normal()) };
    const m = lmm("y ~ x + (1 | a) + (1 | b)", d, { checkConvergence: false });
    const fitter = new Fitter(stateOf(m).design, m.response, true);
    expect(new SchurSystem(fitter.system).mode).toBe("grouped");
    for (const theta of [m.theta, Float64Array.from([0.8, 1.3]), Float64Array.from([2.5, 0.2])]) expectGradient(fitter, theta, "grouped");
  });

  it("the same with the SIMD kernels off (the factor and Z in JavaScript)", () => {
    const was = useSimd(false);
    try {
      const { fitter, points } = fitterOf("y ~ x + (1 | a) + (1 | b) + (1 | g)", data(3000, 5, true), true, false);
      for (const theta of points) expectGradient(fitter, theta, "no SIMD");
    } finally {
      useSimd(was);
    }
  });

  it("is 0 where a θ is 0 (the criterion is even in it)", () => {
    const { fitter, m } = fitterOf("y ~ x + (1 | a) + (1 | b)", data(600, 4, false), true, false);
    const g = new Float64Array(2);
    fitter.evaluateWithGradient(Float64Array.from([m.theta[0], 0]), g);
    expect(g[1]).toBe(0);
    expect(g[0]).not.toBe(0);
  });

  it("does not exist for correlated terms or one grouping factor; asking quasi-Newton there is an error", () => {
    const d = data(600, 4, false);
    for (const formula of ["y ~ x + (1 | a)", "y ~ x + (1 | a) + (1 + x | b)", "y ~ x + (1 + x | a) + (1 | b)"]) {
      const m = lmm(formula, d, { checkConvergence: false });
      expect(new Fitter(stateOf(m).design, m.response, true).hasGradient(), formula).toBe(false);
      expect(() => lmm(formula, d, { optimizer: "quasi-newton" }), formula).toThrow(InvalidArgumentError);
    }
    // A dispersion formula: θ and δ are optimised together by BOBYQA.
    expect(() => lmm("y ~ x + (1 | a) + (1 | b)", d, { optimizer: "quasi-newton", dispersion: "~ g" })).toThrow(/no dispersion formula/);
  });
});

describe("fits by quasi-Newton", () => {
  it("reach BOBYQA's optimum on a large crossed design, with fewer evaluations; auto chooses it there", () => {
    const d = data(3000, 5, true);
    for (const reml of [true, false]) {
      const b = lmm("y ~ x + (1 | a) + (1 | b) + (1 | g)", d, { reml, optimizer: "bobyqa" });
      const q = lmm("y ~ x + (1 | a) + (1 | b) + (1 | g)", d, { reml, optimizer: "quasi-newton" });
      const auto = lmm("y ~ x + (1 | a) + (1 | b) + (1 | g)", d, { reml });
      expect(q.optimisation.optimizer).toBe("quasi-newton");
      expect(auto.optimisation.optimizer).toBe("quasi-newton");
      expect(q.objective).toBeLessThanOrEqual(b.objective + 1e-10 * Math.abs(b.objective));
      expect(q.optimisation.evaluations).toBeLessThan(b.optimisation.evaluations);
      q.theta.forEach((t, i) => expect(Math.abs(t - b.theta[i])).toBeLessThan(1e-3 * (1 + b.theta[i])));
    }
  });

  it("auto keeps BOBYQA on small dense blocks (lme4's path, evaluation for evaluation)", () => {
    const m = lmm("y ~ x + (1 | a) + (1 | b)", data(600, 4, false), {});
    expect(m.optimisation.optimizer).toBe("bobyqa");
  });

  it("hands over to BOBYQA where a variance ends at 0", () => {
    const rng = new Rng(21);
    const n = 400;
    // b carries no variance: its θ goes to its bound.
    const d = { a: Array.from({ length: n }, () => "a" + rng.int(30)), b: Array.from({ length: n }, () => "b" + rng.int(8)), y: new Float64Array(n) };
    const ua = new Map<string, number>();
    d.y = Float64Array.from({ length: n }, (_, i) => {
      if (!ua.has(d.a[i])) ua.set(d.a[i], rng.normal());
      return ua.get(d.a[i])! + rng.normal();
    });
    const q = lmm("y ~ 1 + (1 | a) + (1 | b)", d, { optimizer: "quasi-newton" });
    const b = lmm("y ~ 1 + (1 | a) + (1 | b)", d, { optimizer: "bobyqa" });
    if (q.theta[1] < 1e-4) expect(q.optimisation.optimizer).toBe("quasi-newton, then bobyqa");
    expect(q.objective).toBeLessThanOrEqual(b.objective + 1e-9 * Math.abs(b.objective));
  });
});
