import type { LinearMixedModel } from "@lmm/core";
import { ResponseFits } from "@lmm/core/engine";

/**
 * Parametric bootstrap of a fit: `nsim` responses simulated from it (seeded, lme4's `simulate`),
 * each refitted on one shared workspace from the fit's θ, and handed to `visit` as a model of its
 * own at the refit's θ̂.
 */
export function simulateRefits(model: LinearMixedModel, nsim: number, seed: number, visit: (refit: LinearMixedModel, index: number) => void, signal?: AbortSignal): void {
  if (nsim <= 0) return;
  const responses = model.simulate(nsim, { seed });
  const fits = ResponseFits.of(model);
  responses.forEach((y, s) => {
    signal?.throwIfAborted();
    const fit = fits.fit(y, { start: model.theta });
    visit(fits.model(y, fit, "parametric bootstrap refit"), s);
  });
}
