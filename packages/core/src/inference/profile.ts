// Likelihood profiles and profile confidence intervals as lme4 1.1's `profile.merMod` and
// `confint.thpr` compute them. REML fits are first refitted by ML (lme4's devfun2 calls
// refitML), so REML and ML fits share one profile. For each parameter (each sd and correlation,
// sigma, each fixed effect) ζ(x) = sign(x − x̂)·√(dev(x) − dev(x̂)), dev minimised over the other
// parameters; points are placed as lme4 places them, and the interval is read from lme4's
// back spline of the interpolating spline of ζ against x.
import { designOf } from "../model/state.js";
import { AbortedError, InvalidArgumentError } from "../errors/LmmError.js";
import { selectColumns } from "../frame/rank.js";
import { fitModel } from "../model/lmm.js";
import { optimiseTheta } from "../engine/optimise.js";
import { Fitter, type FitterDesign } from "../engine/Fitter.js";
import type { ThetaLayout } from "../engine/theta.js";
import type { LinearMixedModel } from "../model/LinearMixedModel.js";
import { bobyqa } from "../optim/index.js";
import { qchisq, qnorm } from "../numerics/distributions.js";
import { sdcorBounds, sdcorDeviance, thetaToSdcor, varianceParameterNames } from "./profileParameters.js";
import { backSpline, evaluateSpline, interpolatingSpline, linearInterpolate } from "./spline.js";

/**
 * Options of {@link profile} (lme4's defaults).
 *
 * @example
 * ```ts
 * profile(model, { which: ["sigma"], alphaMax: 0.05 } satisfies ProfileOptions);
 * ```
 */
export interface ProfileOptions {
  /** Profiles extend to |ζ| = √qchisq(1 − alphaMax, number of parameters); default 0.01. */
  alphaMax?: number;
  /** At most this many points per direction; default 100. */
  maxPoints?: number;
  /** Step in ζ between points, as a fraction of that cutoff; default 1/8. */
  deltaCutoff?: number;
  /** Profile only these parameters (names as in `ModelProfile.names`); default all. */
  which?: string[];
  signal?: AbortSignal;
  /** Called after each parameter's profile: `done` of `total` parameters profiled. */
  onProgress?: (done: number, total: number) => void;
}

/**
 * The profile of one parameter: ζ against the parameter's value (for plotting and intervals).
 *
 * @example
 * ```ts
 * const { values, zeta }: ParameterProfile = profile(model).parameters[0];
 * ```
 */
export interface ParameterProfile {
  parameter: string;
  /** Parameter values along the profile, increasing. */
  values: Float64Array;
  /** ζ at each value (0 at the estimate). */
  zeta: Float64Array;
  /** All parameters (`ModelProfile.names` order) at each point, row-major: where the others went. */
  path: Float64Array;
  estimate: number;
  /** The parameter's domain (sd and sigma [0, ∞), correlations [−1, 1], fixed effects unbounded). */
  lowerBound: number;
  upperBound: number;
}

/**
 * The profiles of a model's parameters (lme4's `thpr` object).
 *
 * @example
 * ```ts
 * const pr: ModelProfile = profile(model); pr.names;
 * ```
 */
export interface ModelProfile {
  /** Variance parameters (`sd_…`, `cor_…`, `sigma`) then fixed effects. */
  names: string[];
  /** ML estimates of all parameters, on that scale. */
  estimates: Float64Array;
  /** ML deviance at the estimates. */
  deviance: number;
  parameters: ParameterProfile[];
  /** Problems met on the way (lower deviance found, non-monotone profile …). */
  warnings: string[];
}

type Row = Float64Array; // [ζ, all parameters]

/**
 * Profiles the ML deviance in every parameter, as lme4's `profile()` with `signames = FALSE`.
 *
 * @example
 * ```ts
 * const pr = profile(model);
 * pr.parameters[0]; // { parameter: "sd_(Intercept)|Subject", values, zeta, … }
 * ```
 */
export function profile(model: LinearMixedModel, options: ProfileOptions = {}): ModelProfile {
  checkProfileOptions(options);
  const fit = model.reml ? fitModel(designOf(model), model.response, { reml: false, start: model.theta, checkConvergence: false }) : model;
  const X = designOf(fit).X, n = fit.nobs, y = fit.response, p = fit.beta.length;
  return profileFrom({
    layout: designOf(fit).theta,
    theta: fit.theta,
    beta: fit.beta,
    sigma: fit.sigma,
    deviance: fit.objective,
    fixefNames: fit.fixefNames,
    stdErrors: fit.fixef().map((f) => f.stdError),
    fitter: new Fitter(designOf(fit), fit.response, false),
    withoutFixed: (j) => {
      const dropped = { ...designOf(fit), X: selectColumns(X, Array.from({ length: p }, (_, c) => c).filter((c) => c !== j)) };
      const fj = new Fitter(dropped, y, false);
      const offsetY = new Float64Array(n);
      const xj = X.data.subarray(j * n, (j + 1) * n);
      return (value) => {
        for (let i = 0; i < n; i++) offsetY[i] = y[i] - xj[i] * value;
        fj.setResponse(offsetY);
        return fj;
      };
    },
  }, options);
}

/**
 * What a profile reads of an ML fit: its estimates and layout, an ML fitter of its data whose
 * criterion the profile may evaluate anywhere, and, per fixed effect j, the ML fitter of the model
 * without column j for the response y − x_j·value. A model provides it from its rows; a fit from
 * sums (SQL) from its cross-products alone (the offset response's sums are linear in those of y and x_j).
 *
 * @example
 * ```ts
 * const base: ProfileBase = { layout, theta, beta, sigma, deviance, fixefNames, stdErrors, fitter, withoutFixed };
 * profileFrom(base, { which: ["sigma"] });
 * ```
 */
export interface ProfileBase {
  layout: ThetaLayout;
  /** ML estimates. */
  theta: ArrayLike<number>;
  beta: ArrayLike<number>;
  sigma: number;
  /** ML deviance at the estimates. */
  deviance: number;
  fixefNames: readonly string[];
  stdErrors: readonly number[];
  fitter: Fitter<FitterDesign>;
  withoutFixed(j: number): (value: number) => Fitter<FitterDesign>;
}

function checkProfileOptions(options: ProfileOptions): void {
  const alphaMax = options.alphaMax ?? 0.01, maxPoints = options.maxPoints ?? 100;
  if (!(alphaMax > 0 && alphaMax < 1)) throw new InvalidArgumentError("alphaMax", alphaMax, "a number strictly between 0 and 1");
  if (!(Number.isInteger(maxPoints) && maxPoints >= 3)) throw new InvalidArgumentError("maxPoints", maxPoints, "a whole number ≥ 3");
}

/**
 * Profiles the ML deviance of any fit that offers a {@link ProfileBase}, as {@link profile}.
 *
 * @example
 * ```ts
 * profileFrom(base).parameters.map((pp) => pp.parameter);
 * ```
 */
export function profileFrom(fit: ProfileBase, options: ProfileOptions = {}): ModelProfile {
  checkProfileOptions(options);
  const alphaMax = options.alphaMax ?? 0.01, maxPoints = options.maxPoints ?? 100, deltaCutoff = options.deltaCutoff ?? 1 / 8;
  const layout = fit.layout;
  const vpNames = varianceParameterNames(layout);
  const nvp = vpNames.length, p = fit.beta.length, nptot = nvp + p;
  const names = [...vpNames, ...fit.fixefNames];
  const opt = Float64Array.from([...thetaToSdcor(layout, fit.theta, fit.sigma), ...Array.from(fit.beta)]);
  const base = fit.deviance;
  const cutoff = Math.sqrt(qchisq(1 - alphaMax, nptot));
  const delta = cutoff * deltaCutoff;
  const bounds = sdcorBounds(layout);
  const which = options.which ?? names;
  for (const w of which) if (!names.includes(w)) throw new InvalidArgumentError("which", w, `one of ${names.map((x) => JSON.stringify(x)).join(", ")}`);
  const total = names.filter((n) => which.includes(n)).length;
  const warnings: string[] = [];
  const optRow = Float64Array.from([0, ...opt]);
  const checkAbort = () => {
    if (options.signal?.aborted) throw new AbortedError("profile");
  };

  const fillmat = (rows: Row[], cc: number, lowcut: number, upcut: number, zetafun: (x: number, start: Row) => Row) => {
    let i = 1;
    while (rows.length < maxPoints && rows[i][cc] > lowcut && rows[i][cc] < upcut && !(Math.abs(rows[i][0]) > cutoff)) {
      checkAbort();
      const next = nextParameter(rows[i - 1], rows[i], cc, delta, lowcut, upcut, warnings);
      rows.push(zetafun(next, rows[i]));
      i++;
    }
    return rows;
  };

  const parameters: ParameterProfile[] = [];
  // Variance parameters: devfun2 over the sdcor scale, σ explicit, optimised over the others.
  const fitter = fit.fitter;
  const dev2 = sdcorDeviance(fitter, layout);
  const check = dev2(opt.subarray(0, nvp));
  if (!(Math.abs(check - base) <= 1e-5 * Math.abs(base))) throw new Error(`internal: profiled deviance ${check} differs from the fit's ${base}`);
  for (let w = 0; w < nvp; w++) {
    if (!which.includes(names[w])) continue;
    const pw = opt[w], lowcut = bounds.lower[w], upcut = bounds.upper[w];
    const others = Array.from({ length: nvp }, (_, i) => i).filter((i) => i !== w);
    const full = new Float64Array(nvp);
    const zeta = (xx: number, start: Row): Row => {
      const f = (x: Float64Array) => {
        full[w] = xx;
        others.forEach((o, k) => (full[o] = x[k]));
        return dev2(full);
      };
      const x0 = Float64Array.from(others, (o) => Math.min(Math.max(start[1 + o], bounds.lower[o]), bounds.upper[o]));
      const res = bobyqa(f, x0, { lower: others.map((o) => bounds.lower[o]), upper: others.map((o) => bounds.upper[o]), signal: options.signal });
      const fval = f(res.x); // leaves the fitter at the optimum, for β
      const row = new Float64Array(1 + nptot);
      row[0] = zetaOf(xx - pw, fval - base, warnings, names[w]);
      row.set(full, 1);
      row.set(fitter.beta(), 1 + nvp);
      return row;
    };
    const shift = pw === 0 ? 0.001 : pw * 1.01;
    const first = zeta(shift, optRow);
    const up = fillmat([optRow, first], w + 1, lowcut, upcut, zeta);
    const down = pw > lowcut ? fillmat([first, optRow], w + 1, lowcut, upcut, zeta) : [];
    parameters.push(collect(names[w], w, [...up, ...down], lowcut, upcut));
    options.onProgress?.(parameters.length, total);
  }

  // Fixed effects: the deviance profiled over θ (and σ, the other β) with x_j β_j as an offset.
  const thopt = fit.theta;
  const stderr = fit.stdErrors;
  const n = fitter.n;
  for (let j = 0; j < p; j++) {
    if (!which.includes(names[nvp + j])) continue;
    const est = opt[nvp + j];
    const at = fit.withoutFixed(j);
    const zeta = (fw: number): Row => {
      const fj = at(fw);
      const { theta } = optimiseTheta(fj, { start: thopt, signal: options.signal });
      const fv = fj.evaluate(theta);
      const sig = Math.sqrt(fj.parts().pwrss / n);
      const row = new Float64Array(1 + nptot);
      row[0] = zetaOf(fw - est, fv - base, warnings, names[nvp + j]);
      row.set(thetaToSdcor(layout, theta, sig), 1);
      const others = fj.beta();
      for (let c = 0, k = 0; c < p; c++) row[1 + nvp + c] = c === j ? fw : others[k++];
      return row;
    };
    const first = zeta(est + delta * stderr[j]);
    const up = fillmat([optRow, first], 1 + nvp + j, -Infinity, Infinity, (x) => zeta(x));
    const down = fillmat([first, optRow], 1 + nvp + j, -Infinity, Infinity, (x) => zeta(x));
    parameters.push(collect(names[nvp + j], nvp + j, [...up, ...down], -Infinity, Infinity));
    options.onProgress?.(parameters.length, total);
  }
  return { names, estimates: opt, deviance: base, parameters, warnings };

  function collect(parameter: string, index: number, rows: Row[], lowerBound: number, upperBound: number): ParameterProfile {
    const cc = 1 + index;
    const sorted = rows.slice().sort((a, b) => a[cc] - b[cc]);
    const unique = sorted.filter((r, i) => i === 0 || r[cc] !== sorted[i - 1][cc]);
    const path = new Float64Array(unique.length * nptot);
    unique.forEach((r, i) => path.set(r.subarray(1), i * nptot));
    return {
      parameter,
      values: Float64Array.from(unique, (r) => r[cc]),
      zeta: Float64Array.from(unique, (r) => r[0]),
      path,
      estimate: opt[index],
      lowerBound,
      upperBound,
    };
  }
}

/** lme4's `nextpar`: a step of `delta` in ζ by the local slope, at most 10 × the last step, within the bounds. */
function nextParameter(prev: Row, cur: Row, cc: number, delta: number, lower: number, upper: number, warnings: string[]): number {
  const minstep = 1e-6, maxmult = 10;
  const num = cur[cc] - prev[cc];
  const denom = cur[0] - prev[0];
  let step: number;
  if (!Number.isFinite(denom) || denom === 0) {
    warnings.push("Last two rows have identical or NA .zeta values: using minstep");
    step = minstep;
  } else {
    step = (delta * num) / denom;
    if (step < 0) {
      warnings.push("unexpected decrease in profile: using minstep");
      step = minstep;
    } else if (Math.abs(step) > Math.abs(maxmult * num)) step = Math.sign(step) * Math.abs(maxmult * num);
  }
  return Math.min(upper, Math.max(lower, cur[cc] + Math.sign(num) * step));
}

function zetaOf(dx: number, devdiff: number, warnings: string[], parameter: string): number {
  if (devdiff < -1e-6) warnings.push(`profiling ${parameter} found a lower deviance (by ${(-devdiff).toExponential(2)}) than the fit`);
  return Math.sign(dx) * Math.sqrt(Math.max(0, devdiff));
}

/**
 * Profile confidence intervals, as lme4's `confint.thpr`: the back spline of ζ against each
 * parameter at ±qnorm((1 − level)/2); where the profile does not reach that far, the parameter's
 * bound (0 for an sd, ±1 for a correlation; NaN for a fixed effect).
 *
 * @example
 * ```ts
 * profileConfint(profile(model), 0.95); // [{ parameter: "sd_(Intercept)|Subject", lower: 14.38, upper: 37.72 }, …]
 * ```
 */
export function profileConfint(pr: ModelProfile, level = 0.95): { parameter: string; lower: number; upper: number }[] {
  const a = (1 - level) / 2;
  const z = [qnorm(a), qnorm(1 - a)];
  return pr.parameters.map((pp) => {
    const ok = pp.zeta.map((v, i) => (Number.isFinite(v) && Number.isFinite(pp.values[i]) ? 1 : 0));
    const x = pp.values.filter((_, i) => ok[i]), y = pp.zeta.filter((_, i) => ok[i]);
    const back = x.length >= 4 ? backSpline(interpolatingSpline(x, y)) : null;
    if (!back) pr.warnings.push(`bad spline fit for ${pp.parameter}: falling back to linear interpolation`);
    const [lo, hi] = z.map((zz) => (back ? evaluateSpline(back, zz) : linearInterpolate(y, x, zz)));
    const isVariance = !pr.names.slice(pr.names.indexOf("sigma") + 1).includes(pp.parameter);
    return {
      parameter: pp.parameter,
      lower: Number.isNaN(lo) && isVariance ? pp.lowerBound : lo,
      upper: Number.isNaN(hi) && isVariance ? pp.upperBound : hi,
    };
  });
}
