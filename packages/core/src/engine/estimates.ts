import { SINGULAR_TOLERANCE } from "./convergence.js";
import type { Fitter, FitterDesign } from "./Fitter.js";

/**
 * Every number of a fit at θ̂ that is read off the factor, computed once: what a model wraps, what
 * many-response refits and case deletion keep. Plain data (it travels between threads).
 */
export interface Estimates {
  theta: Float64Array;
  /** The optimised criterion: REML criterion for REML fits, deviance for ML fits. */
  objective: number;
  /** log det(L_Z)², log det(R_X)² and the penalised (weighted) RSS of the factor at θ̂. */
  logdetZ: number;
  logdetX: number;
  pwrss: number;
  beta: Float64Array;
  sigma: number;
  /** (R_X'R_X)⁻¹, row-major p × p: Var(β̂) = σ² times this. */
  vcovUnscaled: Float64Array;
  /** Standard errors of β̂: √(σ² (R_X'R_X)⁻¹_jj). */
  se: Float64Array;
  /** Number of parameters: fixed effects, θ and σ. */
  dof: number;
  logLik: number;
  AIC: number;
  BIC: number;
  /** −2 × the ML log-likelihood at the estimates (for ML fits, the objective). */
  deviance: number;
  /** A diagonal θ below 1e-4 (lme4's `isSingular`). */
  singular: boolean;
  /** δ per level of the dispersion factor (the reference's 1; null without a dispersion formula): residual sd of level g is σδ_g. */
  delta: Float64Array | null;
}

/**
 * The numbers at θ, from the blocked factor (`"blocked"`, default: what `lmm` reports, as lme4) or
 * from whichever factor the optimiser used last (`"evaluated"`: the cheaper two-block factor with
 * several grouping factors; for refits that keep only these numbers). Leaves the fitter factored at θ.
 */
export function estimatesAt(fitter: Fitter<FitterDesign>, theta: ArrayLike<number>, factor: "blocked" | "evaluated" = "blocked"): Estimates {
  if (factor === "blocked") fitter.factorAt(theta);
  else fitter.evaluate(theta);
  const { objective, logdetZ, logdetX, pwrss } = fitter.parts();
  const beta = fitter.beta();
  const sigma = Math.sqrt(fitter.sigma2());
  const vcovUnscaled = fitter.vcovUnscaled();
  const p = beta.length, n = fitter.n, s2 = sigma * sigma;
  const se = new Float64Array(p);
  for (let j = 0; j < p; j++) se[j] = Math.sqrt(vcovUnscaled[j * p + j] * s2);
  const dispersion = fitter.design.dispersion;
  const delta = dispersion && dispersion.levels.length > 1 ? (fitter.dispersed?.delta() ?? Float64Array.from(dispersion.delta)) : null;
  // Each δ after the reference's is a parameter (nlme counts them so).
  const dof = p + theta.length + 1 + (delta ? delta.length - 1 : 0);
  const { lower } = fitter.design.theta;
  let singular = false;
  for (let i = 0; i < theta.length; i++) if (lower[i] === 0 && theta[i] < SINGULAR_TOLERANCE) singular = true;
  return {
    theta: Float64Array.from(theta),
    objective,
    logdetZ,
    logdetX,
    pwrss,
    beta,
    sigma,
    vcovUnscaled,
    se,
    dof,
    logLik: -objective / 2,
    AIC: objective + 2 * dof,
    BIC: objective + dof * Math.log(n),
    deviance: logdetZ - fitter.logDetWeights + n * (1 + Math.log((2 * Math.PI * pwrss) / n)),
    singular,
    delta,
  };
}
