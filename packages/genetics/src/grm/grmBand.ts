// One band of rows of the relationship matrix's sums Σ z zᵀ, from a worker-ready genotype source: the work
// of computeGrm split by rows across pool workers. Each worker decodes every SNP (cheap) and multiplies only
// its rows, so every entry is summed in the same order as on one thread and no n × n partial sums are added.
import { meanImpute } from "../genotypes/snpStats.js";
import { allRowsOf, readSnp, type GenotypeSource } from "../genotypes/source.js";
import { packColumns, panelCount, syrkPacked } from "../linalg/gemm.js";
import { wasmGemm, type WasmGemm } from "../linalg/wasmGemm.js";
import { standardisedPanels } from "./packedPanels.js";
import { appendStandardised, type GrmKind } from "./standardise.js";

/** Column panels per pass of the band's rows (64 × 4 × 256 doubles = 512 KB: they stay in L2). */
const CHUNK = 64;

/** What every band of one relationship matrix shares (sent once per worker). */
export interface GrmShared {
  genotypes: GenotypeSource;
  /** Analysed individuals (indices into the source). */
  rows: Int32Array;
  /** Which SNPs may enter (before the frequency and missingness filters): 1 = yes; null = all. */
  included: Uint8Array | null;
  kind: GrmKind;
  minMaf: number;
  maxMissing: number;
  blockSize: number;
}

/**
 * Sums of one band: rows r0 = 4·panels[0] … of the upper triangle, columns r0 … n − 1 only (n − r0 per row:
 * the rest is below the diagonal), and the GCTA diagonal numerators (first band).
 */
export interface GrmBandSums {
  panels: [number, number];
  sum: Float64Array;
  diag: Float64Array | null;
  nSnps: number;
}

/**
 * Bands of 4-row panels with about equal shares of the upper triangle (row i has n − i entries).
 *
 * @example
 * ```ts
 * grmBands(2000, 2); // [[0, 147], [147, 500]]
 * ```
 */
export function grmBands(n: number, parts: number): [number, number][] {
  const np = panelCount(n);
  const ends = [0];
  for (let k = 1; k < parts; k++) ends.push(Math.round(np * (1 - Math.sqrt(1 - k / parts))));
  ends.push(np);
  const out: [number, number][] = [];
  for (let k = 0; k < parts; k++) if (ends[k + 1] > ends[k]) out.push([ends[k], ends[k + 1]]);
  return out;
}

/**
 * The band's sums; `progress` gets the fraction of SNPs read.
 *
 * @example
 * ```ts
 * const part = grmBand(shared, [0, 10]); // rows 0..39
 * ```
 */
export function grmBand(shared: GrmShared, panels: [number, number], progress?: (fraction: number) => void): GrmBandSums {
  const { genotypes, rows, included, kind, minMaf, maxMissing } = shared;
  const m = genotypes.nSnps;
  const n = rows.length;
  const B = shared.blockSize;
  const block = new Float64Array(B * n), z = new Float64Array(B * n);
  // Only individuals r0 … n − 1 meet the band's rows in the upper triangle.
  const r0 = 4 * panels[0], tail = n - r0;
  const packed = new Float64Array(panelCount(tail) * 4 * B);
  const af = new Float64Array(B), miss = new Int32Array(B);
  const rowsInBand = Math.min(n, 4 * panels[1]) - r0;
  const sum = new Float64Array(rowsInBand * tail);
  const diag = kind === "gcta" && panels[0] === 0 ? new Float64Array(n) : null;
  if (genotypes.kind === "packed" && kind !== "gcta" && allRowsOf(genotypes, rows) ) {
    const w = wasmGemm();
    if (w) return packedBand(shared as GrmShared & { genotypes: { kind: "packed" } }, panels, sum, w, progress);
  }
  let used = 0;
  // Blocks of B SNPs as on one thread, so that the products' sums are split the same way.
  for (let start = 0; start < m; start += B) {
    const count = Math.min(B, m - start);
    for (let k = 0; k < count; k++) readSnp(genotypes, start + k, rows, block, k * n);
    meanImpute(block, count, n, af, miss);
    const include = included ? (k: number) => included[start + k] === 1 : undefined;
    const filled = appendStandardised({ block, count, n, af, miss, kind, minMaf, maxMissing, z, diag, include });
    used += filled;
    if (filled > 0) {
      packColumns(z, n, r0, tail, filled, packed);
      syrkPacked(packed, tail, filled, sum, [0, panels[1] - panels[0]]);
    }
    progress?.((start + count) / m);
  }
  return { panels, sum, diag, nSnps: used };
}

// The band from .bed bytes with the SIMD kernel: each block's panels are written straight into the kernel's
// memory (no decoded block, no copy) and the band's sums stay there, each block's products added to them as
// the general path adds them (C + block sum), so the numbers are the same.
function packedBand(
  shared: GrmShared & { genotypes: { kind: "packed" } }, panels: [number, number], sum: Float64Array, w: WasmGemm,
  progress?: (fraction: number) => void,
): GrmBandSums {
  const { genotypes, included, kind, minMaf, maxMissing } = shared;
  const n = genotypes.nIndividuals, m = genotypes.nSnps, B = shared.blockSize;
  const r0 = 4 * panels[0], tail = n - r0, np = panelCount(tail), size = np * 4 * B;
  const bandPanels = panels[1] - panels[0], ldc = 4 * np;
  const mark = w.mark();
  try {
    const ao = w.zeros(size);
    const co = w.zeros(4 * bandPanels * ldc);
    let used = 0;
    for (let start = 0; start < m; start += B) {
      const count = Math.min(B, m - start);
      const block = { bytes: genotypes.bytes, n, start, count, row0: r0, kind: kind as "centered" | "standardized", minMaf, maxMissing, included };
      const kept = standardisedPanels(block, w.view(ao, size));
      used += kept;
      // Row panel ib against panels ib … (the diagonal block's lower part is computed and never read), in chunks
      // of column panels that stay in L2 while every row panel of the band passes over them; each 4 × 4 block is
      // still one sum from zero added to C.
      if (kept > 0) {
        for (let j0 = 0; j0 < np; j0 += CHUNK) {
          const j1 = Math.min(np, j0 + CHUNK);
          for (let ib = 0; ib < bandPanels && ib < j1; ib++) {
            const jb = Math.max(ib, j0);
            w.runAdd(ao + ib * 32 * kept, ao + jb * 32 * kept, 4 * kept, 4 * kept, kept, co + (4 * ib * ldc + 4 * jb) * 8, 1, j1 - jb, ldc);
          }
        }
      }
      progress?.((start + count) / m);
    }
    const C = w.view(co, 4 * bandPanels * ldc);
    const rows = sum.length / tail;
    for (let r = 0; r < rows; r++) sum.set(C.subarray(r * ldc, r * ldc + tail), r * tail);
    return { panels, sum, diag: null, nSnps: used };
  } finally {
    w.reset(mark);
  }
}
