import { LinearMixedModel } from "@lmm/core";
import type { PlotOptions } from "@observablehq/plot";
import type { Figure, FigureOptions } from "../figure/options.js";
import { renderFigure, renderPanels } from "../figure/render.js";
import { responseName } from "../model/grouping.js";
import { marginFor, withUnit } from "../text/format.js";
import { termUnit, type Units } from "../text/units.js";
import { caterpillarData, type CaterpillarDataOptions, type ConditionalModes } from "./data.js";
import { caterpillarMarks } from "./marks.js";

/** Options of {@link caterpillar}. */
export interface CaterpillarOptions extends FigureOptions, CaterpillarDataOptions {
  /** Units of the variables (`{ Reaction: "ms", Days: "day" }`) for the axis labels. */
  units?: Units;
  /** Response name for the units when the input is not a model. */
  response?: string;
  highlightColor?: string;
}

/**
 * Caterpillar plot: the conditional modes of one grouping factor with their intervals, one panel per
 * term (each with its own x scale), levels sorted by value (the same order in every panel) and flagged
 * levels highlighted.
 *
 * @example
 * ```ts
 * const figure = caterpillar(model, { group: "Subject", units: { Reaction: "ms", Days: "day" }, highlight: ["308"] });
 * ```
 */
export function caterpillar(input: LinearMixedModel | ConditionalModes, options: CaterpillarOptions = {}): Figure {
  const rows = caterpillarData(input, options);
  const group = rows[0]?.group ?? options.group ?? "level";
  const terms = [...new Set(rows.map((r) => r.term))];
  const levels = [...new Set(rows.map((r) => r.level))];
  const response = input instanceof LinearMixedModel ? responseName(input) : (options.response ?? "");
  const coverage = Math.round((options.level ?? 0.95) * 100);
  const flagged = rows.some((r) => r.flagged);
  const title = `Conditional modes of ${group} with ${coverage}% intervals`;
  const subtitle = `${levels.length} levels, sorted ${(options.sort ?? "value") === "value" ? `by ${options.sortTerm ?? terms[0]}` : "in level order"}`;
  const caption = flagged ? "Highlighted: flagged levels." : undefined;
  const width = options.width ?? (terms.length > 1 ? Math.max(280, Math.floor(640 / terms.length)) : 640);
  const panel = (term: string): PlotOptions => ({
    width,
    height: options.height ?? Math.max(200, levels.length * 14 + 60),
    marginLeft: marginFor(levels) + 14,
    x: { label: withUnit(term, termUnit(term, options.units, response)), grid: true },
    y: { label: group, type: "point" },
    marks: caterpillarMarks(rows, { term, tip: options.tip, highlightColor: options.highlightColor }),
  });
  if (terms.length === 1) return renderFigure({ ...panel(terms[0]), title, subtitle, caption }, options);
  return renderPanels({ title, subtitle, caption, panels: terms.map(panel) }, options);
}
