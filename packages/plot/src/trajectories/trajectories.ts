import * as Plot from "@observablehq/plot";
import type { LinearMixedModel } from "@lmm/core";
import type { Figure, FigureOptions } from "../figure/options.js";
import { renderFigure } from "../figure/render.js";
import { categoricalColors } from "../figure/palette.js";
import { naturalCompare } from "../gwas/data.js";
import { withUnit } from "../text/format.js";
import { unitOf, type Units } from "../text/units.js";
import { grouping, responseName } from "../model/grouping.js";
import { resolveFacet, trajectoryData, type TrajectoryDataOptions } from "./data.js";
import { trajectoryMarks } from "./marks.js";

/** Options of {@link trajectories}. */
export interface TrajectoriesOptions extends FigureOptions, TrajectoryDataOptions {
  /** Facet columns of the wrapped grid (default about √(1.5 · facets)). */
  columns?: number;
  units?: Units;
}

/**
 * Longitudinal trajectories: per group the observed values over time (thin), its fitted line (the BLUP
 * line), and the population line (thick dashed, per colour group), faceted by group or by another
 * variable (clinic, say) on a wrapped grid.
 *
 * @example
 * ```ts
 * trajectories(model, { time: "Days", units: { Reaction: "ms", Days: "day" } });
 * trajectories(clinicsModel, { time: "time", group: "clinic:patient", facet: "clinic", colorBy: "program" });
 * ```
 */
export function trajectories(model: LinearMixedModel, options: TrajectoriesOptions): Figure {
  const g = grouping(model, options.group);
  const rows = trajectoryData(model, options);
  const facetName = resolveFacet(options.facet, g.levels.length);
  const order = facetName === null ? [] : [...new Set(rows.map((r) => r.facet))];
  const columns = options.columns ?? Math.max(1, Math.ceil(Math.sqrt(order.length * 1.5)));
  const facets = facetName === null ? null : { order, columns };
  const gridRows = facets ? Math.ceil(order.length / columns) : 1;
  const response = responseName(model);
  const coloured = options.colorBy !== undefined;
  const byWhat = facetName === null ? "" : `, one panel per ${facetName === "group" ? g.group : facetName}`;
  return renderFigure(
    {
      title: `${response} over ${options.time} by ${g.group}`,
      subtitle: `Thin: observed; solid: ${g.group} fitted line (BLUP); ${coloured ? `black-edged: population line per ${options.colorBy} (colour)` : "dashed black: population line"}${byWhat}`,
      width: 640,
      height: facets ? Math.max(260, gridRows * 120 + 60) : 420,
      x: { label: withUnit(options.time, unitOf(options.units, options.time)), grid: true },
      y: { label: withUnit(response, unitOf(options.units, response)), grid: true },
      fx: { axis: null },
      fy: { axis: null },
      color: coloured ? { legend: true, label: options.colorBy, ...categoricalColors([...new Set(rows.map((r) => r.color))].sort(naturalCompare)) } : {},
      marks: [Plot.frame({ stroke: "#ddd" }), ...trajectoryMarks(rows, { facets, groupLabel: g.group, tip: options.tip })],
    },
    options,
  );
}
