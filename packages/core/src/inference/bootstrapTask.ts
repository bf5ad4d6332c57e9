// One parametric-bootstrap refit (lme4's bootMer with FUN = the confint parameters): simulate a
// response from the fitted model with its own random stream, refit it from θ̂, report the sds,
// correlations, sigma and fixed effects. The same function runs in this thread and in workers,
// so results depend only on (seed, refit index).
import type { LmmDesign } from "../engine/design.js";
import { estimatesAt } from "../engine/estimates.js";
import { optimiseTheta } from "../engine/optimise.js";
import { Fitter, type FitterDesign } from "../engine/Fitter.js";
import { linearPredictor, scaleModes } from "../model/modes.js";
import { ReMat } from "../engine/ReMat.js";
import { ThetaLayout } from "../engine/theta.js";
import { Rng } from "../numerics/Rng.js";
import { thetaToSdcor } from "./profileParameters.js";

/** What every refit of one bootstrap run shares (sent once per worker). */
export interface BootstrapShared {
  design: LmmDesign;
  reml: boolean;
  theta: Float64Array;
  beta: Float64Array;
  sigma: number;
  seed: number;
}

/** The parameters of one refit (NaN when the refit failed) and how the optimiser ended. */
export interface BootstrapOutcome {
  values: Float64Array;
  converged: boolean;
  evaluations: number;
}

/** The run's fitter and Λ at θ̂, built once per worker. */
const workspaces = new WeakMap<BootstrapShared, { fitter: Fitter; lambda: Float64Array[] }>();

/** Refit number `index` of a run. */
export function bootstrapRefit(shared: BootstrapShared, index: number): BootstrapOutcome {
  const { fitter, lambda } = workspaceFor(shared);
  const design = fitter.design;
  const rng = Rng.stream(shared.seed, index);
  // y* = offset + Xβ̂ + ZΛ(θ̂)u* + ε, u* ~ N(0, σ̂²I), εᵢ ~ N(0, σ̂²/wᵢ), drawn in lme4's order (u, then ε).
  const u = design.reterms.map((re) => {
    const v = new Float64Array(re.q);
    for (let i = 0; i < v.length; i++) v[i] = shared.sigma * rng.normal();
    return v;
  });
  const y = linearPredictor(design, shared.beta, scaleModes(design.reterms, lambda, u));
  const { weights, offset } = design;
  for (let i = 0; i < y.length; i++) y[i] += (weights ? shared.sigma / Math.sqrt(weights[i]) : shared.sigma) * rng.normal();
  if (offset) for (let i = 0; i < y.length; i++) y[i] += offset[i];
  fitter.setResponse(y);
  fitter.resetDispersion();
  return refitOutcome(fitter, shared.theta, shared.beta.length);
}

/**
 * A bootstrap refit of a fitter holding a simulated response (rows, or sums), from θ̂: the sds,
 * correlations, σ and fixed effects as lme4's confint rows, NaN where the refit failed.
 */
export function refitOutcome(fitter: Fitter<FitterDesign>, start: Float64Array, p: number): BootstrapOutcome {
  const width = start.length + 1 + p;
  try {
    const { theta, info } = optimiseTheta(fitter, { start });
    const at = estimatesAt(fitter, theta, "evaluated");
    if (!Number.isFinite(at.objective)) throw new Error("criterion not finite at the optimum");
    const values = new Float64Array(width);
    values.set(thetaToSdcor(fitter.design.theta, theta, at.sigma));
    values.set(at.beta, start.length + 1);
    return { values, converged: info.converged, evaluations: info.evaluations };
  } catch {
    return { values: new Float64Array(width).fill(NaN), converged: false, evaluations: 0 };
  }
}

/** The run's workspace, built once per worker; a design that crossed a thread gets its classes back. */
function workspaceFor(shared: BootstrapShared): { fitter: Fitter; lambda: Float64Array[] } {
  const known = workspaces.get(shared);
  if (known) return known;
  const design = shared.design;
  if (!(design.theta instanceof ThetaLayout)) {
    // structuredClone keeps the data and the shared references (layout terms → ReMats) but not
    // the prototypes; the methods only read fields, so restoring the prototypes is enough.
    for (const re of design.reterms) Object.setPrototypeOf(re, ReMat.prototype);
    Object.setPrototypeOf(design.theta, ThetaLayout.prototype);
  }
  // With a dispersion formula each refit estimates δ too (from δ̂: `resetDispersion`).
  const fitter = new Fitter(design, Float64Array.from(shared.design.frame.y ?? new Float64Array(design.frame.n)), shared.reml, true);
  const workspace = { fitter, lambda: design.theta.templates(shared.theta) };
  workspaces.set(shared, workspace);
  return workspace;
}
