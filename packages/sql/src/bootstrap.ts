// The parametric bootstrap of an SQL fit, simulated exactly from its sums (no query runs).
import { bootstrapAggregated } from "@lmm/core/aggregate";
import type { BootstrapOptions, BootstrapResult } from "@lmm/core";
import type { SqlFit } from "./fit.js";

/**
 * Parametric bootstrap of an SQL fit, as `bootstrapSync(model, n, { seed })` of the in-memory model
 * of the same rows: n responses simulated from the fit and refitted from θ̂. No row is simulated:
 * each cell's sums of the simulated response are drawn from their exact joint law (docs/sql.md), so
 * a refit costs the same whatever the number of rows. Refuses sums no rows can have (`NotAggregableError`).
 *
 * @example
 * ```ts
 * const boot = bootstrapSql(await fitSql(engine, { table: "cells" }, "y ~ x + (1 | patient)"), 500, { seed: 1 });
 * boot.intervals(0.95); // [{ parameter: "sd_(Intercept)|patient", percentile: [lo, hi], shortest: [lo, hi] }, …]
 * ```
 */
export function bootstrapSql(fit: SqlFit, n: number, options: Pick<BootstrapOptions, "seed" | "onProgress"> = {}): BootstrapResult {
  return bootstrapAggregated(fit, n, options);
}
