// One task of the LMM scan: decode a list of SNPs, impute, filter, and run GEMMA's tests on those that pass.
// Inputs and outputs are typed arrays and numbers only, so the same function runs inline or in pool workers.
import { meanImpute, passesFilter } from "../genotypes/snpStats.js";
import { allRowsOf, readSnp, readSnpAllRows, type GenotypeSource } from "../genotypes/source.js";
import { ScanKernel, type ScanSetup, type SnpBlockResult } from "./scanKernel.js";

/** What every block of one scan shares (sent once per worker). */
export interface ScanShared {
  setup: ScanSetup;
  genotypes: GenotypeSource;
  /** Analysed individuals (indices into the genotype source). */
  rows: Int32Array;
  minMaf: number;
  maxMissing: number;
}

/** Per-SNP results of one block: statistics (NaN where filtered), frequency, missingness, tested flag. */
export interface ScanBlockOutput extends SnpBlockResult {
  af: Float64Array;
  nMissing: Int32Array;
  tested: Uint8Array;
}

let cached: { setup: ScanSetup; kernel: ScanKernel } | undefined;
let dosageBuffer = new Float64Array(0);

/**
 * Scans the SNPs `snps` (indices into the genotype source). Pure apart from a cache of the prepared kernel
 * for the last setup seen (so a worker prepares it once per scan).
 *
 * @example
 * ```ts
 * const out = scanSnps(shared, Int32Array.of(0, 1, 2));
 * ```
 */
export function scanSnps(shared: ScanShared, snps: Int32Array): ScanBlockOutput {
  const { setup, rows } = shared;
  if (!cached || cached.setup !== setup) cached = { setup, kernel: new ScanKernel(setup) };
  const n = rows.length;
  const m = snps.length;
  const af = new Float64Array(m), nMissing = new Int32Array(m), tested = new Uint8Array(m);
  // The block's dosages only pass through to the kernel (packed there), so one buffer serves every block.
  if (dosageBuffer.length < m * n) dosageBuffer = new Float64Array(m * n);
  const dosages = dosageBuffer;
  const one = new Float64Array(n);
  const afOne = new Float64Array(1), missOne = new Int32Array(1);
  const keep: number[] = [];
  const all = allRowsOf(shared.genotypes, rows);
  for (let k = 0; k < m; k++) {
    if (all) readSnpAllRows(shared.genotypes, snps[k], one, 0);
    else readSnp(shared.genotypes, snps[k], rows, one, 0);
    meanImpute(one, 1, n, afOne, missOne);
    af[k] = afOne[0];
    nMissing[k] = missOne[0];
    if (!passesFilter(afOne[0], missOne[0], n, shared.minMaf, shared.maxMissing)) continue;
    dosages.set(one, keep.length * n);
    keep.push(k);
  }
  const nan = () => new Float64Array(m).fill(NaN);
  const out: ScanBlockOutput = {
    beta: nan(), se: nan(), logLikH1: nan(), lambdaReml: nan(), lambdaMl: nan(), pWald: nan(), pLrt: nan(), pScore: nan(),
    af, nMissing, tested,
  };
  if (keep.length === 0) return out;
  const r = cached.kernel.run({ dosages, count: keep.length });
  for (const key of ["beta", "se", "logLikH1", "lambdaReml", "lambdaMl", "pWald", "pLrt", "pScore"] as const) {
    const dst = out[key], src = r[key];
    for (let j = 0; j < keep.length; j++) dst[keep[j]] = src[j];
  }
  for (const k of keep) tested[k] = 1;
  return out;
}
