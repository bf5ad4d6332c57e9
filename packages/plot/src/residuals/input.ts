import { LinearMixedModel } from "@lmm/core";
import type { FigureOptions } from "../figure/options.js";
import { responseName } from "../model/grouping.js";
import { unitOf, type Units } from "../text/units.js";
import { groupVariable, residualColumns, type ResidualType, type RowVariable } from "./data.js";
import type { ResidualMarksOptions } from "./marks.js";
import type { ResidualColumns } from "@lmm/diagnostics";

/** Options the residual views share. */
export interface ResidualViewOptions extends FigureOptions, Pick<ResidualMarksOptions, "smooth" | "span" | "smoothColor"> {
  /** Residuals to plot (default `"pearson"`; scale-location defaults to `"studentised"`). */
  residuals?: ResidualType;
  /** Grouping factor named in tips: a factor of the model (default its first) or, for columns, a row variable. */
  group?: string | RowVariable;
  /** Units of the variables (`{ Reaction: "ms" }`) for the axis labels. */
  units?: Units;
  /** Response name (for its unit) when the input is not a model. */
  response?: string;
}

/** What a residual view works from, whatever it was given. */
export interface ResolvedResiduals {
  columns: ResidualColumns;
  group?: RowVariable;
  responseUnit?: string;
  response: string;
}

/**
 * Residual columns and the tip's grouping variable from a model or from diagnostics' columns.
 *
 * @example
 * ```ts
 * resolveResiduals(model, { residuals: "studentised" }).columns.studentised;
 * ```
 */
export function resolveResiduals(input: LinearMixedModel | ResidualColumns, options: ResidualViewOptions, type: ResidualType): ResolvedResiduals {
  if (input instanceof LinearMixedModel) {
    const response = responseName(input);
    const group = typeof options.group === "object" ? options.group : groupVariable(input, options.group);
    return { columns: residualColumns(input, type), group, response, responseUnit: unitOf(options.units, response) };
  }
  const response = options.response ?? "response";
  return { columns: input, group: typeof options.group === "object" ? options.group : undefined, response, responseUnit: unitOf(options.units, response) };
}
