// The optimiser of a dispersion model: θ and log δ together (see engine/dispersion.ts).
import { bobyqa } from "../optim/index.js";
import type { Fitter } from "./Fitter.js";
import type { OptimiseOptions, OptimisationInfo } from "./optimise.js";
import { nloptSettings, startingLogDelta } from "./start.js";

/**
 * BOBYQA over [θ, log δ of every level but the pivot] (the level with most rows held at δ = 1; see
 * `DispersedCrossProducts.pivot`), then θ and δ restated with the first level as the reference
 * (θ/δ₀, δ/δ₀: the same fit, as the criterion is invariant under (θ, δ) → (θc, δc)). A fresh fit
 * first optimises θ alone at the starting δ (the spread of y per level), so that the joint run
 * starts in the valley rather than on its rim. The fitter is left at δ̂.
 */
export function optimiseWithDispersion(fitter: Fitter, thetaStart: Float64Array, options: OptimiseOptions): { theta: Float64Array; info: OptimisationInfo } {
  const layout = fitter.design.theta, nt = layout.length;
  const sums = fitter.dispersed!, pivot = sums.pivot, G = sums.logDelta.length;
  const before = fitter.evaluations;
  // From the design's δ when it holds an estimate (refits from δ̂), else from the spread of y per level.
  const fresh = sums.logDelta.every((v) => v === 0);
  const first = fresh ? startingLogDelta(fitter) : Float64Array.from(sums.logDelta);
  const start = new Float64Array(nt + G - 1);
  for (let g = 0, k = nt; g < G; g++) if (g !== pivot) start[k++] = first[g] - first[pivot];
  fitter.setFreeLogDelta(start, nt);
  // θ is relative to the reference level's σ: restated for the pivot's, θ_p = θ₀ / δ_p (δ relative to level 0).
  const toPivot = Math.exp(first[pivot] - first[0]);
  for (let i = 0; i < nt; i++) start[i] = thetaStart[i] / toPivot;
  if (fresh) start.set(thetaAlone(fitter, start.subarray(0, nt), options));

  const lower = new Float64Array(start.length).fill(-Infinity);
  lower.set(layout.lower);
  // Steps of 1 in log δ whatever the start (NLopt's |x| rule would make a small start's steps tiny).
  const { scale, rhoBeg, rhoEnd } = nloptSettings(Float64Array.from(start, (v, i) => (i < nt ? v : 0)), lower);
  const log: { theta: number[]; objective: number }[] | undefined = options.keepLog ? [] : undefined;
  const theta = new Float64Array(nt), point = new Float64Array(start.length);
  const unscale = (u: ArrayLike<number>) => {
    for (let i = 0; i < point.length; i++) point[i] = u[i] * scale[i];
    for (let i = 0; i < nt; i++) theta[i] = point[i];
    return theta;
  };
  const at = (u: ArrayLike<number>) => {
    unscale(u);
    fitter.setFreeLogDelta(point, nt);
    return theta;
  };
  // No lme4 run to retrace here: BOBYQA runs to 1/10 of lme4's final radius, without lme4's
  // ftol_abs stop (which can end on a plateau of the joint criterion 1e-6 short of nlme's optimum).
  const result = bobyqa((u) => fitter.evaluate(at(u)), start.map((v, i) => v / scale[i]), {
    lower: lower.map((l, i) => l / scale[i]),
    rhoBeg,
    rhoEnd: rhoEnd / 10,
    maxEval: options.maxEval,
    signal: options.signal,
    onEvaluation:
      log || options.onEvaluation
        ? (u, f) => {
            const t = unscale(u);
            log?.push({ theta: Array.from(point), objective: f });
            options.onEvaluation?.(t, f);
          }
        : undefined,
  });
  at(result.x);
  // Restated with the first level as the reference.
  const delta0 = Math.exp(sums.logDelta[0]);
  fitter.setDelta(sums.delta());
  return {
    theta: Float64Array.from(theta, (t) => t / delta0),
    info: { optimizer: "bobyqa", evaluations: fitter.evaluations - before, converged: result.converged, reason: result.reason, log },
  };
}

/** θ optimised at the fitter's current δ, as lme4 would (a warm start, so its coarse stop is enough). */
function thetaAlone(fitter: Fitter, start: Float64Array, options: OptimiseOptions): Float64Array {
  const lower = fitter.design.theta.lower;
  const { scale, rhoBeg, rhoEnd } = nloptSettings(start, lower);
  const theta = new Float64Array(start.length);
  const unscale = (u: ArrayLike<number>) => {
    for (let i = 0; i < theta.length; i++) theta[i] = u[i] * scale[i];
    return theta;
  };
  const result = bobyqa((u) => fitter.evaluate(unscale(u)), start.map((v, i) => v / scale[i]), {
    lower: lower.map((l, i) => l / scale[i]),
    rhoBeg,
    rhoEnd,
    ftolAbs: 1e-8,
    maxEval: options.maxEval,
    signal: options.signal,
  });
  return Float64Array.from(result.x, (u, i) => u * scale[i]);
}
