import type { LinearMixedModel } from "@lmm/core";
import type { Figure } from "../figure/options.js";
import { renderFigure } from "../figure/render.js";
import { withUnit } from "../text/format.js";
import { pickResiduals, residualLabel, residualPoints } from "./data.js";
import { resolveResiduals, type ResidualViewOptions } from "./input.js";
import { residualMarks } from "./marks.js";
import type { ResidualColumns } from "@lmm/diagnostics";

/**
 * Residuals against fitted values (conditional: with the random effects), a zero rule and a LOWESS
 * smoother: curvature or a fan shape shows structure the model missed.
 *
 * @example
 * ```ts
 * residualsVsFitted(model, { units: { Reaction: "ms" } });
 * residualsVsFitted(residualDiagnostics(model), { residuals: "studentised" });
 * ```
 */
export function residualsVsFitted(input: LinearMixedModel | ResidualColumns, options: ResidualViewOptions = {}): Figure {
  const type = options.residuals ?? "pearson";
  const { columns, group, response, responseUnit } = resolveResiduals(input, options, type);
  const y = pickResiduals(columns, type);
  const xLabel = withUnit(`Fitted ${response}`, responseUnit);
  const yLabel = residualLabel(type, responseUnit);
  return renderFigure(
    {
      title: "Residuals against fitted values",
      subtitle: `${y.length} observations; red: LOWESS smoother; dashed: zero`,
      height: 400,
      x: { label: xLabel, grid: true },
      y: { label: yLabel, grid: true },
      marks: residualMarks(residualPoints(columns.fitted, y, columns.rows, group), { ...options, groupLabel: group?.name, tip: options.tip }),
    },
    options,
  );
}
