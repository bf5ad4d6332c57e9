import { calcLambda, GEMMA_SEARCH, type LambdaSearch } from "./calcLambda.js";
import { LambdaObjective, derivatives, type RotatedBase } from "./objective.js";
import { choleskyFactor, choleskySolve, inverseFromFactor } from "@lmm/core/numerics";

/**
 * The model without the SNP, y = Wα + u + ε, u ~ N(0, σ²g K), ε ~ N(0, σ²e I), fitted as GEMMA fits it.
 * Variance components and coefficients are the REML ones (as GEMMA's log reports them); the ML λ is kept for
 * the score test and the ML log-likelihood for the likelihood-ratio test.
 */
export interface NullModel {
  /** REML estimate of λ = σ²g / σ²e. */
  lambdaReml: number;
  /** ML estimate of λ. */
  lambdaMl: number;
  /** REML estimates of σ²g and σ²e. */
  vg: number;
  ve: number;
  /** ML estimates of σ²g and σ²e. */
  vgMl: number;
  veMl: number;
  /** Proportion of variance explained by K: pve = tr(K)/n · λ / (tr(K)/n · λ + 1), and its standard error. */
  pve: number;
  pveSe: number;
  /** Restricted and ordinary log-likelihoods at their maxima. */
  logLikReml: number;
  logLikMl: number;
  /** Covariate coefficients and standard errors (REML). */
  beta: Float64Array;
  betaSe: Float64Array;
  /** tr(K)/n as GEMMA computes it: the mean of the eigenvalues after zeroing those below 1e-10. */
  traceG: number;
}

/**
 * Fits the null model on rotated data (GEMMA's CalcLambda 'L' and 'R', CalcLmmVgVeBeta, CalcPve).
 *
 * @example
 * ```ts
 * const nm = fitNullModel({ n, c, s: eigenvalues, vectors: rotatedCovariatesAndY }, traceG);
 * nm.lambdaReml; nm.pve;
 * ```
 */
export function fitNullModel(base: RotatedBase, traceG: number, search: LambdaSearch = GEMMA_SEARCH): NullModel {
  const obj = new LambdaObjective(base, false);
  const crit = (reml: boolean) => ({
    f: (l: number) => (reml ? obj.logRL(l) : obj.logL(l)),
    dev1: (l: number) => obj.dev1(reml, l),
    dev12: (l: number) => obj.dev12(reml, l),
  });
  const ml = calcLambda(crit(false), search);
  const reml = calcLambda(crit(true), search);
  const remlFit = vgVeBeta(base, reml.lambda);
  const mlFit = vgVeBeta(base, ml.lambda);
  // CalcPve: se(λ) from the REML curvature, by the delta method to pve.
  const e = obj.evaluate(reml.lambda, 3);
  const dev2 = derivatives(base.n, obj.levels, true, reml.lambda, e.proj, e.traceHi, e.traceHiHi, true)[1];
  const seLambda = Math.sqrt(-1 / dev2);
  const tl = traceG * reml.lambda;
  return {
    lambdaReml: reml.lambda,
    lambdaMl: ml.lambda,
    vg: remlFit.vg,
    ve: remlFit.ve,
    vgMl: mlFit.vg,
    veMl: mlFit.ve,
    pve: tl / (tl + 1),
    pveSe: (traceG / ((tl + 1) * (tl + 1))) * seLambda,
    logLikReml: reml.logf,
    logLikMl: ml.logf,
    beta: remlFit.beta,
    betaSe: remlFit.se,
    traceG,
  };
}

/**
 * GEMMA CalcLmmVgVeBeta: GLS coefficients, σ²e = P_yy/(n − c), σ²g = λ σ²e, se from σ²e (WᵀH⁻¹W)⁻¹.
 *
 * @example
 * ```ts
 * const { vg, ve, beta } = vgVeBeta(rotatedBase, 5.8);
 * ```
 */
export function vgVeBeta(base: RotatedBase, lambda: number): { vg: number; ve: number; beta: Float64Array; se: Float64Array } {
  const { n, c, s, vectors } = base;
  const WHW = new Float64Array(c * c);
  const WHy = new Float64Array(c);
  let yHy = 0;
  for (let i = 0; i < n; i++) {
    const h = 1 / (lambda * s[i] + 1);
    const yi = vectors[c * n + i];
    yHy += h * yi * yi;
    for (let a = 0; a < c; a++) {
      const wa = h * vectors[a * n + i];
      WHy[a] += wa * yi;
      for (let b = a; b < c; b++) WHW[a * c + b] += wa * vectors[b * n + i];
    }
  }
  for (let a = 0; a < c; a++) for (let b = 0; b < a; b++) WHW[a * c + b] = WHW[b * c + a];
  // WᵀHW is positive definite for covariates of full rank (degenerate.ts refuses collinear ones first).
  const L = choleskyFactor(WHW, c);
  const beta = L ? choleskySolve(L, c, WHy) : new Float64Array(c).fill(NaN);
  const inverse = L ? inverseFromFactor(L, c) : new Float64Array(c * c).fill(NaN);
  // P_yy at level c: yᵀHy − (WᵀHy)ᵀ β (the same quantity GEMMA's recursion gives).
  let Pyy = yHy;
  for (let a = 0; a < c; a++) Pyy -= WHy[a] * beta[a];
  const ve = Pyy / (n - c);
  const se = new Float64Array(c);
  for (let a = 0; a < c; a++) se[a] = Math.sqrt(ve * inverse[a * c + a]);
  return { vg: ve * lambda, ve, beta, se };
}
