import { describe, expect, it } from "vitest";
import { choleskyInPlaceFast as choleskyInPlace } from "../src/engine/linalg/cholesky.js";
import { useSimd } from "../src/engine/linalg/wasm/simdKernels.js";
import { useFma } from "../src/numerics/wasm/relaxed.js";
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

/** The three paths: JavaScript loops, the plain SIMD kernel, the relaxed-SIMD multiply-add kernel. */
type Path = "js" | "simd" | "fma";
const PATHS: Path[] = ["js", "simd", "fma"];

/** Runs `body` with the kernels of `path` selected, restoring the switches after. */
function onPath<T>(path: Path, body: () => T): T {
  const simd = useSimd(path !== "js"), fma = useFma(path === "fma");
  try {
    return body();
  } finally {
    useSimd(simd);
    useFma(fma);
  }
}

/** L of A on a path, asserting the factorisation succeeds. */
function factorOn(path: Path, a: Float64Array, n: number): Float64Array {
  return onPath(path, () => {
    const l = a.slice();
    expect(choleskyInPlace(l, n)).toBe(true);
    return l;
  });
}

describe("dense Cholesky: unblocked, blocked and SIMD paths", () => {
  for (const n of [7, 97, 150, 193, 301]) {
    it(`n = ${n}: L L' reproduces A on every path (JavaScript, SIMD, SIMD with FMA)`, () => {
      const a = spd(n, n);
      const [js, ...others] = PATHS.map((path) => factorOn(path, a, n));
      for (const l of [js, ...others]) expect(residual(a, l, n)).toBeLessThan(1e-13);
      for (const l of others) for (let i = 0; i < n; i++) for (let j = 0; j <= i; j++) expect(Math.abs(js[i * n + j] - l[i * n + j])).toBeLessThan(1e-12);
    });
  }
  it("a matrix ≥ I, as the random-effects blocks are (panels solved through the inverse): SIMD equals JavaScript", () => {
    const n = 400;
    const a = spd(n, 11);
    for (let i = 0; i < n; i++) a[i * n + i] += 0.5;
    const [js, ...others] = PATHS.map((path) => factorOn(path, a, n));
    for (const l of [js, ...others]) expect(residual(a, l, n)).toBeLessThan(1e-13);
    for (const l of others) for (let i = 0; i < n; i++) for (let j = 0; j <= i; j++) expect(Math.abs(js[i * n + j] - l[i * n + j])).toBeLessThan(1e-12);
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
    for (const path of PATHS) expect(residual(a, factorOn(path, a, n), n)).toBeLessThan(1e-13);
  });
  it("reports a matrix that is not positive definite, on every path", () => {
    for (const n of [50, 250]) {
      const a = spd(n, 3);
      a[(n - 1) * n + n - 1] = -1;
      for (const path of PATHS) onPath(path, () => expect(choleskyInPlace(a.slice(), n)).toBe(false));
    }
  });
});
