import type { ModelStructure, RandomTerm } from "@lmm/core";

/** One lme4 random-effects term with its covariance matrix. */
export interface TermCovariance {
  /** lme4's label: the grouping factor, `.1`, `.2` … for later terms on the same factor. */
  name: string;
  group: string;
  columns: string[];
  /** Row-major k × k. */
  covariance: Float64Array;
  /** Mean over observations of z_i' Σ z_i (Nakagawa et al. 2017): the term's variance on the response scale. */
  responseVariance: number;
}

/** Each term's covariance σ² T T' from θ (T lower triangular, θ its column-wise lower triangle). */
export function thetaCovariances(terms: readonly RandomTerm[], theta: ArrayLike<number>, sigma: number): Float64Array[] {
  const s2 = sigma * sigma;
  return terms.map(({ k, thetaStart: start }) => {
    const T = new Float64Array(k * k);
    let at = start;
    for (let c = 0; c < k; c++) for (let r = c; r < k; r++) T[r * k + c] = theta[at++];
    const out = new Float64Array(k * k);
    for (let r = 0; r < k; r++) {
      for (let c = 0; c <= r; c++) {
        let s = 0;
        for (let u = 0; u <= c; u++) s += T[r * k + u] * T[c * k + u];
        out[r * k + c] = out[c * k + r] = s2 * s;
      }
    }
    return out;
  });
}

/**
 * Each term's covariance from lme4's "sdcor" parameters in θ's order (a term's column-wise lower
 * triangle: sds on the diagonal, correlations below), as the core's bootstrap reports them.
 */
export function sdcorCovariances(terms: readonly RandomTerm[], sdcor: ArrayLike<number>): Float64Array[] {
  return terms.map(({ k, thetaStart: start }) => {
    const sd = new Float64Array(k), cor = new Float64Array(k * k).fill(1);
    let at = start;
    for (let c = 0; c < k; c++) for (let r = c; r < k; r++) {
      if (r === c) sd[r] = sdcor[at++];
      else cor[r * k + c] = cor[c * k + r] = sdcor[at++];
    }
    return Float64Array.from({ length: k * k }, (_, i) => cor[i] * sd[Math.floor(i / k)] * sd[i % k]);
  });
}

/**
 * Covariance matrices of every random term from θ and σ (Σ = σ² T T'), with lme4's term labels
 * and each term's response-scale variance mean_i z_i'Σz_i over the rows used.
 *
 * @example
 * ```ts
 * termCovariances(m.structure, m.theta, m.sigma).map((t) => [t.name, t.responseVariance]);
 * ```
 */
export function termCovariances(structure: ModelStructure, theta: ArrayLike<number>, sigma: number): TermCovariance[] {
  return describeTerms(structure, thetaCovariances(structure.randomTerms(), theta, sigma));
}

/** Labels, columns and response-scale variances of the model's terms for given covariance matrices. */
export function describeTerms(structure: ModelStructure, covariances: readonly Float64Array[]): TermCovariance[] {
  const factors = structure.groupingFactors();
  return structure.randomTerms().map((t, j) => {
    const { offset, k } = t;
    const factor = factors[t.factor];
    const covariance = covariances[j];
    const K = factor.columns.length, z = factor.z, n = factor.codes.length;
    let total = 0;
    for (let i = 0; i < n; i++) {
      for (let r = 0; r < k; r++) {
        const zr = z[i * K + offset + r];
        if (zr === 0) continue;
        for (let c = 0; c < k; c++) total += zr * covariance[r * k + c] * z[i * K + offset + c];
      }
    }
    return {
      name: t.name,
      group: t.group,
      columns: factor.columns.slice(offset, offset + k),
      covariance,
      responseVariance: total / n,
    };
  });
}
