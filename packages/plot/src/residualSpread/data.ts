import type { ResidualSpread } from "@lmm/diagnostics";

/** One level of a residual-spread plot: the residuals' sd with its interval and the model's sd. */
export interface ResidualSpreadRow {
  by: string;
  level: string;
  n: number;
  sd: number;
  lower: number;
  upper: number;
  model: number;
  /** Whether the model's sd lies outside the level's interval. */
  outside: boolean;
}

/**
 * The rows of a residual-spread plot from diagnostics' {@link ResidualSpread}, in the factor's level order.
 *
 * @example
 * ```ts
 * residualSpreadRows(residualSpread(model)).filter((r) => r.outside);
 * ```
 */
export function residualSpreadRows(spread: ResidualSpread): ResidualSpreadRow[] {
  return spread.levels.map((l) => ({ by: spread.by, level: l.level, n: l.n, sd: l.sd, lower: l.lower, upper: l.upper, model: l.model, outside: l.model < l.lower || l.model > l.upper }));
}
