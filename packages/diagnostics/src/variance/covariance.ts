import type { LmmDesign } from "@lmm/core";

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

type Layout = LmmDesign["theta"];

/** Each term's covariance σ² T T' from θ (T lower triangular, θ its column-wise lower triangle). */
export function thetaCovariances(layout: Layout, theta: ArrayLike<number>, sigma: number): Float64Array[] {
  const s2 = sigma * sigma;
  return layout.terms.map(({ k, start }) => {
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
export function sdcorCovariances(layout: Layout, sdcor: ArrayLike<number>): Float64Array[] {
  return layout.terms.map(({ k, start }) => {
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
 * Covariance matrices of every random term from θ and σ (Σ = σ² T T'), computed without touching
 * the design's shared templates, with lme4's term labels and each term's response-scale variance
 * mean_i z_i'Σz_i over the design's rows.
 *
 * @example
 * ```ts
 * termCovariances(m.design, m.theta, m.sigma).map((t) => [t.name, t.responseVariance]);
 * ```
 */
export function termCovariances(design: LmmDesign, theta: ArrayLike<number>, sigma: number): TermCovariance[] {
  return describeTerms(design, thetaCovariances(design.theta, theta, sigma));
}

/** Labels, columns and response-scale variances of the design's terms for given covariance matrices. */
export function describeTerms(design: LmmDesign, covariances: readonly Float64Array[]): TermCovariance[] {
  const seen = new Map<string, number>();
  return design.theta.terms.map((t, j) => {
    const { remat, offset, k } = t;
    const covariance = covariances[j];
    const K = remat.k, z = remat.z, n = remat.refs.length;
    let total = 0;
    for (let i = 0; i < n; i++) {
      for (let r = 0; r < k; r++) {
        const zr = z[i * K + offset + r];
        if (zr === 0) continue;
        for (let c = 0; c < k; c++) total += zr * covariance[r * k + c] * z[i * K + offset + c];
      }
    }
    const count = seen.get(remat.groupLabel) ?? 0;
    seen.set(remat.groupLabel, count + 1);
    return {
      name: count === 0 ? remat.groupLabel : `${remat.groupLabel}.${count}`,
      group: remat.groupLabel,
      columns: remat.columnNames.slice(offset, offset + k),
      covariance,
      responseVariance: total / n,
    };
  });
}
