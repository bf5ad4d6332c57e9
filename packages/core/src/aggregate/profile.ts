// Likelihood profiles of a fit from sums: lme4's `profile()` and profile intervals with every
// refit on cross-products. The fixed-effect profiles fit the model without column j to the
// response y − x_j·b, whose sums are linear in the sums of y and x_j: no pass over rows.
import type { CellLayout, CellProducts } from "../engine/cellSums.js";
import { CellCrossProducts } from "../engine/cellSums.js";
import { Fitter } from "../engine/Fitter.js";
import { profileConfint, profileFrom, type ModelProfile, type ProfileOptions } from "../inference/profile.js";
import { refitAggregatedML } from "./anova.js";
import { fitSumsOf, type AggregatedFit } from "./fit.js";

/**
 * Profiles the ML deviance of a fit from sums in every parameter, as `profile(model)` of the
 * in-memory model of the same rows (REML fits refitted by ML first, as lme4).
 *
 * @example
 * ```ts
 * const pr = profileAggregated(await fitSql(engine, source, "y ~ x + (1 | g)"));
 * profileConfint(pr, 0.95);
 * ```
 */
export function profileAggregated(fit: AggregatedFit, options: ProfileOptions = {}): ModelProfile {
  const { design, cross, sums, layout } = fitSumsOf(fit);
  const ml = refitAggregatedML(fit, { checkConvergence: false });
  const p = ml.beta.length;
  return profileFrom({
    layout: design.theta,
    theta: ml.theta,
    beta: ml.beta,
    sigma: ml.sigma,
    deviance: ml.objective,
    fixefNames: fit.fixef.map((f) => f.name),
    stdErrors: Array.from(ml.se),
    fitter: new Fitter(design, cross, false),
    withoutFixed: (j) => {
      const xj = layout.xyColumns[j], y = layout.xyColumns[p];
      const others = layout.xyColumns.slice(0, p).filter((_, c) => c !== j);
      return (value) => {
        const shifted = offsetResponse(sums, xj, y, value);
        const dropped: CellLayout = { levels: layout.levels, zColumns: layout.zColumns, xyColumns: [...others, shifted.column] };
        return new Fitter(design, new CellCrossProducts(design.reterms, dropped, shifted.sums), false);
      };
    },
  }, options);
}

/**
 * Profile confidence intervals of a fit from sums (lme4's `confint(fit, method = "profile")`):
 * sds, correlations and σ, then the fixed effects.
 *
 * @example
 * ```ts
 * confintAggregated(fit, 0.95); // [{ parameter: "sd_(Intercept)|g", lower, upper }, …]
 * ```
 */
export function confintAggregated(fit: AggregatedFit, level = 0.95, options: ProfileOptions = {}): { parameter: string; lower: number; upper: number }[] {
  return profileConfint(profileAggregated(fit, options), level);
}

/** The products with one more column, r = y − value·x (index: one past the last), from those of y and x. */
function offsetResponse(sums: CellProducts, x: number, y: number, value: number): { sums: CellProducts; column: number } {
  const column = Number.MAX_SAFE_INTEGER;
  const combine = (a: Float64Array, b: Float64Array, scale: number) => a.map((v, i) => v - scale * b[i]);
  const product = (a: number, b: number): Float64Array => {
    if (a === column && b === column) {
      const yy = sums.product(y, y), xy = sums.product(x, y), xx = sums.product(x, x);
      return yy.map((v, i) => v - 2 * value * xy[i] + value * value * xx[i]);
    }
    if (a === column) return combine(sums.product(y, b), sums.product(x, b), value);
    if (b === column) return combine(sums.product(a, y), sums.product(a, x), value);
    return sums.product(a, b);
  };
  return { sums: { cells: sums.cells, n: sums.n, product }, column };
}
