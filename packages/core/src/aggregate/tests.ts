// t and F tests of a fit from sums with Satterthwaite's, Kenward–Roger's or the residual df
// (lmerTest's `summary(m, ddf = …)` and `contest`). Kenward–Roger reads only Z'Z, Z'X, X'X and the
// residual's cross-products with Z and itself; a fit from sums has every one of them in its cells.
import { Fitter } from "../engine/Fitter.js";
import { InvalidArgumentError } from "../errors/LmmError.js";
import { refuseDispersion } from "./anova.js";
import { kenwardRogerFrom, kenwardRogerTest, sandwich, type KenwardRogerAdjustment } from "../inference/kenwardRoger.js";
import { checkDenseSize, marginalCovarianceFrom, type MarginalInputs } from "../inference/marginalCovariance.js";
import { RemlRequiredError, ContrastError } from "../inference/errors.js";
import { satterthwaiteAt, satterthwaiteF, satterthwaiteT, type FTest, type SatterthwaiteState, type TTest } from "../inference/satterthwaite.js";
import type { DdfMethod } from "../inference/contrasts.js";
import { inverse, matMul, quadForm } from "../numerics/dense/matrices.js";
import { pfUpper, pt2 } from "../numerics/distributions.js";
import { fitSumsOf, type AggregatedFit } from "./fit.js";

/**
 * Options of the tests of a fit from sums: the denominator df as `coefficients(model, { ddf })`.
 *
 * @example
 * ```ts
 * coefficientsAggregated(fit, { ddf: "kenward-roger" } satisfies AggregatedTestOptions);
 * ```
 */
export interface AggregatedTestOptions {
  /** `"satterthwaite"` (default, lmerTest's), `"kenward-roger"` or `"residual"` (n − p). */
  ddf?: DdfMethod;
}

/**
 * The cross-products Kenward–Roger reads, from a fit's cell sums: dense Z'Z, [Z'X | Z'r], X'X and
 * r'r with r = y − Xβ̂ (r's products by linearity from those of y and X).
 *
 * @example
 * ```ts
 * marginalInputsOfSums(fit).ZtZ; // q × q
 * ```
 */
export function marginalInputsOfSums(fit: AggregatedFit): MarginalInputs {
  const { design, sums, layout } = fitSumsOf(fit);
  const reterms = design.reterms;
  const p = layout.xyColumns.length - 1;
  const beta = fit.estimates.beta;
  const q = reterms.reduce((s, r) => s + r.q, 0);
  const bases: number[] = [];
  reterms.reduce((s, r) => (bases.push(s), s + r.q), 0);
  const cells = sums.cells;
  // Every random-effects column of the model: (term, column within the term, product column).
  const zs = reterms.flatMap((re, j) => Array.from({ length: re.k }, (_, c) => ({ j, c, product: layout.zColumns[j][c] })));
  const index = (z: (typeof zs)[number], x: number) => bases[z.j] + layout.levels[z.j][x] * reterms[z.j].k + z.c;
  const w = p + 1;
  const ZtZ = new Float64Array(q * q), ZtW = new Float64Array(q * w), XtX = new Float64Array(p * p);
  for (const a of zs) {
    for (const b of zs) {
      const v = sums.product(a.product, b.product);
      for (let x = 0; x < cells; x++) ZtZ[index(a, x) * q + index(b, x)] += v[x];
    }
    // Z'X, then Z'y in the last column (turned into Z'r below).
    for (let t = 0; t <= p; t++) {
      const v = sums.product(a.product, layout.xyColumns[t]);
      for (let x = 0; x < cells; x++) ZtW[index(a, x) * w + t] += v[x];
    }
  }
  const total = (a: number, b: number) => sums.product(a, b).reduce((s, v) => s + v, 0);
  const Xy = new Float64Array(p);
  for (let a = 0; a < p; a++) {
    for (let b = 0; b < p; b++) XtX[a * p + b] = total(layout.xyColumns[a], layout.xyColumns[b]);
    Xy[a] = total(layout.xyColumns[a], layout.xyColumns[p]);
  }
  for (let i = 0; i < q; i++) {
    let s = ZtW[i * w + p];
    for (let t = 0; t < p; t++) s -= ZtW[i * w + t] * beta[t];
    ZtW[i * w + p] = s;
  }
  // r'r = y'y − 2β'X'y + β'X'Xβ: Kenward–Roger does not read it (only Satterthwaite's exact route does).
  const rtr = total(layout.xyColumns[p], layout.xyColumns[p]) - 2 * dot(beta, Xy) + quadForm(beta, XtX, p);
  return { reterms, layout: design.theta, theta: fit.theta, sigma: fit.sigma, n: fit.nobs, p, ZtZ, ZtW, XtX, rtr };
}

const krCache = new WeakMap<AggregatedFit, KenwardRogerAdjustment>();

/**
 * Kenward–Roger's adjusted covariance of a fit from sums (pbkrtest's `vcovAdj`), as
 * `kenwardRogerAdjustment(model)` of the in-memory model of the same rows; cached per fit.
 *
 * @throws {@link RemlRequiredError} for ML fits (as lmerTest).
 * @throws {@link ModelTooLargeError} above `MAX_DENSE_RANDOM_EFFECTS` random effects.
 *
 * @example
 * ```ts
 * Math.sqrt(kenwardRogerAggregated(fit).phiA[0]); // adjusted standard error of the intercept
 * ```
 */
export function kenwardRogerAggregated(fit: AggregatedFit): KenwardRogerAdjustment {
  const hit = krCache.get(fit);
  if (hit) return hit;
  if (!fit.reml) throw new RemlRequiredError("Kenward-Roger");
  // The in-memory adjustment of a dispersion model is not what the weighted sums at δ̂ give: not offered.
  refuseDispersion(fit, "Kenward-Roger's adjustment");
  checkDenseSize(fitSumsOf(fit).design.reterms, "Kenward-Roger");
  const out = kenwardRogerFrom(marginalCovarianceFrom(marginalInputsOfSums(fit)), fit.vcov);
  krCache.set(fit, out);
  return out;
}

const satterthwaiteCache = new WeakMap<AggregatedFit, SatterthwaiteState>();

/**
 * Satterthwaite's ingredients of a fit from sums (lmerTest's `vcov_varpar` and `Jac_list`, by
 * differences over θ on a fitter of the sums: the same as the fit's own df); cached per fit.
 *
 * @example
 * ```ts
 * satterthwaiteAggregated(fit).vcovVarpar; // 2 H⁻¹ in (θ, σ)
 * ```
 */
export function satterthwaiteAggregated(fit: AggregatedFit): SatterthwaiteState {
  const hit = satterthwaiteCache.get(fit);
  if (hit) return hit;
  const { design, cross } = fitSumsOf(fit);
  const fitter = new Fitter(design, cross, fit.reml);
  const out = satterthwaiteAt({ fitter, theta: fit.theta, sigma: fit.sigma, p: fit.fixef.length, nobs: fit.nobs, reml: fit.reml }, fit.vcov);
  satterthwaiteCache.set(fit, out);
  return out;
}

/**
 * A t test of L'β = 0 on a fit from sums, as lmerTest's `contest1D` on the in-memory model (with
 * Kenward–Roger the standard error is the adjusted one, as `summary(m, ddf = "Kenward-Roger")`).
 *
 * @example
 * ```ts
 * contrastTestAggregated(fit, [0, 1], { ddf: "kenward-roger" }); // { estimate, stdError, df, statistic, pValue }
 * ```
 */
export function contrastTestAggregated(fit: AggregatedFit, L: ArrayLike<number>, options: AggregatedTestOptions = {}): TTest {
  const ddf = checkDdf(options.ddf);
  const beta = fit.estimates.beta, p = beta.length;
  const l = contrastRow(L, p);
  if (ddf === "satterthwaite") return satterthwaiteT({ beta, sigma: fit.sigma }, satterthwaiteAggregated(fit), l);
  const estimate = dot(l, beta);
  let se: number, df: number;
  if (ddf === "kenward-roger") {
    const adj = kenwardRogerAggregated(fit);
    se = Math.sqrt(quadForm(l, adj.phiA, p));
    df = kenwardRogerTest(adj, l, 1, beta).denDf;
  } else {
    se = Math.sqrt(quadForm(l, fit.vcov, p));
    df = fit.nobs - p;
  }
  const statistic = estimate / se;
  return { estimate, stdError: se, df, statistic, pValue: pt2(statistic, df) };
}

/**
 * An F test of Lβ = 0 (L given as rows, row-major rows × p) on a fit from sums, as lmerTest's
 * `contestMD` (Kenward–Roger: pbkrtest's scaled F; the mean square from the unscaled F, as lmerTest).
 *
 * @example
 * ```ts
 * fTestAggregated(fit, Float64Array.of(0, 1, 0, 0, 0, 1), 2, { ddf: "kenward-roger" }).denDf;
 * ```
 */
export function fTestAggregated(fit: AggregatedFit, L: Float64Array, rows: number, options: AggregatedTestOptions = {}): FTest {
  const ddf = checkDdf(options.ddf);
  const beta = fit.estimates.beta, p = beta.length;
  const s2 = fit.sigma * fit.sigma;
  if (ddf === "satterthwaite") return satterthwaiteF({ beta, sigma: fit.sigma }, satterthwaiteAggregated(fit), L, rows);
  if (ddf === "kenward-roger") {
    const kr = kenwardRogerTest(kenwardRogerAggregated(fit), L, rows, beta);
    return { sumSq: kr.unscaledF * s2 * kr.numDf, meanSq: kr.unscaledF * s2, numDf: kr.numDf, denDf: kr.denDf, F: kr.F, pValue: kr.pValue };
  }
  const inv = inverse(sandwich(L, fit.vcov, rows, p), rows);
  if (!inv) throw new ContrastError(-1, "the rows of L are linearly dependent (L Var(β̂) L' is singular)");
  const F = quadForm(matMul(L, Float64Array.from(beta), rows, p, 1), inv, rows) / rows;
  const denDf = fit.nobs - p;
  return { sumSq: F * s2 * rows, meanSq: F * s2, numDf: rows, denDf, F, pValue: pfUpper(F, rows, denDf) };
}

/**
 * The fixed effects of a fit from sums with their t tests, as `coefficients(model, { ddf })` of the
 * in-memory model: Satterthwaite (default), Kenward–Roger (adjusted standard errors) or residual df.
 *
 * @example
 * ```ts
 * coefficientsAggregated(fit, { ddf: "kenward-roger" }); // [{ name, estimate, stdError, df, statistic, pValue }]
 * ```
 */
export function coefficientsAggregated(fit: AggregatedFit, options: AggregatedTestOptions = {}): { name: string; estimate: number; stdError: number; df: number; statistic: number; pValue: number }[] {
  const p = fit.fixef.length;
  // Satterthwaite's t tests are the fit's own (computed with it, from the same derivatives).
  if (checkDdf(options.ddf) === "satterthwaite") return fit.fixef.map((f) => ({ name: f.name, estimate: f.estimate, stdError: f.stdError, df: f.df, statistic: f.tValue, pValue: f.pValue }));
  return fit.fixef.map((f, j) => {
    const t = contrastTestAggregated(fit, Float64Array.from({ length: p }, (_, i) => (i === j ? 1 : 0)), options);
    return { name: f.name, estimate: t.estimate, stdError: t.stdError, df: t.df, statistic: t.statistic, pValue: t.pValue };
  });
}

function checkDdf(ddf: unknown): DdfMethod {
  if (ddf === undefined) return "satterthwaite";
  if (ddf !== "satterthwaite" && ddf !== "kenward-roger" && ddf !== "residual") throw new InvalidArgumentError("ddf", ddf, '"satterthwaite", "kenward-roger" or "residual"');
  return ddf;
}

function contrastRow(row: ArrayLike<number>, p: number): Float64Array {
  if (row == null || row.length !== p) throw new ContrastError(-1, `expected ${p} numbers (one per fixed effect)`);
  const out = Float64Array.from(row);
  out.forEach((v, j) => {
    if (!Number.isFinite(v)) throw new ContrastError(-1, `value ${j + 1} is ${String(v)}, not a finite number`);
  });
  return out;
}

function dot(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}
