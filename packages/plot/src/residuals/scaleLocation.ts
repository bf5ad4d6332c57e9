import type { LinearMixedModel } from "@lmm/core";
import type { Figure } from "../figure/options.js";
import { renderFigure } from "../figure/render.js";
import { withUnit } from "../text/format.js";
import { pickResiduals, residualPoints } from "./data.js";
import { resolveResiduals, type ResidualViewOptions } from "./input.js";
import { residualMarks } from "./marks.js";
import type { ResidualColumns } from "@lmm/diagnostics";

/**
 * Scale-location plot: √|standardised residual| against fitted values with a LOWESS smoother; a rising
 * smoother means the spread grows with the mean (non-constant variance).
 *
 * @example
 * ```ts
 * scaleLocation(model); // studentised residuals by default
 * ```
 */
export function scaleLocation(input: LinearMixedModel | ResidualColumns, options: ResidualViewOptions = {}): Figure {
  const type = options.residuals ?? "studentised";
  const { columns, group, response, responseUnit } = resolveResiduals(input, options, type);
  const r = pickResiduals(columns, type);
  const y = Float64Array.from(r, (v) => Math.sqrt(Math.abs(v)));
  const name = type === "response" ? "residual" : `${type} residual`;
  return renderFigure(
    {
      title: "Scale-location",
      subtitle: `${y.length} observations; red: LOWESS smoother (flat when the spread is constant)`,
      height: 400,
      x: { label: withUnit(`Fitted ${response}`, responseUnit), grid: true },
      y: { label: `√|${name}|`, grid: true, zero: true },
      marks: residualMarks(residualPoints(columns.fitted, y, columns.rows, group), { ...options, reference: null, groupLabel: group?.name, tip: options.tip }),
    },
    options,
  );
}
