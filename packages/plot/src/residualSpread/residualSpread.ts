import type { ResidualSpread } from "@lmm/diagnostics";
import type { Figure, FigureOptions } from "../figure/options.js";
import { renderFigure } from "../figure/render.js";
import { marginFor } from "../text/format.js";
import { residualSpreadRows } from "./data.js";
import { residualSpreadMarks, type ResidualSpreadMarksOptions } from "./marks.js";

/** Options of {@link residualSpreadPlot}. */
export interface ResidualSpreadOptions extends FigureOptions, Omit<ResidualSpreadMarksOptions, "tip"> {}

/**
 * Residual spread by level: for each level of a factor (a dispersion factor, a site, a scanner) the
 * sd its residuals show with a χ² interval, and the model's residual sd there as a red tick — one
 * tick for every level under a homoscedastic model, σ̂δ̂_g under a dispersion formula. Ticks outside
 * the intervals show where one σ does not fit.
 *
 * @example
 * ```ts
 * const figure = residualSpreadPlot(residualSpread(model, { by: "vendor" }));
 * ```
 */
export function residualSpreadPlot(spread: ResidualSpread, options: ResidualSpreadOptions = {}): Figure {
  const rows = residualSpreadRows(spread);
  const coverage = Math.round(spread.coverage * 100);
  const outside = rows.filter((r) => r.outside).length;
  return renderFigure(
    {
      width: options.width ?? 640,
      height: options.height ?? Math.max(160, rows.length * 22 + 70),
      marginLeft: marginFor(rows.map((r) => r.level)) + 14,
      title: `Residual sd by ${spread.by} with ${coverage}% intervals`,
      subtitle: spread.dispersion ? `Red: the model's residual sd of each ${spread.by} (dispersion formula)` : "Red: the model's one residual sd",
      caption: `${outside} of ${rows.length} levels' intervals miss the model's sd.`,
      x: { label: "residual sd", grid: true, zero: true },
      y: { label: spread.by, type: "band", domain: rows.map((r) => r.level) },
      marks: residualSpreadMarks(rows, options),
    },
    options,
  );
}
