import { bootstrapSync, InvalidArgumentError, type LinearMixedModel, type ModelStructure } from "@lmm/core";
import { describeTerms, sdcorCovariances } from "./covariance.js";
import { decomposeTerms, decomposeVariance } from "./decompose.js";
import type { DecompositionOptions, VarianceInterval, VarianceDecomposition } from "./types.js";

/** Options of a bootstrap. */
export interface VarianceBootstrapOptions {
  /** Number of replicates. */
  n: number;
  /** Coverage of the percentile intervals (default 0.95). */
  level?: number;
  /** Seed of the simulated responses (default 1). */
  seed?: number;
}

/** Checks bootstrap options and fills in the defaults. */
export function bootstrapSettings(options: VarianceBootstrapOptions): Required<VarianceBootstrapOptions> {
  if (!(Number.isInteger(options.n) && options.n >= 2)) throw new InvalidArgumentError("bootstrap.n", options.n, "a whole number ≥ 2");
  const level = options.level ?? 0.95;
  if (!(level > 0 && level < 1)) throw new InvalidArgumentError("bootstrap.level", level, "a number between 0 and 1");
  return { n: options.n, level, seed: options.seed ?? 1 };
}

/** Parameter estimates of bootstrap replicates on θ's scale, replicate-major (what `fitEach` returns per feature). */
export interface ParameterReplicates {
  n: number;
  /** n × length(θ). */
  theta: Float64Array;
  /** n × p. */
  beta: Float64Array;
  sigma: Float64Array;
  converged: number;
  /** With a dispersion formula, each replicate's pooled residual variance (null or absent otherwise). */
  residual?: Float64Array | null;
}

/**
 * Decompositions of a fitted model's parametric-bootstrap replicates, from the core's `bootstrap`
 * (lme4's `bootMer`: refit k simulates from `Rng.stream(seed, k)`, refits from θ̂; sds, correlations,
 * σ and β per refit). Refits that failed (NaN parameters) are left out.
 */
export function modelReplicates(model: LinearMixedModel, options: Required<VarianceBootstrapOptions>, decomposition: DecompositionOptions): { decompositions: VarianceDecomposition[]; converged: number } {
  const boot = bootstrapSync(model, options.n, { seed: options.seed });
  const terms = model.structure.randomTerms();
  const nv = model.theta.length + 1;
  const decompositions: VarianceDecomposition[] = [];
  let converged = 0;
  for (let b = 0; b < boot.n; b++) {
    const values = boot.parameters.map((name) => boot.table[name][b]);
    if (values.some(Number.isNaN)) continue;
    const sdcor = values.slice(0, nv);
    const described = describeTerms(model.structure, sdcorCovariances(terms, sdcor));
    decompositions.push(decomposeTerms(model.structure, described, values.slice(nv), sdcor[nv - 1], false, decomposition));
    if (boot.converged[b]) converged++;
  }
  return { decompositions, converged };
}

/** The decomposition of every replicate fitted by `fitEach` (θ, β, σ per replicate). */
export function replicateDecompositions(structure: ModelStructure, replicates: ParameterReplicates, options: DecompositionOptions): VarianceDecomposition[] {
  const nt = replicates.theta.length / replicates.n, p = replicates.beta.length / replicates.n;
  return Array.from({ length: replicates.n }, (_, b) => {
    const theta = replicates.theta.subarray(b * nt, (b + 1) * nt), beta = replicates.beta.subarray(b * p, (b + 1) * p), sigma = replicates.sigma[b];
    // With a dispersion formula the random-effect variances scale with the reference level's σ and the
    // residual counts pooled over the levels (the replicates keep no per-level breakdown).
    const pooled = replicates.residual ? { levels: [], counts: new Int32Array(0), sd: new Float64Array(0), pooledVariance: replicates.residual[b] } : null;
    return decomposeVariance({ structure, theta, beta, sigma, dispersion: pooled }, options);
  });
}

/** The estimate with percentile intervals from its replicates' decompositions. */
export function withIntervals(estimate: VarianceDecomposition, replicates: readonly VarianceDecomposition[], level: number, converged: number, requested = replicates.length): VarianceDecomposition {
  const interval = (values: number[]): VarianceInterval => percentile(values, level);
  const components = estimate.components.map((c, i) => ({
    ...c,
    varianceInterval: interval(replicates.map((r) => r.components[i].variance)),
    fractionInterval: interval(replicates.map((r) => r.components[i].fraction)),
  }));
  const icc = {
    ...estimate.icc,
    adjustedInterval: interval(replicates.map((r) => r.icc.adjusted)),
    conditionalInterval: interval(replicates.map((r) => r.icc.conditional)),
  };
  const ratio = estimate.ratio ? { ...estimate.ratio, interval: interval(replicates.map((r) => r.ratio!.value)) } : null;
  const warnings = [...estimate.warnings];
  if (replicates.length < requested) warnings.push(`${requested - replicates.length} of ${requested} bootstrap refits failed and were left out`);
  if (converged < replicates.length) warnings.push(`${replicates.length - converged} of ${replicates.length} bootstrap refits stopped before the optimiser converged`);
  return { ...estimate, components, icc, ratio, warnings, replicates: replicates.length };
}

/** Equal-tailed percentile interval (R's quantile type 7) over the finite values. */
export function percentile(values: readonly number[], level: number): VarianceInterval {
  const sorted = values.filter(Number.isFinite).sort((a, b) => a - b);
  if (sorted.length === 0) return { low: NaN, high: NaN };
  const q = (p: number) => {
    const h = (sorted.length - 1) * p;
    const lo = Math.floor(h);
    return sorted[lo] + (h - lo) * ((sorted[Math.min(lo + 1, sorted.length - 1)] ?? sorted[lo]) - sorted[lo]);
  };
  const tail = (1 - level) / 2;
  return { low: q(tail), high: q(1 - tail) };
}
