import type { ModelDispersion, VarCorrTerm } from "@lmm/core";

/** How random-effect parameters are reported: standard deviations and correlations, or variances and covariances. */
export type RanParsScale = "sdcor" | "vcov";

/** One random-effect parameter named as broom.mixed and as lme4's `confint` name it. */
export interface RanPar {
  group: string;
  term: string;
  estimate: number;
  /** lme4's `confint()` row name (`sd_(Intercept)|Subject`, `cor_Days.(Intercept)|Subject`, `sigma`). */
  confintName: string;
  /** How a confidence limit for the confint parameter maps onto this row (null: it does not). */
  fromConfint: ((x: number) => number) | null;
  /** The variance this row stands for (diagonal entries and the residual), else null. */
  variance: number | null;
  /** The dispersion level of a per-level residual row (null otherwise). */
  level: string | null;
  /**
   * The share of the residual variance this row stands for in a variance decomposition: the
   * residual's (pooled over the dispersion levels, n_g-weighted) and each level's n_g sd_g² / n;
   * the same as `variance` without a dispersion formula; null for correlations.
   */
  share: number | null;
}

/**
 * The random-effect parameters of a fit in broom.mixed's order: per lme4 term (group `Subject`,
 * `Subject.1` …), for each column its sd (or variance) then its correlations (covariances) with
 * the later columns; the residual last (`Residual`, `sd__Observation`: σ, the reference level's
 * with a dispersion formula, then one `Residual` row per dispersion level, term `sd__<level>`).
 *
 * @example
 * ```ts
 * const vc = model.varCorr();
 * ranPars(vc.terms, vc.residual.sd).map((p) => `${p.group} ${p.term} ${p.estimate}`); // "Subject sd__(Intercept) 24.7", …
 * ```
 */
export function ranPars(varcorr: readonly VarCorrTerm[], sigma: number, scale: RanParsScale = "sdcor", dispersion: Pick<ModelDispersion, "levels" | "counts" | "sd" | "pooledVariance"> | null = null): RanPar[] {
  const out: RanPar[] = [];
  const sd = scale === "sdcor";
  const square = (x: number) => x * x;
  for (const t of varcorr) {
    const k = t.terms.length;
    for (let r = 0; r < k; r++) {
      out.push({
        group: t.name,
        term: `${sd ? "sd" : "var"}__${t.terms[r]}`,
        estimate: sd ? t.sd[r] : t.variance[r],
        confintName: `sd_${t.terms[r]}|${t.group}`,
        fromConfint: sd ? (x) => x : square,
        variance: t.variance[r],
        level: null,
        share: t.variance[r],
      });
      for (let c = r + 1; c < k; c++) {
        out.push({
          group: t.name,
          term: `${sd ? "cor" : "cov"}__${t.terms[r]}.${t.terms[c]}`,
          estimate: sd ? t.correlation[r][c] : t.covariance[r][c],
          confintName: `cor_${t.terms[c]}.${t.terms[r]}|${t.group}`,
          fromConfint: sd ? (x) => x : null,
          variance: null,
          level: null,
          share: null,
        });
      }
    }
  }
  out.push({
    group: "Residual",
    term: `${sd ? "sd" : "var"}__Observation`,
    estimate: sd ? sigma : sigma * sigma,
    confintName: "sigma",
    fromConfint: sd ? (x) => x : square,
    variance: sigma * sigma,
    level: null,
    share: dispersion ? dispersion.pooledVariance : sigma * sigma,
  });
  if (dispersion) {
    const n = dispersion.counts.reduce((s, c) => s + c, 0);
    dispersion.levels.forEach((level, g) => {
      const v = dispersion.sd[g] * dispersion.sd[g];
      out.push({ group: "Residual", term: `${sd ? "sd" : "var"}__${level}`, estimate: sd ? dispersion.sd[g] : v, confintName: `sigma_${level}`, fromConfint: null, variance: v, level, share: (dispersion.counts[g] * v) / n });
    });
  }
  return out;
}
