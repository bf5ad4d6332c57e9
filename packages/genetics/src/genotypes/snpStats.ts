/** Allele frequency and missingness of one SNP over the analysed individuals. */
export interface SnpStats {
  /** Frequency of A1 (mean dosage / 2) over non-missing calls. */
  af: number;
  nMissing: number;
}

/**
 * Replaces missing dosages (NaN) of `count` SNPs in a SNP-major block (`rows` values each) by the SNP's mean over
 * the non-missing individuals (mean imputation, as GEMMA and plink do), recording frequency and missingness.
 * A SNP with no calls at all gets frequency NaN and zeros.
 *
 * @example
 * ```ts
 * const x = Float64Array.of(0, NaN, 2); meanImpute(x, 1, 3, af, miss); // x = [0, 1, 2]
 * ```
 */
export function meanImpute(block: Float64Array, count: number, rows: number, af: Float64Array, nMissing: Int32Array, offset = 0): void {
  for (let k = 0; k < count; k++) {
    const o = k * rows;
    let sum = 0, miss = 0;
    for (let i = 0; i < rows; i++) {
      const v = block[o + i];
      if (v !== v) miss++;
      else sum += v;
    }
    const called = rows - miss;
    const mean = called > 0 ? sum / called : 0;
    if (miss > 0) for (let i = 0; i < rows; i++) if (block[o + i] !== block[o + i]) block[o + i] = mean;
    af[offset + k] = called > 0 ? mean / 2 : NaN;
    nMissing[offset + k] = miss;
  }
}

/**
 * GEMMA's SNP filter: minor-allele frequency at least `minMaf` and missing rate at most `maxMissing`.
 *
 * @example
 * ```ts
 * passesFilter(0.995, 0, 1000, 0.01, 0.05); // false (MAF 0.005)
 * ```
 */
export function passesFilter(af: number, nMissing: number, rows: number, minMaf: number, maxMissing: number): boolean {
  if (!(af === af)) return false;
  const maf = Math.min(af, 1 - af);
  return maf >= minMaf && nMissing / rows <= maxMissing;
}
