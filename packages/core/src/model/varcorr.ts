import type { ThetaLayout } from "../engine/theta.js";

/** Variance components of one random-effects term, as lme4's `VarCorr`. */
export interface VarCorrTerm {
  /** lme4's label: the grouping factor, with `.1`, `.2` … for further terms on the same factor. */
  name: string;
  group: string;
  terms: string[];
  sd: number[];
  variance: number[];
  /** Covariance matrix, rows of arrays. */
  covariance: number[][];
  /** Correlation matrix (1 on the diagonal; NaN where an sd is 0). */
  correlation: number[][];
}

/**
 * Per-term covariance σ² T T' at θ, in lme4's term order: `VarCorr` without a fitted model, for
 * refits that need only the variance components.
 *
 * @example
 * ```ts
 * varCorrTerms(design.theta, theta, sigma); // [{ name: "Subject", sd: [24.7, 5.9], … }]
 * ```
 */
export function varCorrTerms(layout: ThetaLayout, theta: ArrayLike<number>, sigma: number): VarCorrTerm[] {
  const seen = new Map<string, number>();
  return layout.terms.map((t, term) => {
    const { remat, offset } = t;
    // A known-covariance term has one variance σ²θ² (its k columns share the one θ).
    const k = t.tied ? 1 : t.k;
    const factor = layout.termFactor(theta, term);
    const T = (r: number, c: number) => factor[r * k + c];
    const covariance = Array.from({ length: k }, (_, r) =>
      Array.from({ length: k }, (_, c) => {
        let s = 0;
        for (let u = 0; u <= Math.min(r, c); u++) s += T(r, u) * T(c, u);
        return sigma * sigma * s;
      }),
    );
    const variance = covariance.map((row, i) => row[i]);
    const sd = variance.map(Math.sqrt);
    const correlation = covariance.map((row, r) => row.map((v, c) => (r === c ? 1 : v / (sd[r] * sd[c]))));
    const count = seen.get(remat.groupLabel) ?? 0;
    seen.set(remat.groupLabel, count + 1);
    return {
      name: count === 0 ? remat.groupLabel : `${remat.groupLabel}.${count}`,
      group: remat.groupLabel,
      terms: t.tied ? ["(Intercept)"] : remat.columnNames.slice(offset, offset + k),
      sd,
      variance,
      covariance,
      correlation,
    };
  });
}
