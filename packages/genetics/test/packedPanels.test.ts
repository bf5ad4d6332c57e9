// The relationship matrix's panels read straight from .bed bytes against the general path they replace
// (decode → mean-impute → standardise → pack): the same numbers to the last bit, with missing calls, SNPs
// filtered out, an individual count that is not a multiple of four, and bands starting further down.
import { describe, expect, it } from "vitest";
import { Rng } from "@lmm/core/numerics";
import { meanImpute } from "../src/genotypes/snpStats.js";
import { allRowsOf, readSnp, readSnpAllRows, type GenotypeSource } from "../src/genotypes/source.js";
import { packColumns, panelCount } from "../src/linalg/gemm.js";
import { appendStandardised } from "../src/grm/standardise.js";
import { standardisedPanels } from "../src/grm/packedPanels.js";

function randomBed(n: number, m: number, seed: number): Uint8Array {
  const rng = new Rng(seed);
  const bps = (n + 3) >> 2;
  const bytes = new Uint8Array(bps * m);
  for (let k = 0; k < m; k++) {
    const p = rng.uniform(), missing = k % 5 === 0 ? 0.1 : k % 7 === 0 ? 0.5 : 0;
    for (let i = 0; i < n; i++) {
      // Codes 00 = 2 copies of A1, 10 = 1, 11 = 0, 01 = missing; a few SNPs monomorphic (filtered).
      const d = k % 11 === 3 ? 2 : (rng.uniform() < p ? 1 : 0) + (rng.uniform() < p ? 1 : 0);
      const code = rng.uniform() < missing ? 1 : [3, 2, 0][d];
      bytes[k * bps + (i >> 2)] |= code << (2 * (i & 3));
    }
  }
  return bytes;
}

describe("relationship-matrix panels from .bed bytes", () => {
  it("equal decode, mean imputation, standardisation and packing bit for bit", () => {
    for (const [n, m, row0] of [[37, 40, 0], [37, 40, 12], [64, 30, 32], [9, 12, 4]]) {
      const bytes = randomBed(n, m, n + m);
      const src: GenotypeSource = { kind: "packed", nIndividuals: n, nSnps: m, bytes };
      const rows = Int32Array.from({ length: n }, (_, i) => i);
      const included = Uint8Array.from({ length: m }, (_, k) => (k % 4 === 2 ? 0 : 1));
      for (const kind of ["centered", "standardized"] as const) {
        for (const inc of [null, included]) {
          const start = 3, count = m - 5;
          const block = new Float64Array(count * n), z = new Float64Array(count * n);
          for (let k = 0; k < count; k++) readSnp(src, start + k, rows, block, k * n);
          const af = new Float64Array(count), miss = new Int32Array(count);
          meanImpute(block, count, n, af, miss);
          const include = inc ? (k: number) => inc[start + k] === 1 : undefined;
          const kept = appendStandardised({ block, count, n, af, miss, kind, minMaf: 0.01, maxMissing: 0.2, z, diag: null, include });
          const want = packColumns(z, n, row0, n - row0, kept, new Float64Array(panelCount(n - row0) * 4 * kept));
          const got = new Float64Array(panelCount(n - row0) * 4 * count).fill(NaN);
          const k2 = standardisedPanels({ bytes, n, start, count, row0, kind, minMaf: 0.01, maxMissing: 0.2, included: inc }, got);
          expect(k2).toBe(kept);
          expect(kept).toBeGreaterThan(0);
          expect(kept).toBeLessThan(count);
          expect(Array.from(got.subarray(0, want.length))).toEqual(Array.from(want));
        }
      }
    }
  });

  it("decodes every individual four at a time as readSnp does one at a time", () => {
    for (const n of [1, 4, 37, 64]) {
      const m = 9, bytes = randomBed(n, m, n);
      const src: GenotypeSource = { kind: "packed", nIndividuals: n, nSnps: m, bytes };
      const rows = Int32Array.from({ length: n }, (_, i) => i);
      expect(allRowsOf(src, rows)).toBe(true);
      expect(allRowsOf(src, rows.subarray(1))).toBe(false);
      for (let k = 0; k < m; k++) {
        const want = new Float64Array(n + 2), got = new Float64Array(n + 2);
        readSnp(src, k, rows, want, 1);
        readSnpAllRows(src, k, got, 1);
        expect(Array.from(got)).toEqual(Array.from(want));
      }
    }
  });
});
