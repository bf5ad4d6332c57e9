// The SIMD trailing-update kernels, each variant against the scalar reference: the plain f64x2
// kernel bit for bit (its order is known: two lanes over even and odd depths, summed, subtracted),
// the relaxed-SIMD multiply-add kernel within the rounding of its dot products (fused or not is
// the engine's choice, so no order is exact for it).
import { describe, expect, it } from "vitest";
import { SimdKernels } from "../src/engine/linalg/wasm/simdKernels.js";
import { Rng } from "../src/numerics/index.js";

const EPS = 2 ** -53;
const canSetFlags = typeof (globalThis as { process?: { getBuiltinModule?: unknown } }).process?.getBuiltinModule === "function";

/** A random packed panel (rows × depth, depth even) and a random lower triangle C (rows × rows), in kernel memory. */
function setup(k: SimdKernels, rows: number, depth: number, seed: number) {
  const rng = new Rng(seed);
  const mem = k.doubles(rows * depth + rows * rows);
  for (let i = 0; i < rows * depth; i++) mem[i] = rng.normal() * 10 ** (2 * rng.uniform() - 1);
  const c0 = rows * depth;
  for (let i = 0; i < rows * rows; i++) mem[c0 + i] = rng.normal();
  return { mem, c0, before: mem.slice(c0, c0 + rows * rows), panel: mem.slice(0, rows * depth) };
}

/** The plain kernel's arithmetic in JavaScript: lane sums over even and odd t, lane 0 + lane 1, then C − that. */
function laneOrder(p: Float64Array, depth: number, i: number, j: number, c: number): { value: number; bound: number } {
  let s0 = 0, s1 = 0, abs = Math.abs(c);
  for (let t = 0; t < depth; t += 2) {
    s0 += p[i * depth + t] * p[j * depth + t];
    s1 += p[i * depth + t + 1] * p[j * depth + t + 1];
    abs += Math.abs(p[i * depth + t] * p[j * depth + t]) + Math.abs(p[i * depth + t + 1] * p[j * depth + t + 1]);
  }
  // Any order of the depth/2 + 2 additions, fused or not: |error| ≤ γ_{depth/2+2} Σ|terms|.
  const m = depth / 2 + 2;
  return { value: c - (s0 + s1), bound: ((m * EPS) / (1 - m * EPS)) * abs * 1.0001 };
}

for (const fma of [false, true]) {
  describe(`SIMD kernels, ${fma ? "relaxed-SIMD multiply-add" : "plain f64x2"}`, () => {
    const k = SimdKernels.create(fma);
    it("is available on this engine (relaxed SIMD set on with V8's flag where Node needs it)", () => {
      if (fma && !canSetFlags) return; // Node < 20.16: no synchronous way to reach node:v8; the plain kernel is used
      expect(k).toBeDefined();
      expect(k!.fma).toBe(fma);
    });

    it("syrkRows: the lower triangle of C −= P Pᵀ, every entry against the scalar reference", () => {
      if (!k) return;
      for (const [rows, depth, seed] of [[2, 2, 1], [10, 48, 2], [38, 48, 3], [64, 30, 4]]) {
        const { mem, c0, before, panel } = setup(k, rows, depth, seed);
        k.syrkRows(0, depth * 8, c0 * 8, rows * 8, 0, rows, depth * 8);
        for (let i = 0; i < rows; i++) {
          for (let j = 0; j < rows; j++) {
            const got = mem[c0 + i * rows + j];
            if (j > i) continue; // the tiles may also update a few entries above the diagonal, which no caller reads
            const ref = laneOrder(panel, depth, i, j, before[i * rows + j]);
            if (fma) expect(Math.abs(got - ref.value), `C[${i}][${j}]`).toBeLessThanOrEqual(2 * ref.bound);
            else expect(got, `C[${i}][${j}]`).toBe(ref.value);
          }
        }
      }
    });

    it("syrk24: one pair of rows against the 4-column groups left of it", () => {
      if (!k) return;
      const rows = 20, depth = 16;
      const { mem, c0, before, panel } = setup(k, rows, depth, 9);
      k.syrk24(0, depth * 8, c0 * 8, rows * 8, 12, 12, depth * 8);
      for (const i of [12, 13]) {
        for (let j = 0; j < rows; j++) {
          const got = mem[c0 + i * rows + j];
          if (j >= 12) {
            expect(got).toBe(before[i * rows + j]);
            continue;
          }
          const ref = laneOrder(panel, depth, i, j, before[i * rows + j]);
          if (fma) expect(Math.abs(got - ref.value)).toBeLessThanOrEqual(2 * ref.bound);
          else expect(got).toBe(ref.value);
        }
      }
    });
  });
}
