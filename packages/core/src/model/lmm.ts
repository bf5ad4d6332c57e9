import type { DataColumns } from "../frame/data.js";
import { buildLmmDesign, type LmmDesign } from "../engine/design.js";
import { fitDesign, type FitOptions } from "../engine/fit.js";
import { LinearMixedModel } from "./LinearMixedModel.js";

/**
 * Fits a linear mixed model with lme4's formula syntax, by REML (default) or ML, as lme4 does:
 * the profiled criterion over θ, minimised with BOBYQA from θ₀ = (1 on diagonals, 0 elsewhere).
 *
 * The formula language is lme4's (docs/formulas.md): `*`, `:`, `/`, `%in%`, `(a + b)^2`, `- a:b`,
 * `0 +` / `- 1`, random terms `(x | g)`, `(x || g)`, `(1 | a/b/c)`; functions `I()` (arithmetic
 * `+ - * / ^`), `log`, `log2`, `log10`, `log1p`, `exp`, `sqrt`, `abs`, `factor`, `poly(x, d)` (and
 * `raw = TRUE`), `scale()`, `ns()`, `bs()` (knots placed as R's splines) and `offset()`, in the
 * fixed part, the random part and the response; coefficients are named as lme4 names them. Prior
 * weights, an offset and contrasts are options (`weights`, `offset`, `contrasts`, `ordered`).
 * Formulas are read by this package's own parser and evaluator, never run as code.
 *
 * @example
 * ```ts
 * const m = lmm("Reaction ~ poly(Days, 2) + (Days | Subject)", { Reaction, Days, Subject, w }, { weights: "w" });
 * m.fixefNames; // ["(Intercept)", "poly(Days, 2)1", "poly(Days, 2)2"]
 * console.log(m.summary());
 * ```
 */
export function lmm(formula: string, data: DataColumns, options: FitOptions = {}): LinearMixedModel {
  const design = buildLmmDesign(formula, data, options);
  return fitModel(design, design.frame.y!, options);
}

/** A model of a prepared design fitted to a response over its rows (the ML refits of anova and profiles). */
export function fitModel(design: LmmDesign, y: Float64Array, options: FitOptions = {}): LinearMixedModel {
  return new LinearMixedModel(fitDesign(design, y, options));
}
