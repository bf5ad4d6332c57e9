import type { LinearMixedModel, VarCorrTerm } from "@lmm/core";

/**
 * σ² followed by each random term's covariance matrix, lower triangle column by column, in lme4's
 * term order: the vector lme4's `influence.merMod` calls `var.cov.comps`.
 *
 * @example
 * ```ts
 * varianceComponents(lmm("Reaction ~ Days + (Days | Subject)", sleepstudy)); // Float64Array [σ², v(Int), C(Days,Int), v(Days)]
 * ```
 */
export function varianceComponents(model: LinearMixedModel): Float64Array {
  return varianceComponentsOf(model.varCorr().terms, model.sigma);
}

/** {@link varianceComponents} from the terms of a `VarCorr` and σ (a refit without a model). */
export function varianceComponentsOf(terms: readonly VarCorrTerm[], sigma: number): Float64Array {
  const out: number[] = [sigma * sigma];
  for (const term of terms) {
    const k = term.terms.length;
    for (let c = 0; c < k; c++) for (let r = c; r < k; r++) out.push(term.covariance[r][c]);
  }
  return Float64Array.from(out);
}

/**
 * Names of {@link varianceComponents} as lme4 writes them: `sigma^2`, then `<term>:v[<column>]` for
 * variances and `<term>:C[<row>,<column>]` for covariances (without the `<term>:` prefix when the
 * model has a single term).
 *
 * @example
 * ```ts
 * varianceComponentNames(model); // ["sigma^2", "v[(Intercept)]", "C[Days,(Intercept)]", "v[Days]"]
 * ```
 */
export function varianceComponentNames(model: LinearMixedModel): string[] {
  const terms = model.varCorr().terms;
  const names = ["sigma^2"];
  for (const term of terms) {
    const prefix = terms.length === 1 ? "" : `${term.name}:`;
    const k = term.terms.length;
    for (let c = 0; c < k; c++) {
      for (let r = c; r < k; r++) names.push(prefix + (r === c ? `v[${term.terms[r]}]` : `C[${term.terms[r]},${term.terms[c]}]`));
    }
  }
  return names;
}
