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
 * approximate mode). Tests not requested are written as `NA`.
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
      formatE(r.beta[p]), formatE(r.se[p]), formatE(r.lambdaReml[p]),
      want.wald ? formatE(r.pWald[p]) : "NA", want.lrt ? formatE(r.pLrt[p]) : "NA", want.score ? formatE(r.pScore[p]) : "NA",
    ].join("\t");
  }
}
