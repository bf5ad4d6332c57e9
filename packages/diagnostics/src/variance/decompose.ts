import { InvalidArgumentError } from "@lmm/core";
import { termCovariances, type TermCovariance } from "./covariance.js";
import type { ModelStructure } from "@lmm/core";
import { fixedVariance } from "./fixed.js";
import type { DecompositionOptions, FitParameters, VarianceComponent, VarianceDecomposition } from "./types.js";

/** lme4's singularity tolerance on θ's diagonal (isSingular, tol = 1e-4). */
const SINGULAR = 1e-4;

/**
 * Decomposes the variance of one fit.
 *
 * Fractions (variancePartition, Hoffman & Schadt 2016): every random-effect variance (each column
 * of each lme4 term: `VarCorr`'s diagonal), the residual variance σ², and with `fixed: true` each
 * fixed term's share of var(Xβ) (see `fixedVariance`), each divided by their sum. With a dispersion
 * formula the residual variance is pooled over its levels, Σ n_g (σδ_g)² / n, and `residualLevels`
 * breaks it down by level.
 *
 * ICC (`performance::icc`, Nakagawa, Johnson & Schielzeth 2017): σ²_random = Σ over terms of the
 * mean of z_i'Σz_i (for random intercepts, their variances); adjusted = σ²_random / (σ²_random +
 * σ²); conditional = σ²_random / (σ²_fixed + σ²_random + σ²) with σ²_fixed the sample variance
 * of Xβ (as `insight::get_variance`).
 *
 * @example
 * ```ts
 * const d = decomposeVariance({ structure: m.structure, theta: m.theta, beta: m.beta, sigma: m.sigma }, { ratio: { batch: ["batch"], signal: ["patient"] } });
 * d.components; // [{ name: "patient", variance, fraction }, …, { name: "Residual", … }]
 * ```
 */
export function decomposeVariance(fit: FitParameters, options: DecompositionOptions = {}): VarianceDecomposition {
  const singular = fit.structure.thetaLower.some((l, i) => l === 0 && fit.theta[i] < SINGULAR);
  const d = decomposeTerms(fit.structure, termCovariances(fit.structure, fit.theta, fit.sigma), fit.beta, fit.dispersion ? Math.sqrt(fit.dispersion.pooledVariance) : fit.sigma, singular, options);
  const dispersion = fit.dispersion;
  if (!dispersion) return d;
  const n = dispersion.counts.reduce((s, c) => s + c, 0);
  const residualLevels = dispersion.levels.map((level, g) => {
    const variance = dispersion.sd[g] * dispersion.sd[g];
    return { level, sd: dispersion.sd[g], variance, fraction: (dispersion.counts[g] * variance) / n / d.total };
  });
  return { ...d, residualLevels };
}

/** The decomposition from each term's covariance (what bootstrap replicates on the sdcor scale give). */
export function decomposeTerms(structure: ModelStructure, terms: readonly TermCovariance[], beta: ArrayLike<number>, sigma: number, singular: boolean, options: DecompositionOptions): VarianceDecomposition {
  // `sigma` is the residual sd the decomposition counts (pooled over dispersion levels by the caller).
  const components: Omit<VarianceComponent, "fraction">[] = [];
  const used = new Set<string>();
  let slopes = false;
  for (const t of terms) {
    t.columns.forEach((column, r) => {
      if (column !== "(Intercept)") slopes = true;
      let name = column === "(Intercept)" ? t.group : `${t.group}.${column}`;
      if (used.has(name)) name = `${t.name}.${column}`;
      used.add(name);
      components.push({ name, kind: "random", group: t.group, term: column, variance: t.covariance[r * t.columns.length + r] });
    });
  }
  const fixed = fixedVariance(structure, beta);
  if (options.fixed) for (const f of fixed.terms) components.push({ name: uniqueName(f.term, used), kind: "fixed", group: f.term, term: null, variance: f.variance });
  const residual = sigma * sigma;
  components.push({ name: uniqueName("Residual", used), kind: "residual", group: null, term: null, variance: residual });
  const total = components.reduce((s, c) => s + c.variance, 0);
  const withFractions: VarianceComponent[] = components.map((c) => ({ ...c, fraction: total > 0 ? c.variance / total : NaN }));

  const random = terms.reduce((s, t) => s + t.responseVariance, 0);
  const icc = { adjusted: random / (random + residual), conditional: random / (fixed.sample + random + residual) };
  const warnings: string[] = [];
  if (slopes) warnings.push("random slopes: their fractions are variances of the slopes (variancePartition's convention, not shares of the response variance); the ICC uses the mean of z'Σz over the observations (Nakagawa et al. 2017)");
  if (singular) warnings.push("singular fit: a variance component is estimated at (or near) zero");
  return { components: withFractions, total, icc, ratio: options.ratio ? varianceRatio(withFractions, options.ratio) : null, singular, warnings, replicates: 0, residualLevels: null };
}

function uniqueName(name: string, used: Set<string>): string {
  let out = name;
  while (used.has(out)) out = `${out}.`;
  used.add(out);
  return out;
}

/**
 * ρ = Σ σ²(batch components) / Σ σ²(signal components), by component name.
 *
 * @example
 * ```ts
 * varianceRatio(d.components, { batch: ["batch", "reader"], signal: ["patient"] }).value;
 * ```
 */
export function varianceRatio(components: readonly VarianceComponent[], names: { batch: readonly string[]; signal: readonly string[] }) {
  const find = (role: "batch" | "signal", list: readonly string[]) => {
    if (!Array.isArray(list) || list.length === 0) throw new InvalidArgumentError(`ratio.${role}`, list, "at least one component name");
    return list.reduce((s, name) => {
      const c = components.find((x) => x.name === name);
      if (!c) throw new InvalidArgumentError(`ratio.${role}`, name, `one of the components ${components.map((x) => JSON.stringify(x.name)).join(", ")}`);
      return s + c.variance;
    }, 0);
  };
  const batch = find("batch", names.batch);
  const signal = find("signal", names.signal);
  return { batch: [...names.batch], signal: [...names.signal], value: batch / signal };
}
