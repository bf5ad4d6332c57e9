// The relationship matrix's input straight from .bed bytes: for a block of SNPs, each SNP's frequency and
// missingness from per-byte tables (sums of small integers: exact in any order), then its centred (or
// standardised) values written into the 4-row panels the product kernel reads — four individuals are one
// byte, so a panel is one table look-up per SNP. The numbers are those of decode → meanImpute →
// appendStandardised → packColumns (same formulas, same operands); used when every individual is analysed,
// which is when the rows of a band start on a byte.
import { passesFilter } from "../genotypes/snpStats.js";
import type { GrmKind } from "./standardise.js";

/** Dosage of A1 for the four 2-bit codes of PLINK 1 (01 = missing). */
const DOSAGE = [2, NaN, 1, 0];
const SUM = new Float64Array(256), MISSING = new Int32Array(256);
for (let b = 0; b < 256; b++) {
  for (let j = 0; j < 4; j++) {
    const code = (b >> (2 * j)) & 3;
    if (code === 1) MISSING[b]++;
    else SUM[b] += DOSAGE[code];
  }
}

/** A block of a packed source to standardise (individuals 0 … n − 1, all analysed). */
export interface PackedBlock {
  bytes: Uint8Array;
  n: number;
  start: number;
  count: number;
  /** First individual of the panels (a multiple of 4). */
  row0: number;
  kind: Exclude<GrmKind, "gcta">;
  minMaf: number;
  maxMissing: number;
  /** Which SNPs may enter (1 = yes, indexed by SNP), or null for all. */
  included: Uint8Array | null;
}

/**
 * Writes the block's kept SNPs as 4-row panels of individuals row0 … n − 1 into `out` (panel stride 4 × kept,
 * rows past n zero) and returns how many SNPs were kept.
 *
 * @example
 * ```ts
 * const kept = standardisedPanels({ bytes, n, start: 0, count: 256, row0: 0, kind: "centered", minMaf: 0.01, maxMissing: 0.05, included: null }, out);
 * ```
 */
export function standardisedPanels(block: PackedBlock, out: Float64Array): number {
  const { bytes, n, start, count, row0, kind, minMaf, maxMissing, included } = block;
  const bps = (n + 3) >> 2, full = n >> 2;
  // Per kept SNP: the values of its four codes.
  const values: number[] = [];
  for (let k = 0; k < count; k++) {
    const snp = start + k;
    if (included && included[snp] !== 1) continue;
    const base = snp * bps;
    let sum = 0, miss = 0;
    for (let b = 0; b < full; b++) { const t = bytes[base + b]; sum += SUM[t]; miss += MISSING[t]; }
    for (let i = 4 * full; i < n; i++) {
      const code = (bytes[base + full] >> (2 * (i & 3))) & 3;
      if (code === 1) miss++;
      else sum += DOSAGE[code];
    }
    const called = n - miss;
    const imputed = called > 0 ? sum / called : 0;
    const p = called > 0 ? imputed / 2 : NaN;
    if (!passesFilter(p, miss, n, minMaf, maxMissing)) continue;
    const mean = 2 * p;
    const scale = kind === "centered" ? 1 : 1 / Math.sqrt(2 * p * (1 - p));
    values.push(snp, (2 - mean) * scale, (imputed - mean) * scale, (1 - mean) * scale, (0 - mean) * scale);
  }
  const kept = values.length / 5;
  const rows = n - row0, panels = (rows + 3) >> 2;
  const table = new Float64Array(4 * kept), at = new Int32Array(kept);
  for (let q = 0; q < kept; q++) {
    at[q] = values[5 * q] * bps + (row0 >> 2);
    for (let c = 0; c < 4; c++) table[4 * q + c] = values[5 * q + 1 + c];
  }
  // Panel by panel, so that the writes run in order.
  for (let b = 0, o = 0; b < panels; b++) {
    for (let q = 0; q < kept; q++, o += 4) {
      const t = bytes[at[q] + b], z = 4 * q;
      out[o] = table[z + (t & 3)]; out[o + 1] = table[z + ((t >> 2) & 3)]; out[o + 2] = table[z + ((t >> 4) & 3)]; out[o + 3] = table[z + (t >> 6)];
    }
  }
  // The last panel's rows past n (padding bits of the last byte) are zero, as packColumns pads.
  const live = rows - 4 * (panels - 1);
  for (let q = 0, o = 4 * kept * (panels - 1); q < kept; q++, o += 4) for (let r = live; r < 4; r++) out[o + r] = 0;
  return kept;
}
