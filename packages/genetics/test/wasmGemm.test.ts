// The genetics GEMM kernel in both WebAssembly variants against the scalar JavaScript kernel: the plain
// f64x2 kernel bit for bit where their summation orders coincide (one depth block, C starting at 0), the
// relaxed-SIMD multiply-add kernel within the rounding bound of each dot product.
import { describe, expect, it } from "vitest";
import { useFma } from "@lmm/core/numerics";
import { gemmPackedJs, packRows, panelCount, wasmProduct } from "../src/linalg/gemm.js";
import { WasmGemm } from "../src/linalg/wasmGemm.js";
import { Rng } from "@lmm/core/numerics";

const EPS = 2 ** -53;

function operands(m: number, n: number, k: number, seed: number) {
  const rng = new Rng(seed);
  const A = Float64Array.from({ length: m * k }, () => rng.normal() * 10 ** (2 * rng.uniform() - 1));
  const B = Float64Array.from({ length: n * k }, () => rng.normal());
  return {
    A, B,
    Ap: packRows(A, m, k, k, new Float64Array(panelCount(m) * 4 * k)),
    Bp: packRows(B, n, k, k, new Float64Array(panelCount(n) * 4 * k)),
  };
}

function wasmC(w: WasmGemm, Ap: Float64Array, m: number, Bp: Float64Array, n: number, k: number): Float64Array {
  const C = new Float64Array(m * n);
  const mark = w.mark();
  try {
    wasmProduct(w, w.put(Ap), m, w.put(Bp), n, k, C, 0, n, 1);
  } finally {
    w.reset(mark);
  }
  return C;
}

for (const fma of [false, true]) {
  describe(`genetics GEMM, ${fma ? "relaxed-SIMD multiply-add" : "plain f64x2"} kernel`, () => {
    const was = useFma(fma);
    const w = WasmGemm.create();
    useFma(was);
    it("is built in the variant asked for", () => {
      expect(w).toBeDefined();
      if (!fma) expect(w!.fma).toBe(false);
      // Relaxed SIMD needs Node ≥ 20.16 (or a browser that ships it); elsewhere the plain kernel is built.
      else expect(w!.fma).toBe(typeof (globalThis as { process?: { getBuiltinModule?: unknown } }).process?.getBuiltinModule === "function");
    });
    it("C = A Bᵀ against the JavaScript kernel, entry by entry", () => {
      for (const [m, n, k, seed] of [[5, 7, 3, 1], [17, 9, 200, 2], [12, 30, 600, 3]]) {
        const { A, B, Ap, Bp } = operands(m, n, k, seed);
        const js = new Float64Array(m * n);
        gemmPackedJs(Ap, m, Bp, n, k, js, 0, n, 1);
        const got = wasmC(w!, Ap, m, Bp, n, k);
        for (let i = 0; i < m; i++) {
          for (let j = 0; j < n; j++) {
            let abs = 0;
            for (let p = 0; p < k; p++) abs += Math.abs(A[i * k + p] * B[j * k + p]);
            const bound = (((k + 2) * EPS) / (1 - (k + 2) * EPS)) * abs;
            if (!w!.fma && k <= 256) expect(got[i * n + j], `C[${i}][${j}]`).toBe(js[i * n + j]);
            else expect(Math.abs(got[i * n + j] - js[i * n + j]), `C[${i}][${j}]`).toBeLessThanOrEqual(2 * bound);
          }
        }
      }
    });
    it("C + (A Bᵀ from zero) into a padded C: the block sums of the plain product added to C", () => {
      for (const [m, n, k, seed] of [[5, 7, 3, 4], [12, 30, 256, 5]]) {
        const { Ap, Bp } = operands(m, n, k, seed);
        const mp = panelCount(m), np = panelCount(n), ldc = 4 * np + 4;
        const rng = new Rng(seed);
        const C0 = Float64Array.from({ length: 4 * mp * ldc }, () => rng.normal());
        const product = wasmC(w!, Ap, m, Bp, n, k); // formed from zero
        const mark = w!.mark();
        try {
          const co = w!.put(C0);
          w!.runAdd(w!.put(Ap), w!.put(Bp), 4 * k, 4 * k, k, co, mp, np, ldc);
          const got = w!.view(co, C0.length);
          for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) expect(got[i * ldc + j], `C[${i}][${j}]`).toBe(C0[i * ldc + j] + product[i * n + j]);
          for (let j = 4 * np; j < ldc; j++) expect(got[j]).toBe(C0[j]); // past the padded columns: untouched
        } finally {
          w!.reset(mark);
        }
      }
    });
  });
}

describe("genetics GEMM, plain kernel over a deep product", () => {
  it("equals the scalar dot products summed in order from zero (a multiply and an add per term), past one depth block", () => {
    const w = WasmGemm.create(false);
    expect(w?.fma).toBe(false);
    for (const [m, n, k, seed] of [[6, 5, 600, 7], [64, 64, 1999, 8]]) {
      const { A, B, Ap, Bp } = operands(m, n, k, seed);
      const got = wasmC(w!, Ap, m, Bp, n, k);
      for (let i = 0; i < m; i++) {
        for (let j = 0; j < n; j++) {
          let s = 0;
          for (let p = 0; p < k; p++) s += A[i * k + p] * B[j * k + p];
          expect(got[i * n + j], `C[${i}][${j}]`).toBe(s);
        }
      }
    }
  });
});
