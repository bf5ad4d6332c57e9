import type { GenotypeMatrix } from "../genotypes/types.js";
import { computeGrm, type Kinship } from "../grm/grm.js";
import { principalComponents, type PrincipalComponents } from "../grm/pca.js";
import { lmmScan, type LmmScanResult } from "../lmm/lmmScan.js";
import type { ScanPool } from "../lmm/scanPool.js";
import { analysedRows } from "../lmm/prepare.js";
import { linearScan, type LinearScanResult } from "../regression/linearScan.js";
import { countHits, genomicControl } from "./genomicControl.js";

/** Options of {@link compareMethods}. */
export interface CompareOptions {
  genotypes: GenotypeMatrix;
  phenotype: ArrayLike<number>;
  covariates?: ArrayLike<number>[];
  intercept?: boolean;
  /** Principal components for the PC regression (default 10). */
  nPcs?: number;
  /** Matrix the PCs come from: plink2's variance-standardised GRM (default) or GEMMA's centred GRM. */
  pcSource?: "standardized" | "centered";
  /** Relationship matrix for the LMM (default: GEMMA's centred GRM). */
  kinship?: Kinship;
  /** LMM variant (default exact). */
  mode?: "exact" | "approximate";
  /** Significance thresholds for counting hits (default genome-wide 5e-8 and Bonferroni 0.05/m). */
  thresholds?: number[];
  minMaf?: number;
  maxMissing?: number;
  pool?: ScanPool;
  signal?: AbortSignal;
  onProgress?: (stage: string, done: number, total: number) => void;
}

/** One method's summary: genomic control and hit counts at each threshold. */
export interface MethodSummary {
  method: string;
  /** Which p-value column (e.g. "p_wald"). */
  test: string;
  lambdaGC: number;
  hits: number[];
  nTested: number;
}

/** Everything {@link compareMethods} computed, with a side-by-side summary. */
export interface Comparison {
  thresholds: number[];
  summary: MethodSummary[];
  naive: LinearScanResult;
  pcRegression: LinearScanResult;
  pcs: PrincipalComponents;
  lmm: LmmScanResult;
}

/**
 * Runs, on the same data and SNPs: naive regression (y ~ covariates + SNP), regression on the top principal
 * components (y ~ covariates + PC1..PCk + SNP, PCs of the standardised GRM as plink2 `--pca`), and the LMM
 * scan (Wald, LRT and score); reports λGC and hit counts side by side ({@link comparisonTable} prints them).
 *
 * @example
 * ```ts
 * const cmp = await compareMethods({ genotypes: g, phenotype: y, covariates: [sex] });
 * console.log(comparisonTable(cmp));
 * ```
 */
export async function compareMethods(options: CompareOptions): Promise<Comparison> {
  const g = options.genotypes;
  const covariates = options.covariates ?? [];
  const rows = analysedRows(options.phenotype, covariates, g.nIndividuals);
  const common = { genotypes: g, phenotype: options.phenotype, covariates, intercept: options.intercept, minMaf: options.minMaf, maxMissing: options.maxMissing, signal: options.signal };
  const naive = linearScan({ ...common, rows });
  options.onProgress?.("naive", 1, 1);
  const pcKinship = await computeGrm(g, { kind: options.pcSource ?? "standardized", rows, minMaf: options.minMaf, maxMissing: options.maxMissing, signal: options.signal });
  const pcs = await principalComponents(g, { k: options.nPcs ?? 10, kinship: pcKinship });
  const pcRegression = linearScan({ ...common, rows, analysedCovariates: pcs.vectors });
  options.onProgress?.("pc", 1, 1);
  const lmm = await lmmScan({
    ...common, kinship: options.kinship, mode: options.mode, pool: options.pool,
    onProgress: (d, t) => options.onProgress?.("lmm", d, t),
  });
  const m = lmm.snpIndex.length;
  const thresholds = options.thresholds ?? [5e-8, 0.05 / Math.max(1, m)];
  const summarise = (method: string, test: string, p: Float64Array): MethodSummary => ({
    method, test, lambdaGC: genomicControl(p), hits: thresholds.map((t) => countHits(p, t)), nTested: p.length,
  });
  const k = pcs.vectors.length;
  const summary = [
    summarise("naive regression", "p", naive.p),
    summarise(`regression on ${k} PCs`, "p", pcRegression.p),
    summarise(`LMM (${lmm.mode})`, "p_wald", lmm.pWald),
    summarise(`LMM (${lmm.mode})`, "p_lrt", lmm.pLrt),
    summarise(`LMM (${lmm.mode})`, "p_score", lmm.pScore),
  ];
  return { thresholds, summary, naive, pcRegression, pcs, lmm };
}

/**
 * The side-by-side summary as aligned plain text (method, test, λGC, hits per threshold).
 *
 * @example
 * ```ts
 * console.log(comparisonTable(await compareMethods(options)));
 * ```
 */
export function comparisonTable(cmp: Pick<Comparison, "thresholds" | "summary">): string {
  const head = ["method", "test", "lambda_GC", ...cmp.thresholds.map((t) => `hits p<${t.toExponential(1)}`), "SNPs"];
  const rows = cmp.summary.map((s) => [s.method, s.test, s.lambdaGC.toFixed(3), ...s.hits.map(String), String(s.nTested)]);
  const width = head.map((h, j) => Math.max(h.length, ...rows.map((r) => r[j].length)));
  const line = (r: string[]) => r.map((v, j) => (j < 2 ? v.padEnd(width[j]) : v.padStart(width[j]))).join("  ");
  return [line(head), ...rows.map(line)].join("\n");
}
