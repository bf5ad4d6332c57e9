import { InvalidArgumentError, type LinearMixedModel } from "@lmm/core";
import { bootstrapSettings, modelReplicates, withIntervals, type VarianceBootstrapOptions } from "./bootstrap.js";
import { decomposeVariance } from "./decompose.js";
import type { DecompositionOptions, VarianceDecomposition } from "./types.js";

/** Options of {@link varianceDecomposition}. */
export interface VarianceDecompositionOptions extends DecompositionOptions {
  /** Percentile intervals from the core's parametric bootstrap (simulate from the fit, refit; run in this thread). */
  bootstrap?: VarianceBootstrapOptions;
}

/**
 * The variance decomposition of a fitted model: each component's variance and fraction
 * (variancePartition), the ICCs (`performance::icc`), the batch-to-signal ratio for named
 * components, and on request bootstrap intervals for all of them.
 *
 * @example
 * ```ts
 * const m = lmm("y ~ grade + (1|patient) + (1|batch)", data);
 * const d = varianceDecomposition(m, { ratio: { batch: ["batch"], signal: ["patient"] }, bootstrap: { n: 200 } });
 * d.components.map((c) => [c.name, c.fraction, c.fractionInterval]);
 * ```
 */
export function varianceDecomposition(model: LinearMixedModel, options: VarianceDecompositionOptions = {}): VarianceDecomposition {
  const estimate = decomposeVariance({ structure: model.structure, theta: model.theta, beta: model.beta, sigma: model.sigma, dispersion: model.dispersion }, options);
  if (!options.bootstrap) return estimate;
  // The core's bootstrap keeps θ, σ and β per replicate, not δ: the pooled residual of a dispersion model is not there.
  if (model.dispersion) throw new InvalidArgumentError("bootstrap", "a model with a dispersion formula", "a model without one (for per-level residuals use varpart's bootstrap, which refits δ)");
  const settings = bootstrapSettings(options.bootstrap);
  const { decompositions, converged } = modelReplicates(model, settings, options);
  return withIntervals(estimate, decompositions, settings.level, converged, settings.n);
}
