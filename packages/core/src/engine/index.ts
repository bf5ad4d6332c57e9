// @lmm/core/engine: the façade for packages that refit — many responses on one design, refits on
// some rows from a warm start — and the optimiser. The fitter, the systems and design building stay
// inside the core; everything else a package needs from a fit is on the model (`@lmm/core`).
export { ResponseFits, RowsRefit, criterionOf, type FitSummary } from "./refit.js";
export type { Estimates } from "./estimates.js";
export type { OptimiseOptions } from "./optimise.js";
export { bobyqa, type OptimResult, type BobyqaOptions } from "../optim/index.js";
