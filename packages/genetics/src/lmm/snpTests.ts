import { pchisqUpper, pfUpper } from "@lmm/core/numerics";
import { calcLambda, GEMMA_SEARCH, type LambdaCriterion, type LambdaSearch } from "./calcLambda.js";
import type { LambdaObjective } from "./objective.js";
import type { NullModel } from "./nullModel.js";

/** Per-SNP results in GEMMA's `-lmm 4` columns. */
export interface SnpTestResult {
  beta: number;
  se: number;
  /** ML log-likelihood with the SNP (GEMMA's logl_H1). */
  logLikH1: number;
  lambdaReml: number;
  lambdaMl: number;
  pWald: number;
  pLrt: number;
  pScore: number;
}

/** Values of the bulk grid evaluation for one SNP (see scanBlock), to skip the 11 grid evaluations per criterion. */
export interface GridValues {
  remlDev1: ArrayLike<number>;
  mlDev1: ArrayLike<number>;
  remlEnds: [number, number];
  mlEnds: [number, number];
}

/**
 * GEMMA's `-lmm 4` tests for one SNP already set on `obj` (the alternative-model objective):
 * score test at the null ML λ, Wald test at the per-SNP REML λ, likelihood-ratio test at the per-SNP ML λ.
 * Wald and score use F(1, n − c − 1); LRT uses χ²₁ of 2(logL₁ − logL₀).
 *
 * @example
 * ```ts
 * obj.setSnp(rotatedX, 0, base);
 * const r = exactSnpTests(obj, nullModel); // { beta, se, pWald, pLrt, pScore, ... }
 * ```
 */
export function exactSnpTests(obj: LambdaObjective, nm: Pick<NullModel, "lambdaMl" | "logLikMl">, grid?: GridValues, search: LambdaSearch = GEMMA_SEARCH): SnpTestResult {
  const df = obj.n - obj.c - 1;
  const score = obj.covariateLevel(nm.lambdaMl);
  const pScore = pfUpper((obj.n * score.Pxy * score.Pxy) / (score.Pyy * score.Pxx), 1, df);
  const reml = calcLambda(criterion(obj, true), search, grid?.remlDev1, grid?.remlEnds);
  let beta = score.Pxy / score.Pxx;
  let se = Math.sqrt(1 / ((df / score.Pxyy) * score.Pxx));
  let pWald = NaN;
  if (!Number.isNaN(reml.logf)) {
    const w = obj.covariateLevel(reml.lambda);
    beta = w.Pxy / w.Pxx;
    const tau = df / w.Pxyy;
    se = Math.sqrt(1 / (tau * w.Pxx));
    pWald = pfUpper((w.Pyy - w.Pxyy) * tau, 1, df);
  }
  const ml = calcLambda(criterion(obj, false), search, grid?.mlDev1, grid?.mlEnds);
  const pLrt = Number.isNaN(ml.logf) ? NaN : pchisqUpper(2 * (ml.logf - nm.logLikMl), 1);
  return { beta, se, logLikH1: ml.logf, lambdaReml: reml.lambda, lambdaMl: ml.lambda, pWald, pLrt, pScore };
}

function criterion(obj: LambdaObjective, reml: boolean): LambdaCriterion {
  return {
    f: (l) => (reml ? obj.logRL(l) : obj.logL(l)),
    dev1: (l) => obj.dev1(reml, l),
    dev12: (l) => obj.dev12(reml, l),
  };
}
