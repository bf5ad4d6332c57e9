import { AbortedError, InvalidArgumentError } from "@lmm/core/errors";
import type { GenotypeMatrix } from "../genotypes/types.js";
import { allRows } from "../genotypes/types.js";
import { meanImpute } from "../genotypes/snpStats.js";
import { genotypeSource } from "../genotypes/source.js";
import { mirrorUpper, packColumns, panelCount, syrkPacked } from "../linalg/gemm.js";
import type { ScanPool } from "../lmm/scanPool.js";
import { grmBands, type GrmShared } from "./grmBand.js";
import { appendStandardised, type GrmKind } from "./standardise.js";

/**
 * A genetic relationship (kinship) matrix over `n` individuals, row-major n × n.
 *
 * - `"centered"`: GEMMA's `-gk 1`, K = X_c X_cᵀ / m with each SNP's A1 dosages centred on their mean;
 * - `"standardized"`: each SNP centred and divided by √(2p(1−p)), K = Z Zᵀ / m (plink2 `--make-rel`, the matrix
 *   plink2 `--pca` decomposes);
 * - `"gcta"`: the standardised matrix with GCTA's diagonal 1 + Σ (x² − (1+2p)x + 2p²) / (2p(1−p)) / m.
 */
export interface Kinship {
  n: number;
  values: Float64Array;
  /** SNPs that entered the matrix. */
  nSnps: number;
  /** How it was computed; "given" for a matrix read from a file. */
  kind: GrmKind | "given";
  /** Individual ids (IID) in row order, when known. */
  ids?: string[];
}

export type { GrmKind };

/** Options of {@link computeGrm}. */
export interface GrmOptions {
  kind?: GrmKind;
  /** Individuals to use, in order (default: all). */
  rows?: Int32Array;
  /** Which SNPs to use (default: all passing the filters). */
  include?: (snpIndex: number) => boolean;
  /** GEMMA's filters (defaults 0.01 and 0.05, as `gemma -gk`). */
  minMaf?: number;
  maxMissing?: number;
  /** SNPs decoded and multiplied per step (default 256). */
  blockSize?: number;
  signal?: AbortSignal;
  onProgress?: (done: number, total: number) => void;
  /**
   * Worker pool from {@link createScanPool}: bands of rows are multiplied in its workers (the result is the
   * same to the last bit). Default: this thread.
   */
  pool?: ScanPool;
}

/** Bands of rows the pooled GRM is split into: load balance for up to four workers, each decoding every SNP. */
const POOL_BANDS = 4;

/**
 * Computes a relationship matrix from genotypes with missing calls mean-imputed, accumulating X Xᵀ block by block
 * with the packed 4×4 kernel (1000 × 10000 takes a few seconds on one core).
 *
 * @example
 * ```ts
 * const K = await computeGrm(genotypes); // GEMMA -gk 1
 * K.values[0]; // K[0, 0]
 * ```
 */
export async function computeGrm(g: GenotypeMatrix, options: GrmOptions = {}): Promise<Kinship> {
  const { sum, diag, nSnps, n } = await accumulateGrm(g, options);
  if (nSnps === 0) throw new InvalidArgumentError("SNP selection", 0, "at least one SNP passing the filters");
  const values = finishGrm(sum, n, nSnps, options.kind ?? "centered", diag);
  const rows = options.rows ?? allRows(g.nIndividuals);
  return { n, values, nSnps, kind: options.kind ?? "centered", ids: Array.from(rows, (i) => g.individuals.iid[i]) };
}

/**
 * Leave-one-chromosome-out relationship matrices: for each chromosome, the matrix from all SNPs not on it.
 * Built from the total and one pass per chromosome (K₋c = (S − S_c) / (m − m_c)), so memory stays at two
 * n × n matrices while each result is yielded.
 *
 * @example
 * ```ts
 * for await (const { chromosome, kinship } of locoGrms(genotypes)) console.log(chromosome, kinship.nSnps);
 * ```
 */
export async function* locoGrms(g: GenotypeMatrix, options: GrmOptions = {}): AsyncGenerator<{ chromosome: string; kinship: Kinship }> {
  const kind = options.kind ?? "centered";
  const total = await accumulateGrm(g, options);
  const rows = options.rows ?? allRows(g.nIndividuals);
  const ids = Array.from(rows, (i) => g.individuals.iid[i]);
  const chromosomes = [...new Set(g.snps.chromosome)];
  const include = options.include;
  for (const chr of chromosomes) {
    const part = await accumulateGrm(g, { ...options, include: (k) => g.snps.chromosome[k] === chr && (!include || include(k)) });
    const m = total.nSnps - part.nSnps;
    if (m === 0) throw new InvalidArgumentError("LOCO chromosome", chr, "SNPs on other chromosomes");
    const sum = total.sum.slice();
    for (let i = 0; i < sum.length; i++) sum[i] -= part.sum[i];
    const diag = total.diag && part.diag ? total.diag.map((v, i) => v - part.diag![i]) : null;
    yield { chromosome: chr, kinship: { n: total.n, values: finishGrm(sum, total.n, m, kind, diag), nSnps: m, kind, ids } };
  }
}

interface GrmSums {
  /** Σ z zᵀ (upper triangle filled, then mirrored). */
  sum: Float64Array;
  /** GCTA diagonal numerators Σ (x² − (1+2p)x + 2p²)/(2p(1−p)), when kind is "gcta". */
  diag: Float64Array | null;
  nSnps: number;
  n: number;
}

async function accumulateGrm(g: GenotypeMatrix, options: GrmOptions): Promise<GrmSums> {
  // Small matrices stay here: bands would not pay for their start-up.
  if (options.pool && !options.pool.serial && (options.rows?.length ?? g.nIndividuals) >= 256) return accumulateInPool(g, options, options.pool);
  const kind = options.kind ?? "centered";
  const rows = options.rows ?? allRows(g.nIndividuals);
  const n = rows.length;
  const minMaf = options.minMaf ?? 0.01, maxMissing = options.maxMissing ?? 0.05;
  const B = options.blockSize ?? 256;
  const m = g.nSnps;
  const block = new Float64Array(B * n);
  const z = new Float64Array(B * n);
  const packed = new Float64Array(panelCount(n) * 4 * B);
  const af = new Float64Array(B), miss = new Int32Array(B);
  const sum = new Float64Array(n * n);
  const diag = kind === "gcta" ? new Float64Array(n) : null;
  let used = 0;
  for (let start = 0; start < m; start += B) {
    if (options.signal?.aborted) throw new AbortedError("GRM computation");
    const count = Math.min(B, m - start);
    g.read(start, count, block, rows);
    meanImpute(block, count, n, af, miss);
    const include = options.include;
    const filled = appendStandardised({ block, count, n, af, miss, kind, minMaf, maxMissing, z, diag, include: include && ((k) => include(start + k)) });
    used += filled;
    if (filled > 0) {
      // Individuals × kept SNPs, packed as 4-row panels straight from the SNP-major columns.
      packColumns(z, n, 0, n, filled, packed);
      syrkPacked(packed, n, filled, sum);
    }
    options.onProgress?.(start + count, m);
    if ((start / B) % 8 === 7) await new Promise((r) => setTimeout(r, 0));
  }
  return { sum, diag, nSnps: used, n };
}

// The same sums with bands of rows in pool workers, assembled here.
async function accumulateInPool(g: GenotypeMatrix, options: GrmOptions, pool: ScanPool): Promise<GrmSums> {
  const rows = options.rows ?? allRows(g.nIndividuals);
  const n = rows.length;
  const m = g.nSnps;
  const include = options.include;
  const included = include ? Uint8Array.from({ length: m }, (_, k) => (include(k) ? 1 : 0)) : null;
  const shared: GrmShared = {
    genotypes: genotypeSource(g), rows, included, kind: options.kind ?? "centered",
    minMaf: options.minMaf ?? 0.01, maxMissing: options.maxMissing ?? 0.05, blockSize: options.blockSize ?? 256,
  };
  const onProgress = options.onProgress;
  const parts = await pool.run("grmBand", grmBands(n, POOL_BANDS), {
    shared, signal: options.signal, chunkSize: 1,
    label: (b) => `relationship matrix rows ${4 * b[0]}..${Math.min(n, 4 * b[1]) - 1}`,
    onProgress: onProgress && ((_done, _total, fraction) => onProgress(Math.round(fraction * m), m)),
  });
  const sum = new Float64Array(n * n);
  for (const part of parts) {
    const r0 = 4 * part.panels[0], tail = n - r0;
    for (let r = 0; r * tail < part.sum.length; r++) sum.set(part.sum.subarray(r * tail, (r + 1) * tail), (r0 + r) * n + r0);
  }
  return { sum, diag: parts[0].diag, nSnps: parts[0].nSnps, n };
}

function finishGrm(sum: Float64Array, n: number, m: number, kind: GrmKind, diagIn: Float64Array | null): Float64Array {
  mirrorUpper(sum, n);
  const inv = 1 / m;
  for (let i = 0; i < sum.length; i++) sum[i] *= inv;
  if (kind === "gcta" && diagIn) for (let i = 0; i < n; i++) sum[i * n + i] = 1 + diagIn[i] * inv;
  return sum;
}
