import { AbortedError, InvalidArgumentError } from "@lmm/core/errors";
import type { GenotypeMatrix } from "../genotypes/types.js";
import { genotypeSource } from "../genotypes/source.js";
import { computeGrm, type Kinship } from "../grm/grm.js";
import { GEMMA_SEARCH, type LambdaSearch } from "./calcLambda.js";
import { checkNullModel, checkScanInputs } from "./degenerate.js";
import { fitNullModel, type NullModel } from "./nullModel.js";
import { analysedRows, centerMatrix, covariateColumns, kinshipEigen, rotateColumns, subsetKinship } from "./prepare.js";
import type { ScanSetup, SnpBlockResult } from "./scanKernel.js";
import { scanSnps, type ScanBlockOutput, type ScanShared } from "./scanTask.js";
import { loadScanModules, type ScanPool } from "./scanPool.js";

/** Options of {@link lmmScan}. */
export interface LmmScanOptions {
  genotypes: GenotypeMatrix;
  /** Phenotype per individual of `genotypes` (file order); NaN = missing (the individual is dropped). */
  phenotype: ArrayLike<number>;
  /** Covariate columns per individual (file order); NaN = missing (dropped). */
  covariates?: ArrayLike<number>[];
  /** Prepend an intercept column to the covariates (default true; GEMMA users put it in their -c file). */
  intercept?: boolean;
  /** Relationship matrix over all individuals in file order (default: GEMMA's centred GRM of the analysed individuals). */
  kinship?: Kinship;
  /** "exact" (GEMMA -lmm 4, λ per SNP; default) or "approximate" (λ fixed at the null estimate: EMMAX/P3D). */
  mode?: "exact" | "approximate";
  /** Indices of the SNPs to test (default all). */
  snps?: ArrayLike<number>;
  /** GEMMA's SNP filters (defaults 0.01 and 0.05). */
  minMaf?: number;
  maxMissing?: number;
  search?: LambdaSearch;
  /** SNPs per block (default 256). */
  blockSize?: number;
  /** Worker pool from {@link createScanPool} for the scan and, when none is given, the kinship (default: this thread). */
  pool?: ScanPool;
  /** Names of the phenotype and covariates for messages (default "phenotype", "covariate 1" …). */
  names?: { phenotype?: string; covariates?: string[] };
  signal?: AbortSignal;
  /** Called as SNPs are tested: `done` of `total`. */
  onProgress?: (done: number, total: number) => void;
  /** Called as SNPs are read for the kinship when none is given (the GRM can take as long as the scan). */
  onKinshipProgress?: (done: number, total: number) => void;
}

/** One column per quantity, one entry per tested SNP (in `snpIndex` order). */
export interface LmmScanResult extends SnpBlockResult {
  nullModel: NullModel;
  mode: "exact" | "approximate";
  /** Analysed individuals (indices into the genotype file) and how many were dropped for missing data. */
  rows: Int32Array;
  nDropped: number;
  /** Number of covariates including the intercept (GEMMA's n_cvt). */
  nCovariates: number;
  /** Indices (into the genotype file) of the tested SNPs; SNPs failing the filters are left out, as GEMMA does. */
  snpIndex: Int32Array;
  nFiltered: number;
  /** A1 frequency and number of missing calls over the analysed individuals. */
  af: Float64Array;
  nMissing: Int32Array;
  /** How missing genotypes were handled (mean imputation per SNP over the analysed individuals). */
  imputation: { method: "mean"; missingCalls: number };
  /** Eigenvalues set to zero (below 1e-10), as GEMMA does; one is expected for a centred GRM. */
  zeroEigenvalues: number;
  /** Tested SNPs whose Wald, likelihood-ratio or score test is undefined (NaN), per test. */
  undefinedTests: { wald: number; lrt: number; score: number };
  warnings: string[];
}

/**
 * Genome-wide association scan with a linear mixed model, exactly as GEMMA's `-lmm 4`: one eigen-decomposition
 * of K; then per SNP the REML Wald test, the ML likelihood-ratio test and the score test, with λ re-estimated
 * per SNP by GEMMA's grid + Brent + Newton search (or fixed at the null value with `mode: "approximate"`).
 * Individuals with a missing phenotype or covariate are dropped; missing genotypes are mean-imputed.
 * Inputs that leave no test defined are refused before the scan with a {@link DegenerateScanError} naming
 * the cause: a constant phenotype or one whose variance overflows, a zero, constant or duplicated
 * covariate, a kinship without a null-model estimate. SNPs whose tests are undefined (a genotype collinear
 * with the covariates) are counted in `undefinedTests` and a warning.
 *
 * @example
 * ```ts
 * const res = await lmmScan({ genotypes: g, phenotype: y, covariates: [sex] });
 * res.nullModel.pve; res.pWald[0];
 * ```
 */
export async function lmmScan(options: LmmScanOptions): Promise<LmmScanResult> {
  const g = options.genotypes;
  const covariates = options.covariates ?? [];
  const rows = analysedRows(options.phenotype, covariates, g.nIndividuals);
  const n = rows.length;
  const intercept = options.intercept ?? true;
  const W = covariateColumns(covariates, rows, intercept);
  const c = W.length;
  if (c === 0) throw new InvalidArgumentError("covariates", 0, "at least one column (or intercept: true)");
  if (n <= c + 1) throw new InvalidArgumentError("analysed individuals", n, `more than ${c + 1}`);
  const y = Float64Array.from(rows, (i) => options.phenotype[i]);
  checkScanInputs(y, W, {
    phenotype: options.names?.phenotype ?? "phenotype",
    covariates: covariates.map((_, j) => options.names?.covariates?.[j] ?? `covariate ${j + 1}`),
    intercept,
  });
  const minMaf = options.minMaf ?? 0.01, maxMissing = options.maxMissing ?? 0.05;
  const signal = options.signal;
  const K = options.kinship
    ? subsetKinship(options.kinship, rows, g.nIndividuals)
    : (await computeGrm(g, { rows, kind: "centered", minMaf, maxMissing, signal, onProgress: options.onKinshipProgress, pool: options.pool })).values;
  if (signal?.aborted) throw new AbortedError("LMM scan");
  // The workers load the scan's modules while this thread centres and reduces K (awaited before the scan; an
  // error thrown before then is the one to report).
  const loading = options.pool ? loadScanModules(options.pool) : Promise.resolve();
  loading.catch(() => undefined);
  centerMatrix(K, n);
  const { eigen, traceG, zeroed } = await kinshipEigen(K, n, options.pool);
  const rotatedBase = rotateColumns(eigen.vectors, n, [...W, y]);
  const search = options.search ?? GEMMA_SEARCH;
  const nullModel = fitNullModel({ n, c, s: eigen.values, vectors: rotatedBase }, traceG, search);
  checkNullModel(nullModel, zeroed, n);
  const mode = options.mode ?? "exact";
  const setup: ScanSetup = {
    n, c, eigenvalues: eigen.values, eigenvectors: eigen.vectors, rotatedBase,
    lambdaMl: nullModel.lambdaMl, lambdaReml: nullModel.lambdaReml, logLikMl: nullModel.logLikMl, search, mode,
  };
  const snpList = options.snps ? Int32Array.from(options.snps) : Int32Array.from({ length: g.nSnps }, (_, k) => k);
  for (const k of snpList) if (!(k >= 0 && k < g.nSnps)) throw new InvalidArgumentError("SNP index", k, `0..${g.nSnps - 1}`);
  const shared: ScanShared = { setup, genotypes: genotypeSource(g), rows, minMaf, maxMissing };
  const B = options.blockSize ?? 256;
  const blocks: Int32Array[] = [];
  for (let s = 0; s < snpList.length; s += B) blocks.push(snpList.subarray(s, s + B));
  await loading;
  const outputs = await runBlocks(shared, blocks, options);
  return assemble(g, snpList, outputs, { nullModel, mode, rows, c, zeroed });
}

/** Runs the blocks in the pool if one is given, else inline with progress and abort between blocks. */
async function runBlocks(shared: ScanShared, blocks: Int32Array[], options: LmmScanOptions): Promise<ScanBlockOutput[]> {
  const total = blocks.reduce((a, b) => a + b.length, 0);
  if (options.pool) {
    const sizes = blocks.map((b) => b.length);
    return options.pool.run("lmmBlock", blocks, {
      shared,
      signal: options.signal,
      chunkSize: 1,
      label: (b) => `SNPs ${b[0]}..${b[b.length - 1]}`,
      onProgress: options.onProgress && ((done) => options.onProgress!(sizes.slice(0, done).reduce((a, b) => a + b, 0), total)),
    });
  }
  const out: ScanBlockOutput[] = [];
  let done = 0;
  for (const b of blocks) {
    if (options.signal?.aborted) throw new AbortedError("LMM scan");
    out.push(scanSnps(shared, b));
    done += b.length;
    options.onProgress?.(done, total);
    await new Promise((r) => setTimeout(r, 0));
  }
  return out;
}

function assemble(
  g: GenotypeMatrix, snpList: Int32Array, outputs: ScanBlockOutput[],
  info: { nullModel: NullModel; mode: "exact" | "approximate"; rows: Int32Array; c: number; zeroed: number },
): LmmScanResult {
  const keep: number[] = [];
  const cols = { af: [] as number[], nMissing: [] as number[], beta: [] as number[], se: [] as number[], logLikH1: [] as number[], lambdaReml: [] as number[], lambdaMl: [] as number[], pWald: [] as number[], pLrt: [] as number[], pScore: [] as number[] };
  let pos = 0, missingCalls = 0;
  for (const o of outputs) {
    for (let k = 0; k < o.tested.length; k++, pos++) {
      missingCalls += o.nMissing[k];
      if (!o.tested[k]) continue;
      keep.push(snpList[pos]);
      for (const key of Object.keys(cols) as (keyof typeof cols)[]) cols[key].push(o[key][k]);
    }
  }
  const undefinedTests = { wald: count(cols.pWald), lrt: count(cols.pLrt), score: count(cols.pScore) };
  const warnings: string[] = [];
  const worst = Math.max(undefinedTests.wald, undefinedTests.lrt, undefinedTests.score);
  if (worst > 0) warnings.push(`${worst} of ${keep.length} tested SNPs have an undefined test (Wald ${undefinedTests.wald}, LRT ${undefinedTests.lrt}, score ${undefinedTests.score}; written as NA): a genotype collinear with the covariates`);
  if (info.zeroed > 1) warnings.push(`${info.zeroed} eigenvalues of the kinship matrix are close to zero (GEMMA warns when more than one is)`);
  const f = (a: number[]) => Float64Array.from(a);
  return {
    nullModel: info.nullModel, mode: info.mode, rows: info.rows, nDropped: g.nIndividuals - info.rows.length, nCovariates: info.c,
    snpIndex: Int32Array.from(keep), nFiltered: snpList.length - keep.length,
    af: f(cols.af), nMissing: Int32Array.from(cols.nMissing),
    beta: f(cols.beta), se: f(cols.se), logLikH1: f(cols.logLikH1), lambdaReml: f(cols.lambdaReml), lambdaMl: f(cols.lambdaMl),
    pWald: f(cols.pWald), pLrt: f(cols.pLrt), pScore: f(cols.pScore),
    imputation: { method: "mean", missingCalls }, zeroEigenvalues: info.zeroed, undefinedTests, warnings,
  };
}

function count(p: number[]): number {
  let k = 0;
  for (const v of p) if (Number.isNaN(v)) k++;
  return k;
}
