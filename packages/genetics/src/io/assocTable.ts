import type { GenotypeMatrix } from "../genotypes/types.js";
import type { LmmScanResult } from "../lmm/lmmScan.js";
import { formatE } from "./formatG.js";

/**
 * The columns of the results table, named as GEMMA's `.assoc.txt` names them.
 *
 * @example
 * ```ts
 * ASSOC_COLUMNS.join("\t"); // "rs\tchr\tps\tbeta\tse\tlambda\tp_wald\tp_lrt\tp_score"
 * ```
 */
export const ASSOC_COLUMNS = ["rs", "chr", "ps", "beta", "se", "lambda", "p_wald", "p_lrt", "p_score"] as const;

/**
 * Lines of the tab-separated results table (header first): `rs chr ps beta se lambda p_wald p_lrt p_score`,
 * numbers in GEMMA's `%.6e`. `lambda` is the per-SNP REML λ (GEMMA's l_remle; the fixed null λ in
 * approximate mode). Tests not requested, and values that are undefined for a SNP (NaN, which GEMMA
 * prints as `nan`), are written as `NA`.
 *
 * @example
 * ```ts
 * for (const line of assocLines(g, result)) out.write(line + "\n");
 * ```
 */
export function* assocLines(g: GenotypeMatrix, r: LmmScanResult, tests: { wald?: boolean; lrt?: boolean; score?: boolean } = {}): Generator<string> {
  const want = { wald: tests.wald ?? true, lrt: tests.lrt ?? true, score: tests.score ?? true };
  yield ASSOC_COLUMNS.join("\t");
  for (let p = 0; p < r.snpIndex.length; p++) {
    const k = r.snpIndex[p];
    yield [
      g.snps.id[k], g.snps.chromosome[k], String(g.snps.position[k]),
      number(r.beta[p]), number(r.se[p]), number(r.lambdaReml[p]),
      want.wald ? number(r.pWald[p]) : "NA", want.lrt ? number(r.pLrt[p]) : "NA", want.score ? number(r.pScore[p]) : "NA",
    ].join("\t");
  }
}

function number(x: number): string {
  return Number.isNaN(x) ? "NA" : formatE(x);
}
