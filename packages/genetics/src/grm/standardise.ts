// The columns that enter a relationship matrix: each SNP passing GEMMA's filters, centred (and scaled, for the
// standardised kinds), appended to the block multiplied next; shared by the one-thread and the pooled GRM.
import { passesFilter } from "../genotypes/snpStats.js";

/** Which relationship matrix to compute. */
export type GrmKind = "centered" | "standardized" | "gcta";

/** A decoded, mean-imputed block of `count` SNPs (SNP-major, n values each) with its statistics. */
export interface StandardiseInput {
  block: Float64Array;
  count: number;
  n: number;
  af: Float64Array;
  miss: Int32Array;
  kind: GrmKind;
  minMaf: number;
  maxMissing: number;
  /** Output: the kept SNPs' columns, SNP-major from index 0. */
  z: Float64Array;
  /** GCTA diagonal numerators to add to, or null. */
  diag: Float64Array | null;
  /** Which SNPs of the block may enter (index within the block; default all). */
  include?: (k: number) => boolean;
}

/**
 * Writes the block's kept SNPs into `z` and returns how many were kept.
 *
 * @example
 * ```ts
 * const kept = appendStandardised({ block, count, n, af, miss, kind: "centered", minMaf: 0.01, maxMissing: 0.05, z, diag: null });
 * ```
 */
export function appendStandardised(input: StandardiseInput): number {
  const { block, count, n, af, miss, kind, minMaf, maxMissing, z, diag, include } = input;
  let filled = 0;
  for (let k = 0; k < count; k++) {
    if (include && !include(k)) continue;
    if (!passesFilter(af[k], miss[k], n, minMaf, maxMissing)) continue;
    const p = af[k], mean = 2 * p;
    const scale = kind === "centered" ? 1 : 1 / Math.sqrt(2 * p * (1 - p));
    const o = k * n, zo = filled * n;
    for (let i = 0; i < n; i++) z[zo + i] = (block[o + i] - mean) * scale;
    if (diag) {
      const den = 2 * p * (1 - p);
      for (let i = 0; i < n; i++) { const x = block[o + i]; diag[i] += (x * x - (1 + 2 * p) * x + 2 * p * p) / den; }
    }
    filled++;
  }
  return filled;
}
