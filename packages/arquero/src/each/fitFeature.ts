import { coefficients, InvalidValueError, LmmError, ResponseError, responseValues, type LinearMixedModel } from "@lmm/core";
import type { FitSummary } from "@lmm/core/engine";
import { Rng } from "@lmm/core/numerics";
import { ownUnit, type EachContext, type FitUnit } from "./context.js";
import type { EachShared, FeatureBootstrap, FeatureFit, FeatureFixef, FeaturePayload } from "./types.js";

/**
 * Fits one feature: on the shared design when its missing values are the design's, else on a frame
 * of its own. The same function runs in the main thread and in workers, so results are identical.
 * Bad data of one feature (constant, too few rows, values a transform cannot take) is returned as
 * an error record; anything else is a bug and is thrown.
 */
export function fitFeature(ctx: EachContext, payload: FeaturePayload, signal?: AbortSignal): FeatureFit {
  const { feature, index } = payload;
  let design: FeatureFit["design"] = null;
  try {
    const y = transformed(ctx, payload);
    const rows = ctx.base.structure.rows;
    const missing: number[] = [];
    for (let i = 0; i < rows.length; i++) if (Number.isNaN(y[rows[i]])) missing.push(rows[i]);
    design = missing.length === 0 ? "shared" : "own";
    const unit = missing.length === 0 ? ctx.base : ownUnit(ctx, missing);
    const used = unit.structure.rows;
    const response = Float64Array.from(used, (r) => y[r]);
    checkVaries(response, feature);
    const summary = unit.fit(response, { maxEval: ctx.shared.maxEval, signal });
    return assemble(ctx, unit, payload, design, response, summary, signal);
  } catch (e) {
    if (!(e instanceof LmmError) || e.code === "ABORTED") throw e;
    return failedFit(ctx.shared, payload, design, e);
  }
}

/** The feature's response over all rows: its values, or the formula's expression of them (`log({feature})` …). */
function transformed(ctx: EachContext, { feature, y }: FeaturePayload): Float64Array {
  if (y.length !== ctx.shared.nRows) throw new InvalidValueError(feature, y.length, y.length, `has ${y.length} values; the table has ${ctx.shared.nRows} rows`);
  const response = ctx.spec.response!;
  if (response.kind === "column") return y;
  const data = Object.assign(Object.create(null), ctx.data, { [ctx.shared.response]: y });
  return responseValues(ctx.spec, data);
}

function checkVaries(y: Float64Array, feature: string): void {
  for (let i = 1; i < y.length; i++) if (y[i] !== y[0]) return;
  throw new ResponseError(feature, y.length === 0 ? "has no usable rows" : `is constant (every used value is ${y[0]}); there is no variation to model`);
}

function assemble(ctx: EachContext, unit: FitUnit, payload: FeaturePayload, design: "shared" | "own", response: Float64Array, s: FitSummary, signal?: AbortSignal): FeatureFit {
  const { ddf, bootstrap } = ctx.shared;
  const names = unit.fixefNames;
  const p = names.length;
  const statistic = Float64Array.from(s.beta, (b, j) => b / s.se[j]);
  const fixef: FeatureFixef = { names, estimate: Float64Array.from(s.beta), se: Float64Array.from(s.se), statistic, df: new Float64Array(p).fill(NaN), pValue: new Float64Array(p).fill(NaN) };
  let model: LinearMixedModel | null = null;
  const asModel = () => (model ??= unit.model(response, s));
  if (ddf !== "none") {
    // lmerTest's table: with Kenward–Roger the standard error (and so t) is the adjusted one.
    coefficients(asModel(), { ddf }).forEach((c, j) => {
      fixef.estimate[j] = c.estimate;
      fixef.se[j] = c.stdError;
      fixef.statistic[j] = c.statistic;
      fixef.df[j] = c.df;
      fixef.pValue[j] = c.pValue;
    });
  }
  const boot = bootstrap ? bootstrapFeature(asModel(), unit, s, bootstrap, payload.index, ctx.shared.maxEval, signal) : null;
  return {
    feature: payload.feature,
    index: payload.index,
    design,
    nobs: unit.structure.nobs,
    dropped: Int32Array.from(unit.structure.droppedRows.indices),
    error: null,
    reml: ctx.shared.reml,
    fixef,
    theta: s.theta,
    sigma: s.sigma,
    varcorr: s.varcorr,
    dispersion: s.dispersion,
    objective: s.objective,
    logLik: s.logLik,
    AIC: s.AIC,
    BIC: s.BIC,
    singular: s.singular,
    converged: s.converged,
    evaluations: s.evaluations,
    bootstrap: boot,
  };
}

/**
 * Parametric bootstrap as lme4's `bootMer`: responses simulated from the fit (seeded per feature
 * by `Rng.stream(seed, index)`, so results do not depend on workers), each refitted on the same
 * workspace starting from θ̂.
 */
function bootstrapFeature(model: LinearMixedModel, unit: FitUnit, s: FitSummary, options: { n: number; seed: number }, index: number, maxEval: number | undefined, signal?: AbortSignal): FeatureBootstrap {
  const { n } = options;
  const ys = model.simulate(n, { seed: Rng.stream(options.seed, index).nextUint32() });
  const p = s.beta.length;
  const nt = s.theta.length;
  const out: FeatureBootstrap = { n, sigma: new Float64Array(n), beta: new Float64Array(n * p), theta: new Float64Array(n * nt), converged: 0, residual: s.dispersion ? new Float64Array(n) : null };
  ys.forEach((y, b) => {
    const r = unit.fit(y, { start: s.theta, maxEval, signal });
    out.sigma[b] = r.sigma;
    if (out.residual) out.residual[b] = r.dispersion ? r.dispersion.pooledVariance : NaN;
    out.beta.set(r.beta, b * p);
    out.theta.set(r.theta, b * nt);
    if (r.converged) out.converged++;
  });
  return out;
}

/** The record of a feature that could not be fitted; the placeholder column's name in messages becomes the feature's. */
export function failedFit(shared: EachShared, payload: Pick<FeaturePayload, "feature" | "index">, design: FeatureFit["design"], e: LmmError): FeatureFit {
  const message = e.message.split(shared.response).join(payload.feature);
  return {
    feature: payload.feature,
    index: payload.index,
    design,
    nobs: 0,
    dropped: new Int32Array(0),
    error: { name: e.name, code: e.code, message },
    reml: shared.reml,
    fixef: { names: [], estimate: new Float64Array(0), se: new Float64Array(0), statistic: new Float64Array(0), df: new Float64Array(0), pValue: new Float64Array(0) },
    theta: new Float64Array(0),
    sigma: NaN,
    varcorr: [],
    dispersion: null,
    objective: NaN,
    logLik: NaN,
    AIC: NaN,
    BIC: NaN,
    singular: false,
    converged: false,
    evaluations: 0,
    bootstrap: null,
  };
}
