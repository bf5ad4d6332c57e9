// The SIMD kernel for a SNP's likelihood sums Σ h_i^p u_i against the scalar loops it replaces: the plain
// kernel gives the same numbers to the last bit (the lanes hold separate sums, each in index order, with
// separate multiplies and adds), directly and through the likelihood the scan evaluates; the fused one
// (relaxed SIMD) is within the rounding bound of a sum in that order.
import { afterEach, describe, expect, it } from "vitest";
import { relaxedSimdAvailable, Rng, useFma } from "@lmm/core/numerics";
import { GEMMA_SEARCH } from "../src/lmm/calcLambda.js";
import { LambdaObjective, baseProductMatrix, type RotatedBase } from "../src/lmm/objective.js";
import { SpectralSums } from "../src/lmm/spectralSums.js";
import { SnpSumsKernel } from "../src/lmm/wasmSnpSums.js";
import { useWasmGemm } from "../src/linalg/wasmGemm.js";

function scalarSums(s: Float64Array, u: Float64Array, vectors: number, lambda: number, abs = false): Float64Array {
  const n = s.length;
  const out = new Float64Array(3 * vectors);
  const f = abs ? Math.abs : (x: number) => x;
  for (let j = 0; j < vectors; j++) {
    let a = 0, b = 0, c = 0;
    for (let i = 0; i < n; i++) {
      const h = 1 / (lambda * s[i] + 1), hh = h * h, hhh = hh * h;
      a += f(h * u[j * n + i]); b += f(hh * u[j * n + i]); c += f(hhh * u[j * n + i]);
    }
    out[j] = a; out[vectors + j] = b; out[2 * vectors + j] = c;
  }
  return out;
}

afterEach(() => void useFma(true));

describe("SIMD sums of a SNP's products", () => {
  it("equal the scalar sums bit for bit with the plain kernel (odd and even n, odd and even vector counts, powers 1 to 3)", () => {
    useFma(false);
    const rng = new Rng(7);
    for (const [n, vectors] of [[1, 3], [7, 3], [8, 4], [33, 5], [500, 3]]) {
      const s = Float64Array.from({ length: n }, () => Math.abs(rng.normal()) * 10 ** (3 * rng.uniform() - 2));
      const u = Float64Array.from({ length: vectors * n }, () => rng.normal());
      const k = SnpSumsKernel.create(s, vectors);
      expect(k).toBeDefined();
      k!.setProducts(u);
      for (const lambda of [1e-5, 0.37, 2.5, 1e5]) {
        const want = scalarSums(s, u, vectors, lambda);
        for (const power of [1, 2, 3]) {
          const got = new Float64Array(3 * vectors).fill(NaN);
          k!.run(lambda, power, got);
          for (let i = 0; i < power * vectors; i++) expect(got[i], `n ${n}, λ ${lambda}, p ${power}, entry ${i}`).toBe(want[i]);
          for (let i = power * vectors; i < 3 * vectors; i++) expect(got[i]).toBeNaN();
        }
        // Asked again (remembered), and lower powers from a higher one.
        for (const power of [1, 2, 3]) {
          const again = new Float64Array(3 * vectors);
          k!.run(lambda, power, again);
          expect(Array.from(again.subarray(0, power * vectors))).toEqual(Array.from(want.subarray(0, power * vectors)));
        }
      }
      // New products: nothing remembered from the previous SNP.
      const u2 = u.map((x) => 2 * x + 1);
      k!.setProducts(u2);
      const got = new Float64Array(3 * vectors);
      k!.run(0.37, 3, got);
      expect(Array.from(got)).toEqual(Array.from(scalarSums(s, u2, vectors, 0.37)));
    }
  });

  it.runIf(relaxedSimdAvailable())("are within a sum's rounding bound of the scalar sums with fused multiply-adds, and differ from the plain kernel's", () => {
    const rng = new Rng(9);
    let differing = 0;
    for (const [n, vectors] of [[1, 3], [7, 3], [8, 4], [33, 5], [500, 3], [2000, 3]]) {
      const s = Float64Array.from({ length: n }, () => Math.abs(rng.normal()) * 10 ** (3 * rng.uniform() - 2));
      const u = Float64Array.from({ length: vectors * n }, () => rng.normal());
      const kernels = [true, false].map((fma) => { useFma(fma); const k = SnpSumsKernel.create(s, vectors)!; k.setProducts(u); return k; });
      for (const lambda of [1e-5, 0.37, 2.5, 1e5]) {
        const want = scalarSums(s, u, vectors, lambda), size = scalarSums(s, u, vectors, lambda, true);
        const [fused, plain] = kernels.map((k) => { const got = new Float64Array(3 * vectors); k.run(lambda, 3, got); return got; });
        // Two sums of the same n terms in the same order, each within n·ε·Σ|term| of the exact sum.
        for (let i = 0; i < 3 * vectors; i++) {
          expect(Math.abs(fused[i] - want[i]), `n ${n}, λ ${lambda}, entry ${i}`).toBeLessThanOrEqual(2 * n * Number.EPSILON * size[i]);
          expect(plain[i]).toBe(want[i]);
          if (fused[i] !== plain[i]) differing++;
        }
      }
    }
    expect(differing).toBeGreaterThan(0); // the fused kernel is the one that ran
  });

  it("give the scan's likelihood and derivatives exactly as the JavaScript loops with the plain kernel (one and two covariates)", () => {
    useFma(false);
    const rng = new Rng(11);
    const n = 301;
    for (const c of [1, 2]) {
      const s = Float64Array.from({ length: n }, (_, i) => (i === 0 ? 0 : Math.abs(rng.normal()) * 2));
      const vectors = Float64Array.from({ length: (c + 1) * n }, () => rng.normal());
      const base: RotatedBase = { n, c, s, vectors };
      const x = Float64Array.from({ length: n }, () => rng.normal());
      const values = (simd: boolean) => {
        const was = useWasmGemm(simd);
        try {
          const products = baseProductMatrix(base);
          const obj = new LambdaObjective(base, true, products);
          obj.spectral = new SpectralSums(s, products, ((c + 1) * (c + 2)) / 2, GEMMA_SEARCH);
          obj.setSnp(x, 0, base);
          return [1e-4, 0.03, 0.8, 3e5, 17, 9e4, 5e-6, 0.03].flatMap((l) => [obj.logRL(l), obj.logL(l), ...obj.dev12(true, l), ...obj.dev12(false, l), obj.dev1(true, l)]);
        } finally {
          useWasmGemm(was);
        }
      };
      const js = values(false), simd = values(true);
      expect(js.every(Number.isFinite)).toBe(true);
      expect(simd).toEqual(js);
    }
  });
});
