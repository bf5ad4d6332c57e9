// Likelihood profiles of a fit from sums: lme4's `profile()` and profile intervals with every
// refit on cross-products. The fixed-effect profiles fit the model without column j to the
// response y − x_j·b, whose sums are linear in the sums of y and x_j: no pass over rows.
import type { CellLayout, CellProducts } from "../engine/cellSums.js";
import { CellCrossProducts } from "../engine/cellSums.js";
import { Fitter } from "../engine/Fitter.js";
import { InvalidArgumentError } from "../errors/LmmError.js";
import { qnorm } from "../numerics/distributions.js";
import { profileConfint, profileFrom, type ModelProfile, type ProfileOptions } from "../inference/profile.js";
import { refitAggregatedML, refuseDispersion } from "./anova.js";
import { bootstrapAggregated } from "./bootstrap.js";
import { fitSumsOf, type AggregatedFit } from "./fit.js";

/**
 * Profiles the ML deviance of a fit from sums in every parameter, as `profile(model)` of the
 * in-memory model of the same rows (REML fits refitted by ML first, as lme4).
 *
 * @example
 * ```ts
 * const pr = profileAggregated(await fitSql(engine, source, "y ~ x + (1 | g)"));
 * pr.parameters.map((pp) => pp.parameter);
 * ```
 */
export function profileAggregated(fit: AggregatedFit, options: ProfileOptions = {}): ModelProfile {
  refuseDispersion(fit, "a profile");
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
        return new Fitter(design, new CellCrossProducts(design.reterms, dropped, shifted.sums, cross.logWeights), false);
      };
    },
  }, options);
}

/**
 * Options of {@link confintAggregated}: as `confint`'s, Wald (default, fixed effects, normal
 * quantiles as lme4), profile or parametric-bootstrap intervals.
 *
 * @example
 * ```ts
 * confintAggregated(fit, { method: "boot", level: 0.9, nsim: 1000, seed: 7 } satisfies AggregatedConfintOptions);
 * ```
 */
export interface AggregatedConfintOptions extends ProfileOptions {
  method?: "wald" | "profile" | "boot";
  level?: number;
  /** Bootstrap only: number of refits (default 500, as lme4) and seed (default 1). */
  nsim?: number;
  seed?: number;
}

/**
 * Confidence intervals of a fit from sums, as `confint(model, …)`: Wald intervals of the fixed
 * effects (default), lme4's profile intervals of every sd, correlation, σ and fixed effect, or
 * parametric-bootstrap percentile intervals of the same (`method: "boot"`, simulated exactly from
 * the sums: {@link bootstrapAggregated}).
 *
 * @example
 * ```ts
 * confintAggregated(fit, { method: "profile" }); // [{ parameter: "sd_(Intercept)|g", lower, upper }, …]
 * ```
 */
export function confintAggregated(fit: AggregatedFit, options: AggregatedConfintOptions = {}): { parameter: string; lower: number; upper: number }[] {
  const method = options.method ?? "wald", level = options.level ?? 0.95;
  if (!(level > 0 && level < 1)) throw new InvalidArgumentError("level", level, "a number strictly between 0 and 1");
  if (method === "profile") return profileConfint(profileAggregated(fit, options), level);
  if (method === "boot") {
    const boot = bootstrapAggregated(fit, options.nsim ?? 500, { seed: options.seed ?? 1, onProgress: options.onProgress });
    return boot.intervals(level).map(({ parameter, percentile }) => ({ parameter, lower: percentile[0], upper: percentile[1] }));
  }
  if (method !== "wald") throw new InvalidArgumentError("method", method, '"wald", "profile" or "boot"');
  const z = qnorm(1 - (1 - level) / 2);
  return fit.fixef.map((f) => ({ parameter: f.name, lower: f.estimate - z * f.stdError, upper: f.estimate + z * f.stdError }));
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
