import { fitResponse, Fitter, LinearMixedModel, type LinearMixedModel as Model } from "@lmm/core";

/**
 * Parametric bootstrap of a fit: `nsim` responses simulated from it (seeded, lme4's `simulate`),
 * each refitted on one shared Fitter from the fit's θ (`fitResponse`), and handed to `visit` as a
 * model that is valid only during the call (the next refit reuses its workspace).
 */
export function simulateRefits(model: Model, nsim: number, seed: number, visit: (refit: Model, index: number) => void, signal?: AbortSignal): void {
  if (nsim <= 0) return;
  const responses = model.simulate(nsim, { seed });
  const fitter = new Fitter(model.design, model.response, model.reml);
  responses.forEach((y, s) => {
    signal?.throwIfAborted();
    const fit = fitResponse(fitter, y, { start: model.theta });
    const info = { optimizer: "bobyqa", evaluations: fit.evaluations, converged: fit.converged, reason: "parametric bootstrap refit" };
    visit(new LinearMixedModel(model.design, fitter, fit.theta, info, null), s);
  });
}
