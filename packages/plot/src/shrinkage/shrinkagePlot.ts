import type { Figure, FigureOptions } from "../figure/options.js";
import { renderFigure } from "../figure/render.js";
import { marginFor, withUnit } from "../text/format.js";
import { termUnit, type Units } from "../text/units.js";
import { toShrinkageInput, type ShrinkageInput } from "./data.js";
import { NO_POOLING, PARTIAL_POOLING, shrinkageMarks, type ShrinkageMarksOptions } from "./marks.js";
import type { ShrinkageResult } from "@lmm/diagnostics";

/** Options of {@link shrinkagePlot} and `shrinkage2d`. */
export interface ShrinkagePlotOptions extends FigureOptions, ShrinkageMarksOptions {
  /** Units of the variables (`{ Reaction: "ms", Days: "day" }`) and the response's name, for axis labels. */
  units?: Units;
  response?: string;
}

/**
 * Shrinkage plot of one term: per level an arrow from its own least-squares estimate to its BLUP, the
 * population value as a rule, point area by the level's number of observations, so that small levels,
 * pulled hardest toward the population value, stand out.
 *
 * @example
 * ```ts
 * shrinkagePlot(input, { term: "Days", units: { Reaction: "ms", Days: "day" }, response: "Reaction" });
 * ```
 */
export function shrinkagePlot(data: ShrinkageInput | ShrinkageResult, options: ShrinkagePlotOptions = {}): Figure {
  const input = toShrinkageInput(data);
  const term = options.term ?? input.terms[0];
  const unit = termUnit(term, options.units, options.response ?? "");
  return renderFigure(
    {
      title: `Shrinkage of ${input.group} estimates of ${term}`,
      subtitle: "Arrow: from the level's own least-squares fit to its BLUP; dashed rule: population value; circle area ∝ observations",
      width: 640,
      height: Math.max(220, input.levels.length * 16 + 80),
      marginLeft: marginFor(input.levels) + 14,
      x: { label: withUnit(term, unit), grid: true },
      y: { label: input.group, type: "point" },
      r: { range: [2, 9], label: "n" },
      color: { domain: [NO_POOLING, PARTIAL_POOLING], range: ["#7f7f7f", "#1f77b4"], legend: true },
      marks: shrinkageMarks(input, { term, sort: options.sort, tip: options.tip }),
    },
    options,
  );
}
