import { AbortedError, InvalidArgumentError } from "@lmm/core/errors";
import { pt2 } from "@lmm/core/numerics";
import type { GenotypeMatrix } from "../genotypes/types.js";
import { meanImpute, passesFilter } from "../genotypes/snpStats.js";
import { analysedRows, covariateColumns } from "../lmm/prepare.js";

/** Options of {@link linearScan}. */
export interface LinearScanOptions {
  genotypes: GenotypeMatrix;
  /** Phenotype per individual (file order); NaN = missing. */
  phenotype: ArrayLike<number>;
  /** Covariates per individual (file order); NaN = missing. */
  covariates?: ArrayLike<number>[];
  /** Extra covariates already restricted to the analysed individuals (e.g. principal components). */
  analysedCovariates?: ArrayLike<number>[];
  /** Individuals to analyse (default: those with phenotype and covariates observed). */
  rows?: Int32Array;
  intercept?: boolean;
  snps?: ArrayLike<number>;
  /** SNP filters (defaults GEMMA's 0.01 and 0.05, so that methods compared share their SNPs). */
  minMaf?: number;
  maxMissing?: number;
  signal?: AbortSignal;
}

/** Per-SNP ordinary least squares results, in `snpIndex` order. */
export interface LinearScanResult {
  snpIndex: Int32Array;
  nFiltered: number;
  rows: Int32Array;
  /** Residual degrees of freedom n − c − 1. */
  df: number;
  beta: Float64Array;
  se: Float64Array;
  t: Float64Array;
  p: Float64Array;
}

/**
 * Per-SNP linear regression y ~ covariates + SNP (the model of plink2 `--glm` for a quantitative trait):
 * OLS slope of the SNP, its standard error, t statistic and two-sided p-value on n − c − 1 df. Missing genotypes
 * are mean-imputed. Covariates are projected out once through an orthonormal basis.
 *
 * @example
 * ```ts
 * const naive = linearScan({ genotypes: g, phenotype: y, covariates: [sex] });
 * naive.p[0];
 * ```
 */
export function linearScan(options: LinearScanOptions): LinearScanResult {
  const g = options.genotypes;
  const covariates = options.covariates ?? [];
  const rows = options.rows ?? analysedRows(options.phenotype, covariates, g.nIndividuals);
  const n = rows.length;
  const cols = covariateColumns(covariates, rows, options.intercept ?? true);
  for (const extra of options.analysedCovariates ?? []) {
    if (extra.length !== n) throw new InvalidArgumentError("analysed covariate length", extra.length, `${n}`);
    cols.push(Float64Array.from(extra));
  }
  const Q = orthonormalBasis(cols, n);
  const c = Q.length;
  const df = n - c - 1;
  if (df < 1) throw new InvalidArgumentError("analysed individuals", n, `more than ${c + 1}`);
  const ry = residualise(Float64Array.from(rows, (i) => options.phenotype[i]), Q);
  let yy = 0;
  for (let i = 0; i < n; i++) yy += ry[i] * ry[i];
  const snpList = options.snps ? Int32Array.from(options.snps) : Int32Array.from({ length: g.nSnps }, (_, k) => k);
  const minMaf = options.minMaf ?? 0.01, maxMissing = options.maxMissing ?? 0.05;
  const keep: number[] = [];
  const beta: number[] = [], se: number[] = [], t: number[] = [], p: number[] = [];
  const x = new Float64Array(n);
  const af = new Float64Array(1), miss = new Int32Array(1);
  for (let k = 0; k < snpList.length; k++) {
    if ((k & 1023) === 0 && options.signal?.aborted) throw new AbortedError("linear scan");
    g.read(snpList[k], 1, x, rows);
    meanImpute(x, 1, n, af, miss);
    if (!passesFilter(af[0], miss[0], n, minMaf, maxMissing)) continue;
    const rx = residualise(x, Q);
    let sxx = 0, sxy = 0;
    for (let i = 0; i < n; i++) { sxx += rx[i] * rx[i]; sxy += rx[i] * ry[i]; }
    const b = sxy / sxx;
    const rss = Math.max(0, yy - b * sxy);
    const s = Math.sqrt(rss / df / sxx);
    keep.push(snpList[k]);
    beta.push(b); se.push(s); t.push(b / s); p.push(pt2(b / s, df));
  }
  return {
    snpIndex: Int32Array.from(keep), nFiltered: snpList.length - keep.length, rows, df,
    beta: Float64Array.from(beta), se: Float64Array.from(se), t: Float64Array.from(t), p: Float64Array.from(p),
  };
}

/** Orthonormal basis of the span of the columns (modified Gram–Schmidt, applied twice); drops dependent columns. */
export function orthonormalBasis(columns: Float64Array[], n: number): Float64Array[] {
  const Q: Float64Array[] = [];
  for (const col of columns) {
    const v = Float64Array.from(col);
    const norm0 = Math.sqrt(v.reduce((a, b) => a + b * b, 0));
    for (let pass = 0; pass < 2; pass++) {
      for (const q of Q) {
        let d = 0;
        for (let i = 0; i < n; i++) d += q[i] * v[i];
        for (let i = 0; i < n; i++) v[i] -= d * q[i];
      }
    }
    const norm = Math.sqrt(v.reduce((a, b) => a + b * b, 0));
    if (norm <= 1e-10 * Math.max(norm0, 1e-300)) continue;
    for (let i = 0; i < n; i++) v[i] /= norm;
    Q.push(v);
  }
  return Q;
}

function residualise(x: Float64Array, Q: Float64Array[]): Float64Array {
  const r = Float64Array.from(x);
  const n = r.length;
  for (const q of Q) {
    let d = 0;
    for (let i = 0; i < n; i++) d += q[i] * r[i];
    for (let i = 0; i < n; i++) r[i] -= d * q[i];
  }
  return r;
}
