import { Fitter, LinearMixedModel, type LmmDesign, type RandomEffects } from "@lmm/core";
import type { FeatureFit } from "@lmm/arquero";

/**
 * Conditional modes of a feature's fit, recomputed from its θ̂ on a Fitter of its design (one
 * factorisation, no optimisation), so they can be had for thousands of features fitted elsewhere
 * (in workers). `fitters` caches one Fitter per design.
 *
 * @example
 * ```ts
 * const modes = featureModes(r.designOf("f1"), r.fits[0], y, new Map());
 * ```
 */
export function featureModes(design: LmmDesign, fit: FeatureFit, y: Float64Array, fitters: Map<LmmDesign, Fitter>): RandomEffects[] {
  let fitter = fitters.get(design);
  if (!fitter) fitters.set(design, (fitter = new Fitter(design, y, fit.reml)));
  else fitter.setResponse(y);
  const info = { optimizer: "bobyqa", evaluations: fit.evaluations, converged: fit.converged, reason: "" };
  return new LinearMixedModel(design, fitter, Float64Array.from(fit.theta), info, null).ranef();
}

/**
 * y minus the named grouping factors' contributions Z_g b̃_g, over the design's rows (every column of
 * each such factor: intercepts and slopes).
 *
 * @example
 * ```ts
 * const adjusted = subtractModes(design, y, modes, new Set(["batch"]));
 * ```
 */
export function subtractModes(design: LmmDesign, y: Float64Array, modes: readonly RandomEffects[], groups: ReadonlySet<string>): Float64Array {
  const out = Float64Array.from(y);
  design.reterms.forEach((re, j) => {
    if (!groups.has(re.groupLabel)) return;
    const b = modes[j].values, k = re.k;
    for (let i = 0; i < out.length; i++) {
      const at = re.refs[i] * k;
      let s = 0;
      for (let c = 0; c < k; c++) s += re.z[i * k + c] * b[at + c];
      out[i] -= s;
    }
  });
  return out;
}
