import { InvalidArgumentError } from "@lmm/core/errors";
import { BedMagicError, BedSizeMismatchError, BedTruncatedError } from "../errors.js";
import type { GenotypeMatrix, IndividualTable, SnpTable } from "./types.js";

/**
 * The three bytes opening every SNP-major PLINK 1 `.bed` file.
 *
 * @example
 * ```ts
 * const header = BED_MAGIC; // Uint8Array [0x6c, 0x1b, 0x01]
 * ```
 */
export const BED_MAGIC = Uint8Array.of(0x6c, 0x1b, 0x01);

/**
 * Bytes one SNP occupies in a `.bed` file: 2 bits per individual, rounded up to whole bytes.
 *
 * @example
 * ```ts
 * bedBytesPerSnp(1001); // 251
 * ```
 */
export function bedBytesPerSnp(nIndividuals: number): number {
  return Math.ceil(nIndividuals / 4);
}

/**
 * Expected size of a `.bed` file for `nSnps` SNPs of `nIndividuals` individuals.
 *
 * @example
 * ```ts
 * bedExpectedSize(10000, 1000); // 2500003
 * ```
 */
export function bedExpectedSize(nSnps: number, nIndividuals: number): number {
  return 3 + nSnps * bedBytesPerSnp(nIndividuals);
}

/**
 * Checks the magic bytes at the start of a `.bed` file; throws {@link BedMagicError} unless they are 0x6c 0x1b 0x01.
 *
 * @example
 * ```ts
 * checkBedMagic(Uint8Array.of(0x6c, 0x1b, 0x01)); // ok
 * ```
 */
export function checkBedMagic(head: Uint8Array): void {
  if (head.length < 3 || head[0] !== 0x6c || head[1] !== 0x1b || head[2] !== 0x01) {
    throw new BedMagicError(Array.from(head.subarray(0, 3)));
  }
}

/**
 * Checks a `.bed` size against the `.bim`/`.fam` counts: {@link BedTruncatedError} (with the byte offset
 * where the data stops) if it is short, {@link BedSizeMismatchError} if it is long.
 *
 * @example
 * ```ts
 * checkBedSize(bedExpectedSize(10, 7), 10, 7); // ok
 * ```
 */
export function checkBedSize(actualBytes: number, nSnps: number, nIndividuals: number): void {
  const expected = bedExpectedSize(nSnps, nIndividuals);
  if (actualBytes < expected) {
    const perSnp = bedBytesPerSnp(nIndividuals);
    const snpIndex = perSnp === 0 ? 0 : Math.max(0, Math.floor((actualBytes - 3) / perSnp));
    throw new BedTruncatedError(actualBytes, expected, snpIndex, nSnps);
  }
  if (actualBytes > expected) throw new BedSizeMismatchError(actualBytes, expected, nSnps, nIndividuals);
}

// Dosage of A1 for each 2-bit code (PLINK 1: 00 hom A1, 01 missing, 10 het, 11 hom A2), 4 per byte, low bits first.
const DECODE = (() => {
  const code = [2, NaN, 1, 0];
  const table = new Float64Array(256 * 4);
  for (let b = 0; b < 256; b++) for (let j = 0; j < 4; j++) table[b * 4 + j] = code[(b >> (2 * j)) & 3];
  return table;
})();

/**
 * Genotypes of a PLINK 1 binary fileset held as the packed `.bed` bytes (2 bits a genotype),
 * decoded block by block into A1 dosages.
 *
 * @example
 * ```ts
 * const g = new PackedGenotypes(bedBytes, snps, individuals); // bedBytes includes the 3 magic bytes
 * const x = new Float64Array(g.nIndividuals); g.read(0, 1, x);
 * ```
 */
export class PackedGenotypes implements GenotypeMatrix {
  readonly nIndividuals: number;
  readonly nSnps: number;
  readonly bytesPerSnp: number;
  private readonly data: Uint8Array;

  constructor(bed: Uint8Array, readonly snps: SnpTable, readonly individuals: IndividualTable) {
    this.nIndividuals = individuals.iid.length;
    this.nSnps = snps.id.length;
    checkBedMagic(bed.subarray(0, 3));
    checkBedSize(bed.length, this.nSnps, this.nIndividuals);
    this.bytesPerSnp = bedBytesPerSnp(this.nIndividuals);
    this.data = bed.subarray(3);
  }

  /** All packed genotype bytes after the magic number (a view, no copy). */
  packedBytes(): Uint8Array {
    return this.data;
  }

  /** The packed bytes of SNP `k` (a view, no copy). */
  snpBytes(k: number): Uint8Array {
    return this.data.subarray(k * this.bytesPerSnp, (k + 1) * this.bytesPerSnp);
  }

  read(start: number, count: number, out: Float64Array, rows?: Int32Array): void {
    if (!(start >= 0 && count >= 0 && start + count <= this.nSnps)) {
      throw new InvalidArgumentError("SNP range", `${start}..${start + count}`, `within 0..${this.nSnps}`);
    }
    const n = this.nIndividuals;
    const bps = this.bytesPerSnp;
    const data = this.data;
    if (!rows) {
      if (out.length < count * n) throw new InvalidArgumentError("out.length", out.length, `at least ${count * n}`);
      const full = n >> 2;
      for (let k = 0; k < count; k++) {
        const base = (start + k) * bps;
        let o = k * n;
        for (let b = 0; b < full; b++) {
          const t = data[base + b] * 4;
          out[o] = DECODE[t];
          out[o + 1] = DECODE[t + 1];
          out[o + 2] = DECODE[t + 2];
          out[o + 3] = DECODE[t + 3];
          o += 4;
        }
        const rest = n & 3;
        if (rest) {
          const t = data[base + full] * 4;
          for (let j = 0; j < rest; j++) out[o + j] = DECODE[t + j];
        }
      }
      return;
    }
    const r = rows.length;
    if (out.length < count * r) throw new InvalidArgumentError("out.length", out.length, `at least ${count * r}`);
    for (let k = 0; k < count; k++) {
      const base = (start + k) * bps;
      const o = k * r;
      for (let j = 0; j < r; j++) {
        const i = rows[j];
        out[o + j] = DECODE[data[base + (i >> 2)] * 4 + (i & 3)];
      }
    }
  }
}
