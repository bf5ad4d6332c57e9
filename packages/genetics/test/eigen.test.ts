import { describe, expect, it } from "vitest";
import { Rng } from "@lmm/core/numerics";
import { symmetricEigen } from "../src/index.js";

// Checks A U = U Λ and UᵀU = I directly, so a wrong decomposition cannot pass.
// Householder reduction and divide and conquer are backward stable: ‖AU − UΛ‖ and ‖UᵀU − I‖ stay within
// p(n) ε ‖A‖₂; `tol` is that p(n) ε per unit of n.
function check(A: Float64Array, n: number, tol: number) {
  const { values, vectors } = symmetricEigen(A, n);
  const scale = Math.max(Math.abs(values[0]), Math.abs(values[n - 1]));
  for (let j = 1; j < n; j++) expect(values[j]).toBeGreaterThanOrEqual(values[j - 1]);
  for (let j = 0; j < n; j++) {
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let k = 0; k < n; k++) s += A[i * n + k] * vectors[j * n + k];
      expect(Math.abs(s - values[j] * vectors[j * n + i])).toBeLessThanOrEqual(tol * n * scale + 1e-300);
    }
    for (let l = 0; l <= j; l++) {
      let d = 0;
      for (let k = 0; k < n; k++) d += vectors[j * n + k] * vectors[l * n + k];
      expect(Math.abs(d - (j === l ? 1 : 0))).toBeLessThanOrEqual(tol * n);
    }
  }
  return values;
}

describe("symmetric eigen-decomposition (Householder + divide and conquer)", () => {
  // 20 n ε: a conservative p(n) for these sizes.
  const tol = 20 * 2 ** -52;

  it("small and trivial sizes", () => {
    expect(Array.from(check(Float64Array.of(3), 1, tol))).toEqual([3]);
    const v = check(Float64Array.of(2, 1, 1, 2), 2, tol);
    expect(v[0]).toBeCloseTo(1, 14);
    expect(v[1]).toBeCloseTo(3, 14);
    check(Float64Array.of(1, 2, 3, 2, 4, 5, 3, 5, 6), 3, tol);
  });

  it("random GRM-like matrices across the leaf size and the merge levels", () => {
    const rng = new Rng(7);
    for (const n of [31, 33, 70, 150]) {
      const m = 2 * n;
      const X = Float64Array.from({ length: n * m }, () => rng.int(3));
      const A = new Float64Array(n * n);
      for (let i = 0; i < n; i++) for (let j = 0; j <= i; j++) {
        let s = 0;
        for (let k = 0; k < m; k++) s += X[i * m + k] * X[j * m + k];
        A[i * n + j] = A[j * n + i] = s / m;
      }
      check(A, n, tol);
    }
  });

  it("a 500 × 500 GRM (blocked reduction with the SIMD product, several merge levels): ‖KU − UΛ‖ and ‖UᵀU − I‖", () => {
    const n = 500, m = 800;
    const rng = new Rng(11);
    const X = Float64Array.from({ length: n * m }, () => rng.int(3) - 1);
    const K = new Float64Array(n * n);
    for (let i = 0; i < n; i++) for (let j = 0; j <= i; j++) {
      let s = 0;
      for (let k = 0; k < m; k++) s += X[i * m + k] * X[j * m + k];
      K[i * n + j] = K[j * n + i] = s / m;
    }
    const { values, vectors } = symmetricEigen(K, n);
    const scale = Math.max(Math.abs(values[0]), Math.abs(values[n - 1]));
    let residual = 0, orthogonality = 0;
    const Ku = new Float64Array(n);
    for (let j = 0; j < n; j++) {
      const u = vectors.subarray(j * n, (j + 1) * n);
      for (let i = 0; i < n; i++) { let s = 0; for (let k = 0; k < n; k++) s += K[i * n + k] * u[k]; Ku[i] = s; }
      for (let i = 0; i < n; i++) residual = Math.max(residual, Math.abs(Ku[i] - values[j] * u[i]));
      for (let l = 0; l <= j; l++) {
        let d = 0;
        for (let k = 0; k < n; k++) d += u[k] * vectors[l * n + k];
        orthogonality = Math.max(orthogonality, Math.abs(d - (j === l ? 1 : 0)));
      }
    }
    expect(residual).toBeLessThanOrEqual(tol * n * scale);
    expect(orthogonality).toBeLessThanOrEqual(tol * n);
  });

  it("split back-transformation: two halves of the eigenvectors give the one-part result to the last bit", async () => {
    const { symmetricEigenInParts, backTransformRows } = await import("../src/linalg/symmetricEigen.js");
    // 274: a last block of 16 reflectors, small enough for the JavaScript kernel in a half's rows alone.
    for (const n of [301, 274]) {
      const rng = new Rng(5);
      const A = new Float64Array(n * n);
      for (let i = 0; i < n; i++) for (let j = 0; j <= i; j++) A[i * n + j] = A[j * n + i] = rng.normal();
      const whole = symmetricEigen(A, n);
      let parts = 0;
      const split = await symmetricEigenInParts(A, n, async (t, z) => { parts++; backTransformRows(t, z, z.length / n); return z; });
      expect(parts).toBe(1);
      expect(Array.from(split.values)).toEqual(Array.from(whole.values));
      let differing = 0;
      for (let i = 0; i < n * n; i++) if (!Object.is(split.vectors[i], whole.vectors[i])) differing++;
      expect(differing).toBe(0);
    }
  });

  it("split divide and conquer: the first half and the top merge's first rows elsewhere give the one-thread result to the last bit", async () => {
    const { symmetricEigenInParts, backTransformRows } = await import("../src/linalg/symmetricEigen.js");
    const { packedProduct, tridiagonalEigen } = await import("../src/linalg/divideConquer.js");
    for (const n of [300, 301]) {
      const rng = new Rng(n);
      const A = new Float64Array(n * n);
      for (let i = 0; i < n; i++) for (let j = 0; j <= i; j++) A[i * n + j] = A[j * n + i] = rng.normal();
      const whole = symmetricEigen(A, n);
      let halves = 0, products = 0;
      const split = await symmetricEigenInParts(A, n, async (t, z) => (backTransformRows(t, z, z.length / n), z), {
        solveHalf: async (d, e) => { halves++; expect(d.length).toBe(n >> 1); return { Q: tridiagonalEigen(d, e), d }; },
        product: async (jobs) => { products++; return jobs.map(packedProduct); },
      });
      expect(halves).toBe(1);
      expect(products).toBe(1);
      expect(Array.from(split.values)).toEqual(Array.from(whole.values));
      let differing = 0;
      for (let i = 0; i < n * n; i++) if (!Object.is(split.vectors[i], whole.vectors[i])) differing++;
      expect(differing).toBe(0);
    }
  });

  it("back-transformation in the SIMD kernel's memory (plain kernel) gives the JavaScript kernels' result to the last bit", async () => {
    const { backTransformRows } = await import("../src/linalg/symmetricEigen.js");
    const { tridiagonalise } = await import("../src/linalg/tridiagonal.js");
    const { useWasmGemm } = await import("../src/index.js");
    const { useFma } = await import("@lmm/core/numerics");
    // n − 2 = 249 reflectors: blocks of 64 and a last one of 57 (not a multiple of 4), depths ≤ 256 (one depth
    // block in the JavaScript kernel, the sums of the SIMD kernel's one pass); row counts off the 4-row panels.
    const n = 251;
    const rng = new Rng(17);
    const A = new Float64Array(n * n);
    for (let i = 0; i < n; i++) for (let j = 0; j <= i; j++) A[i * n + j] = A[j * n + i] = rng.normal();
    const t = tridiagonalise(A, n);
    const Z0 = Float64Array.from({ length: n * n }, () => rng.normal());
    for (const rows of [n, 123]) {
      const was = useFma(false);
      const simd = Z0.slice(0, rows * n), js = Z0.slice(0, rows * n);
      try {
        backTransformRows(t, simd, rows);
        const on = useWasmGemm(false);
        try { backTransformRows(t, js, rows); } finally { useWasmGemm(on); }
      } finally {
        useFma(was);
      }
      let differing = 0;
      for (let i = 0; i < rows * n; i++) if (!Object.is(simd[i], js[i])) differing++;
      expect(differing).toBe(0);
      expect(simd.some((v, i) => v !== Z0[i])).toBe(true);
    }
  });

  it("split top merge's product cut where the work halves (inside either half) gives the one-thread result to the last bit", async () => {
    const { packedProduct, tridiagonalEigen, tridiagonalEigenSplit, transposed } = await import("../src/linalg/divideConquer.js");
    const n = 300, rng = new Rng(23);
    // One half random, the other one repeated eigenvalue, which deflates its columns: the work is in the random
    // half, so the cut falls in the second half (two parts elsewhere) or in the first (one part).
    for (const repeatedFirst of [true, false]) {
      const repeated = (i: number) => i !== n / 2 - 1 && (i < n / 2) === repeatedFirst; // e[n/2 − 1] couples the halves
      const d = Float64Array.from({ length: n }, (_, i) => (repeated(i) ? 1 : rng.normal()));
      const e = Float64Array.from({ length: n }, (_, i) => (repeated(i) ? 0 : rng.normal()));
      const whole = tridiagonalEigen(d.slice(), e.slice());
      const parts: number[] = [];
      const dSplit = d.slice();
      const split = await tridiagonalEigenSplit(dSplit, e.slice(), async (dh, eh) => ({ Q: tridiagonalEigen(dh, eh), d: dh }), async (jobs) => {
        parts.push(jobs.length);
        return jobs.map(packedProduct);
      });
      expect(parts).toEqual([repeatedFirst ? 2 : 1]);
      const expected = transposed(whole, n);
      let differing = 0;
      for (let i = 0; i < n * n; i++) if (!Object.is(split[i], expected[i])) differing++;
      expect(differing).toBe(0);
    }
  });

  it("repeated and zero eigenvalues (deflation paths)", () => {
    const n = 90;
    // Block-diagonal copies of one 3 × 3 block: every eigenvalue has multiplicity 30.
    const A = new Float64Array(n * n);
    for (let b = 0; b < n; b += 3) for (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++) A[(b + i) * n + b + j] = i === j ? 2 : 1;
    const v = check(A, n, tol);
    expect(v[0]).toBeCloseTo(1, 12);
    expect(v[n - 1]).toBeCloseTo(4, 12);
    // A rank-2 matrix: n − 2 zero eigenvalues.
    const rng = new Rng(3);
    const a = Float64Array.from({ length: n }, () => rng.normal()), b = Float64Array.from({ length: n }, () => rng.normal());
    const R = new Float64Array(n * n);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) R[i * n + j] = a[i] * a[j] + b[i] * b[j];
    const w = check(R, n, tol);
    expect(Math.abs(w[n - 3])).toBeLessThan(1e-12 * w[n - 1]);
    // The identity and a diagonal matrix: nothing to reduce.
    check(Float64Array.from({ length: 40 * 40 }, (_, k) => (k % 41 === 0 ? 1 : 0)), 40, tol);
  });
});

describe("JavaScript kernels (no WebAssembly SIMD)", () => {
  it("give the same eigen-decomposition and GRM as the SIMD kernel, to rounding", async () => {
    const { useWasmGemm, computeGrm, readPlink } = await import("../src/index.js");
    const { readFileSync } = await import("node:fs");
    const data = (f: string) => new URL(`../data/${f}`, import.meta.url).pathname;
    const g = await readPlink({ bed: readFileSync(data("cohort.bed")), bim: readFileSync(data("cohort.bim"), "utf8"), fam: readFileSync(data("cohort.fam"), "utf8") });
    const rows = Int32Array.from({ length: 150 }, (_, i) => i * 4);
    const simd = await computeGrm(g, { rows });
    const was = useWasmGemm(false);
    try {
      const js = await computeGrm(g, { rows });
      // Same sums in another order: entries of order 1 agree to ~1e-15.
      expect(js.values.reduce((w, v, i) => Math.max(w, Math.abs(v - simd.values[i])), 0)).toBeLessThan(1e-13);
      const values = check(js.values, 150, 20 * 2 ** -52);
      const ref = symmetricEigen(simd.values, 150).values;
      values.forEach((v, j) => expect(Math.abs(v - ref[j])).toBeLessThan(1e-12 * ref[149]));
    } finally {
      useWasmGemm(was);
    }
  });
});
