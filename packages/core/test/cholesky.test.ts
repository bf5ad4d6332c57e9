import { describe, expect, it } from "vitest";
import { choleskyInPlaceFast as choleskyInPlace } from "../src/engine/linalg/cholesky.js";
import { useSimd } from "../src/engine/linalg/wasm/simdKernels.js";
import { Rng } from "../src/numerics/index.js";

function spd(n: number, seed: number): Float64Array {
  const rng = new Rng(seed);
  const b = Float64Array.from({ length: n * n }, () => rng.normal());
  const a = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j <= i; j++) {
    let s = 0;
    for (let t = 0; t < n; t++) s += b[i * n + t] * b[j * n + t];
    a[i * n + j] = a[j * n + i] = s / n + (i === j ? 0.5 : 0);
  }
  return a;
}

/** max |A − L L'| over the lower triangle, relative to max |A|. */
function residual(a: Float64Array, l: Float64Array, n: number): number {
  let err = 0, scale = 0;
  for (let i = 0; i < n; i++) for (let j = 0; j <= i; j++) {
    let s = 0;
    for (let t = 0; t <= j; t++) s += l[i * n + t] * l[j * n + t];
    err = Math.max(err, Math.abs(s - a[i * n + j]));
    scale = Math.max(scale, Math.abs(a[i * n + j]));
  }
  return err / scale;
}

/** L of A, asserting the factorisation succeeds, with a path switch (useSimd) set for the call. */
function factorWith(use: (on: boolean) => boolean, on: boolean, a: Float64Array, n: number): Float64Array {
  const was = use(on);
  try {
    const l = a.slice();
    expect(choleskyInPlace(l, n)).toBe(true);
    return l;
  } finally {
    use(was);
  }
}

describe("dense Cholesky: unblocked, blocked and SIMD paths", () => {
  for (const n of [7, 97, 150, 193, 301]) {
    it(`n = ${n}: L L' reproduces A, with and without the SIMD kernel`, () => {
      const a = spd(n, n);
      const results = [false, true].map((simd) => factorWith(useSimd, simd, a, n));
      for (const l of results) expect(residual(a, l, n)).toBeLessThan(1e-13);
      for (let i = 0; i < n; i++) for (let j = 0; j <= i; j++) expect(Math.abs(results[0][i * n + j] - results[1][i * n + j])).toBeLessThan(1e-12);
    });
  }
  it("a matrix ≥ I, as the random-effects blocks are (panels solved through the inverse): SIMD equals JavaScript", () => {
    const n = 400;
    const a = spd(n, 11);
    for (let i = 0; i < n; i++) a[i * n + i] += 0.5;
    const [js, simd] = [false, true].map((on) => factorWith(useSimd, on, a, n));
    for (const l of [js, simd]) expect(residual(a, l, n)).toBeLessThan(1e-13);
    for (let i = 0; i < n; i++) for (let j = 0; j <= i; j++) expect(Math.abs(js[i * n + j] - simd[i * n + j])).toBeLessThan(1e-12);
  });
  it("an ill-conditioned matrix (rank 40 + 1e-6 I, scales 1 to 1e8): every path reproduces A", () => {
    // The SIMD path solves panels through the inverse of the diagonal block only where that is
    // as accurate as substitution; here it must fall back.
    const n = 300, rank = 40, rng = new Rng(2);
    const b = Float64Array.from({ length: n * rank }, () => rng.normal() * 10 ** (4 * rng.uniform()));
    const a = new Float64Array(n * n);
    for (let i = 0; i < n; i++) for (let j = 0; j <= i; j++) {
      let s = 0;
      for (let t = 0; t < rank; t++) s += b[i * rank + t] * b[j * rank + t];
      a[i * n + j] = a[j * n + i] = s + (i === j ? 1e-6 : 0);
    }
    for (const simd of [false, true]) expect(residual(a, factorWith(useSimd, simd, a, n), n)).toBeLessThan(1e-13);
  });
  it("reports a matrix that is not positive definite, on every path", () => {
    for (const n of [50, 250]) {
      const a = spd(n, 3);
      a[(n - 1) * n + n - 1] = -1;
      for (const simd of [false, true]) {
        const was = useSimd(simd);
        try {
          expect(choleskyInPlace(a.slice(), n)).toBe(false);
        } finally {
          useSimd(was);
        }
      }
    }
  });
});
