import type { ResidualSpread, ResidualSpreadLevel } from "@lmm/diagnostics";

/** One level of a residual-spread plot: diagnostics' level (the residuals' sd with its interval, the model's sd) and its factor. */
export interface ResidualSpreadRow extends ResidualSpreadLevel {
  by: string;
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
  return spread.levels.map((l) => ({ ...l, by: spread.by, outside: l.model < l.lower || l.model > l.upper }));
}
