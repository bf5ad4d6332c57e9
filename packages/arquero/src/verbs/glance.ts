import type { LinearMixedModel } from "@lmm/core";
import type { ColumnTable } from "arquero";
import { rowsToTable } from "./columns.js";

/** glance's columns, in order. */
export const GLANCE_COLUMNS = ["nobs", "sigma", "logLik", "AIC", "BIC", "REMLcrit", "deviance", "df.residual", "singular", "converged"] as const;
const NUMERIC = new Set(["nobs", "sigma", "logLik", "AIC", "BIC", "REMLcrit", "deviance", "df.residual"]);

/**
 * One-row summary of a fit as an Arquero table, named as broom.mixed's `glance`: `nobs, sigma,
 * logLik, AIC, BIC`, `REMLcrit` (REML fits; NaN for ML) or `deviance` (ML fits; NaN for REML, as
 * broom.mixed reports one or the other), `df.residual` (n − p), and the checks `singular` and
 * `converged` (optimiser converged and no convergence warning).
 *
 * @example
 * ```ts
 * glance(model).object(); // { nobs: 180, sigma: 25.59, logLik: -871.8, …, singular: false, converged: true }
 * ```
 */
export function glance(model: LinearMixedModel): ColumnTable {
  return rowsToTable([glanceRow(model)], GLANCE_COLUMNS, NUMERIC);
}

/** The numbers of {@link glance} as a plain object. */
export function glanceRow(model: LinearMixedModel): Record<(typeof GLANCE_COLUMNS)[number], number | boolean> {
  const json = model.toJSON();
  return {
    nobs: model.nobs,
    sigma: model.sigma,
    logLik: model.logLik,
    AIC: model.AIC,
    BIC: model.BIC,
    REMLcrit: model.reml ? model.REMLcrit : NaN,
    deviance: model.reml ? NaN : model.deviance,
    "df.residual": model.nobs - model.beta.length,
    singular: model.isSingular,
    converged: json.converged,
  };
}
