// Profile-likelihood intervals for the residual sd ratios δ of a dispersion formula: for each level
// after the reference, log δ_g is held at a value and the ML deviance minimised over θ and the other
// δ; the interval is where the signed root ζ = ±√(deviance − deviance at the optimum) crosses the
// normal quantile (lme4's profile confint, for a parameter lme4 does not have).
import { InvalidArgumentError } from "../errors/LmmError.js";
import { Fitter } from "../engine/Fitter.js";
import { nloptSettings } from "../engine/start.js";
import { fitModel } from "../model/lmm.js";
import type { LinearMixedModel } from "../model/LinearMixedModel.js";
import { designOf } from "../model/state.js";
import { qchisq } from "../numerics/distributions.js";
import { bobyqa } from "../optim/index.js";

/** A profile interval of one level's δ (and of its residual sd σδ at the ML fit). */
export interface DispersionInterval {
  /** The dispersion level (never the reference, whose δ is 1 by definition). */
  level: string;
  /** δ̂ of the ML fit (the ratio of the level's residual sd to the reference level's). */
  delta: number;
  lower: number;
  upper: number;
}

/**
 * Profile-likelihood confidence intervals of δ for every level of the dispersion factor after the
 * reference, on the ML deviance (a REML fit is refitted by ML first, as lme4's `profile` does).
 * Each bound is where the deviance profiled over θ and the other δ exceeds its minimum by
 * χ²₁(level); found by doubling steps in log δ, then bisection to 1e-6 in log δ.
 *
 * @example
 * ```ts
 * const m = lmm("y ~ x + (1 | patient)", data, { dispersion: "~ vendor" });
 * dispersionConfint(m); // [{ level: "GE", delta: 1.75, lower: 1.5, upper: 2.1 }, …]
 * ```
 */
export function dispersionConfint(model: LinearMixedModel, options: { level?: number } = {}): DispersionInterval[] {
  const coverage = options.level ?? 0.95;
  if (!(coverage > 0 && coverage < 1)) throw new InvalidArgumentError("level", coverage, "a number strictly between 0 and 1");
  if (!model.dispersion) throw new InvalidArgumentError("model", "a model without a dispersion formula", "a model fitted with dispersion: \"~ factor\"");
  const fit = model.reml ? fitModel(designOf(model), model.response, { reml: false, start: model.theta, checkConvergence: false }) : model;
  const d = fit.dispersion!;
  const design = designOf(fit);
  const fitter = new Fitter(design, fit.response, false, true);
  const layout = design.theta, nt = layout.length, G = d.levels.length;
  const target = qchisq(coverage, 1);
  const logHat = Array.from(d.delta, Math.log);

  return d.levels.slice(1).map((level, k) => {
    const g = k + 1;
    // Free parameters: θ and log δ of every level but the reference and g; warm-started from the last point.
    const warm = Float64Array.from([...fit.theta, ...logHat.filter((_, h) => h !== 0 && h !== g)]);
    const deviance = (phi: number): number => {
      const lower = new Float64Array(warm.length).fill(-Infinity);
      lower.set(layout.lower);
      const { scale, rhoBeg, rhoEnd } = nloptSettings(Float64Array.from(warm, (v, i) => (i < nt ? v : 0)), lower);
      const delta = new Float64Array(G).fill(1), theta = new Float64Array(nt);
      const f = (u: ArrayLike<number>) => {
        let j = nt;
        for (let h = 1; h < G; h++) delta[h] = Math.exp(h === g ? phi : u[j] * scale[j++]);
        for (let i = 0; i < nt; i++) theta[i] = u[i] * scale[i];
        fitter.setDelta(delta);
        return fitter.evaluate(theta);
      };
      const r = bobyqa(f, warm.map((v, i) => v / scale[i]), { lower: lower.map((l, i) => l / scale[i]), rhoBeg, rhoEnd: rhoEnd / 10 });
      r.x.forEach((u, i) => (warm[i] = u * scale[i]));
      return r.f;
    };
    const base = fit.objective;
    const excess = (phi: number) => deviance(phi) - base - target;
    const bound = (direction: 1 | -1): number => {
      let inside = logHat[g], step = 0.05;
      let outside = inside + direction * step;
      while (excess(outside) < 0) {
        inside = outside;
        step *= 2;
        outside = inside + direction * step;
        if (step > 64) return direction > 0 ? Infinity : 0;
      }
      while (Math.abs(outside - inside) > 1e-6) {
        const mid = (inside + outside) / 2;
        if (excess(mid) < 0) inside = mid;
        else outside = mid;
      }
      return Math.exp((inside + outside) / 2);
    };
    const lower = bound(-1);
    warm.set([...fit.theta, ...logHat.filter((_, h) => h !== 0 && h !== g)]);
    const upper = bound(1);
    return { level, delta: d.delta[g], lower, upper };
  });
}
