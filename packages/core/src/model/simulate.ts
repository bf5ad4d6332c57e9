import { InvalidArgumentError } from "../errors/LmmError.js";
import { Rng } from "../numerics/Rng.js";
import type { LmmDesign } from "../engine/design.js";
import { linearPredictor, scaleModes } from "./modes.js";

/** Options of `simulate`. */
export interface SimulateOptions {
  /** Seed of the generator (default 1). The same seed gives the same responses everywhere. */
  seed?: number;
}

/**
 * Responses drawn from the fitted model, as lme4's `simulate()`: new spherical random effects
 * u* ~ N(0, σ²I), y* = offset + Xβ̂ + ZΛu* + ε, εᵢ ~ N(0, σ²/wᵢ) (wᵢ the prior weights).
 */
export function simulateResponses(design: LmmDesign, lambda: readonly Float64Array[], beta: Float64Array, sigma: number, nsim: number, options: SimulateOptions): Float64Array[] {
  const { reterms, weights: w, offset } = design;
  if (!Number.isInteger(nsim) || nsim < 1) throw new InvalidArgumentError("nsim", nsim, "a positive whole number");
  const rng = new Rng(options.seed ?? 1);
  const out: Float64Array[] = [];
  for (let s = 0; s < nsim; s++) {
    const u = reterms.map((re) => {
      const v = new Float64Array(re.q);
      for (let i = 0; i < v.length; i++) v[i] = sigma * rng.normal();
      return v;
    });
    const y = linearPredictor(design, beta, scaleModes(reterms, lambda, u));
    if (w) for (let i = 0; i < y.length; i++) y[i] += (sigma / Math.sqrt(w[i])) * rng.normal();
    else for (let i = 0; i < y.length; i++) y[i] += sigma * rng.normal();
    if (offset) for (let i = 0; i < y.length; i++) y[i] += offset[i];
    out.push(y);
  }
  return out;
}
