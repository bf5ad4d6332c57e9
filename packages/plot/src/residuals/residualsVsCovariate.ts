import { InvalidArgumentError, LinearMixedModel } from "@lmm/core";
import type { Figure } from "../figure/options.js";
import { renderFigure } from "../figure/render.js";
import { withUnit } from "../text/format.js";
import { unitOf } from "../text/units.js";
import { modelVariable, pickResiduals, residualLabel, residualPoints, type RowVariable } from "./data.js";
import { resolveResiduals, type ResidualViewOptions } from "./input.js";
import { residualMarks } from "./marks.js";
import type { ResidualColumns } from "@lmm/diagnostics";

/** Options of {@link residualsVsCovariate}. */
export interface ResidualsVsCovariateOptions extends ResidualViewOptions {
  /** The covariate: a variable of the model (`"Days"`), or values over the used rows. */
  covariate: string | RowVariable;
}

/**
 * Residuals against a chosen covariate (time, say) with a LOWESS smoother, or a box per level for a
 * categorical one: a trend left over means the covariate's effect is misspecified.
 *
 * @example
 * ```ts
 * residualsVsCovariate(model, { covariate: "Days", units: { Reaction: "ms", Days: "day" } });
 * ```
 */
export function residualsVsCovariate(input: LinearMixedModel | ResidualColumns, options: ResidualsVsCovariateOptions): Figure {
  const type = options.residuals ?? "pearson";
  const { columns, group, responseUnit } = resolveResiduals(input, options, type);
  const covariate = typeof options.covariate === "object" ? options.covariate : covariateOf(input, options.covariate);
  const y = pickResiduals(columns, type);
  const numeric = !Array.isArray(covariate.values) || (covariate.values as unknown[]).every((v) => typeof v === "number");
  return renderFigure(
    {
      title: `Residuals against ${covariate.name}`,
      subtitle: `${y.length} observations; ${numeric ? "red: LOWESS smoother" : "boxes: quartiles per level"}; dashed: zero`,
      height: 400,
      x: { label: withUnit(covariate.name, unitOf(options.units, covariate.name)), grid: numeric, type: numeric ? undefined : "band", padding: numeric ? undefined : 0.6 },
      y: { label: residualLabel(type, responseUnit), grid: true },
      marks: residualMarks(residualPoints(covariate.values, y, columns.rows, group), { ...options, groupLabel: group?.name, tip: options.tip }),
    },
    options,
  );
}

function covariateOf(input: LinearMixedModel | ResidualColumns, name: string): RowVariable {
  if (input instanceof LinearMixedModel) return modelVariable(input, name);
  throw new InvalidArgumentError("covariate", name, "its values ({ name, values }) when the input is residual columns rather than a model");
}
