import type { Figure, FigureOptions } from "../figure/options.js";
import { renderFigure } from "../figure/render.js";
import { withUnit } from "../text/format.js";
import { termUnit, type Units } from "../text/units.js";
import { toShrinkageInput, type ShrinkageInput } from "./data.js";
import { NO_POOLING, PARTIAL_POOLING, shrinkage2dMarks, type Shrinkage2dMarksOptions } from "./marks.js";
import type { ShrinkageResult } from "@lmm/diagnostics";

/** Options of {@link shrinkage2d}. */
export interface Shrinkage2dOptions extends FigureOptions, Shrinkage2dMarksOptions {
  units?: Units;
  response?: string;
}

/**
 * 2-D shrinkage plot for a random-slope model: each level's own (intercept, slope) fit joined by an
 * arrow to its BLUP pair, the population pair as a cross; circle area ∝ observations.
 *
 * @example
 * ```ts
 * shrinkage2d(input, { x: "(Intercept)", y: "Days" });
 * ```
 */
export function shrinkage2d(data: ShrinkageInput | ShrinkageResult, options: Shrinkage2dOptions = {}): Figure {
  const input = toShrinkageInput(data);
  const x = options.x ?? input.terms[0];
  const y = options.y ?? input.terms[1];
  const response = options.response ?? "";
  return renderFigure(
    {
      title: `Shrinkage of ${input.group} estimates: ${x} and ${y}`,
      subtitle: "Arrow: from each level's own least-squares fit to its BLUP; cross: population values; circle area ∝ observations",
      width: 640,
      height: 480,
      x: { label: withUnit(x, termUnit(x, options.units, response)), grid: true },
      y: { label: withUnit(y, termUnit(y, options.units, response)), grid: true },
      r: { range: [1.5, 7], label: "n" },
      color: { domain: [NO_POOLING, PARTIAL_POOLING], range: ["#7f7f7f", "#1f77b4"], legend: true },
      marks: shrinkage2dMarks(input, { x, y, tip: options.tip }),
    },
    options,
  );
}
