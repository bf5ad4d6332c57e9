import type { FitOptions } from "./fit.js";
import { optimizeTheta } from "./fit.js";
import type { Fitter } from "./Fitter.js";
import { SINGULAR_TOLERANCE } from "./convergence.js";
import { varCorrTerms, type VarCorrTerm } from "../model/varcorr.js";

/** The numbers of one fit without the model object: what fitting thousands of responses keeps. */
export interface FitSummary {
  theta: Float64Array;
  beta: Float64Array;
  /** Standard errors of β̂. */
  se: Float64Array;
  sigma: number;
  objective: number;
  logLik: number;
  AIC: number;
  BIC: number;
  varcorr: VarCorrTerm[];
  singular: boolean;
  /** The optimiser's own convergence test (derivative checks are not run on this path). */
  converged: boolean;
  evaluations: number;
}

/**
 * Fits one response with a reusable Fitter and returns the numbers only. The fitter's design
 * (frame, Z'Z, patterns, storage) is shared by every response: nothing is rebuilt or reallocated
 * but the response's row of A. Use it to fit many features on one design.
 *
 * @example
 * ```ts
 * const design = buildLmmDesign("f1 ~ 1 + (1 | patient) + (1 | batch)", data);
 * const fitter = new Fitter(design, design.frame.y!, true);
 * const results = features.map((y) => fitResponse(fitter, y));
 * ```
 */
export function fitResponse(fitter: Fitter, y: Float64Array, options: FitOptions = {}): FitSummary {
  fitter.setResponse(y);
  const { theta, info } = optimizeTheta(fitter, options);
  const objective = fitter.objective(theta);
  const beta = fitter.beta();
  const sigma2 = fitter.sigma2();
  const sigma = Math.sqrt(sigma2);
  const v = fitter.vcovUnscaled();
  const p = beta.length;
  const se = new Float64Array(p);
  for (let j = 0; j < p; j++) se[j] = Math.sqrt(sigma2 * v[j * p + j]);
  const layout = fitter.design.theta;
  const dof = p + theta.length + 1;
  return {
    theta,
    beta,
    se,
    sigma,
    objective,
    logLik: -objective / 2,
    AIC: objective + 2 * dof,
    BIC: objective + dof * Math.log(fitter.n),
    varcorr: varCorrTerms(layout, sigma),
    singular: theta.some((t, i) => layout.lower[i] === 0 && t < SINGULAR_TOLERANCE),
    converged: info.converged,
    evaluations: info.evaluations,
  };
}
