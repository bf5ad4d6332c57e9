// The tridiagonalisation's SIMD symmetric product (rows two at a time) against a scalar loop in the one-row
// order it keeps: the plain f64x2 kernel to the last bit, the relaxed-SIMD multiply-add kernel within rounding.
import { describe, expect, it } from "vitest";
import { Rng, useFma } from "@lmm/core/numerics";
import { symvWorkspace } from "../src/linalg/wasmSymv.js";
import { packRows, panelCount } from "../src/linalg/gemm.js";

// p[c1..n) += S v over the lower triangle, rows in order; each row's dot product in two lanes (even and odd
// offsets from c1) added at the end, at most one entry left before the diagonal.
function reference(A: Float64Array, n: number, c1: number, v: Float64Array, p: Float64Array): number[] {
  const bound = new Array<number>(n).fill(0); // Σ |terms| per entry of p, for the fused variant
  for (let r = c1; r < n; r++) {
    const o = r * n, vr = v[r];
    let a0 = 0, a1 = 0, q = c1;
    for (; q + 1 < r; q += 2) {
      a0 += A[o + q] * v[q]; a1 += A[o + q + 1] * v[q + 1];
      p[q] += A[o + q] * vr; p[q + 1] += A[o + q + 1] * vr;
      bound[q] += Math.abs(A[o + q] * vr); bound[q + 1] += Math.abs(A[o + q + 1] * vr);
      bound[r] += Math.abs(A[o + q] * v[q]) + Math.abs(A[o + q + 1] * v[q + 1]);
    }
    let s = a0 + a1;
    if (q < r) { s += A[o + q] * v[q]; p[q] += A[o + q] * vr; bound[q] += Math.abs(A[o + q] * vr); bound[r] += Math.abs(A[o + q] * v[q]); }
    p[r] += s + A[o + r] * vr;
    bound[r] += Math.abs(A[o + r] * vr);
  }
  return bound;
}

for (const fma of [false, true]) {
  describe(`symmetric product kernel, ${fma ? "relaxed-SIMD multiply-add" : "plain f64x2"}`, () => {
    it("p += S v against the scalar loop (odd and even orders and starting columns)", () => {
      const rng = new Rng(fma ? 2 : 1);
      for (const n of [1, 2, 3, 4, 7, 10, 33, 64]) {
        const was = useFma(fma);
        const ws = symvWorkspace(n);
        useFma(was);
        expect(ws).toBeDefined();
        for (let i = 0; i < n * n; i++) ws!.A[i] = rng.normal();
        for (let i = 0; i < n; i++) ws!.v[i] = rng.normal();
        for (const c1 of [0, 1, 2, n - 1].filter((c) => c >= 0 && c < n)) {
          const p0 = Float64Array.from({ length: n }, () => rng.normal());
          const want = p0.slice();
          const bound = reference(ws!.A, n, c1, ws!.v, want);
          ws!.p.set(p0);
          ws!.product(c1);
          for (let i = 0; i < n; i++) {
            if (!fma) expect(ws!.p[i], `n ${n}, c1 ${c1}, p[${i}]`).toBe(want[i]);
            else expect(Math.abs(ws!.p[i] - want[i])).toBeLessThanOrEqual(4 * (n + 2) * 2 ** -53 * (bound[i] + Math.abs(p0[i])));
          }
        }
      }
    });

    it("lower rank-k update A += X Yᵀ (rows' diagonal blocks whole) against block sums added to A", () => {
      const rng = new Rng(fma ? 4 : 3);
      for (const [n, s, k] of [[9, 9, 3], [20, 17, 8], [40, 38, 64], [40, 36, 5]]) {
        const was = useFma(fma);
        const ws = symvWorkspace(n, 64);
        useFma(was);
        const A0 = Float64Array.from({ length: n * n }, () => rng.normal());
        const X = Float64Array.from({ length: s * k }, () => rng.normal()), Y = Float64Array.from({ length: s * k }, () => rng.normal());
        const off = (n - s) * n + (n - s);
        ws!.A.set(A0);
        const np = panelCount(s);
        ws!.lowerUpdate(packRows(X, s, k, k, new Float64Array(np * 4 * k)), packRows(Y, s, k, k, new Float64Array(np * 4 * k)), s, k, off);
        for (let r = 0; r < s; r++) {
          for (let c = 0; c < Math.min(s, 4 * (r >> 2) + 4); c++) {
            let sum = 0, abs = 0;
            for (let q = 0; q < k; q++) { sum += X[r * k + q] * Y[c * k + q]; abs += Math.abs(X[r * k + q] * Y[c * k + q]); }
            const i = off + r * n + c;
            if (!fma) expect(ws!.A[i], `A[${r}][${c}]`).toBe(A0[i] + sum);
            else expect(Math.abs(ws!.A[i] - (A0[i] + sum))).toBeLessThanOrEqual(2 * (k + 2) * 2 ** -53 * (abs + Math.abs(A0[i])));
          }
        }
        // Everything else untouched (above the rows' diagonal blocks, before the block, the rows above it).
        let changed = 0;
        for (let r = 0; r < n; r++) for (let c = 0; c < n; c++) {
          const inBlock = r >= n - s && c >= n - s && c - (n - s) < Math.min(s, 4 * ((r - (n - s)) >> 2) + 4);
          if (!inBlock && !Object.is(ws!.A[r * n + c], A0[r * n + c])) changed++;
        }
        expect(changed).toBe(0);
      }
    });
  });
}
