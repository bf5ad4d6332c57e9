import * as Plot from "@observablehq/plot";
import type { MarkOptions } from "../figure/options.js";
import type { ResidualSpreadRow } from "./data.js";

/** Options of {@link residualSpreadMarks}. */
export interface ResidualSpreadMarksOptions extends MarkOptions {
  /** Colour of the residuals' sd and interval (default `currentColor`). */
  stroke?: string;
  /** Colour of the model's sd (default `#d62728`). */
  modelColor?: string;
}

/**
 * Residual-spread marks: per level (on y; give the y scale the levels as its domain to keep their order) the residuals' sd as a dot with its interval
 * as a rule, and the model's residual sd as a tick, with a tip naming the level, n, both sds and the
 * interval.
 *
 * @example
 * ```ts
 * Plot.plot({ marks: residualSpreadMarks(residualSpreadRows(residualSpread(model))) });
 * ```
 */
export function residualSpreadMarks(rows: ResidualSpreadRow[], options: ResidualSpreadMarksOptions = {}): Plot.Markish[] {
  const stroke = options.stroke ?? "currentColor";
  const modelColor = options.modelColor ?? "#d62728";
  const by = rows[0]?.by ?? "level";
  return [
    Plot.ruleY(rows, { y: "level", x1: "lower", x2: "upper", stroke, strokeWidth: 1.5, strokeOpacity: 0.8 }),
    Plot.tickX(rows, { y: "level", x: "model", stroke: modelColor, strokeWidth: 2 }),
    Plot.dot(rows, {
      y: "level",
      x: "sd",
      fill: stroke,
      r: 3.5,
      channels: {
        level: { value: "level", label: by },
        n: { value: "n", label: "n" },
        lower: { value: "lower", label: "lower" },
        upper: { value: "upper", label: "upper" },
        model: { value: "model", label: "model sd" },
      },
      tip: options.tip === false ? false : { format: { level: true, n: true, x: true, lower: true, upper: true, model: true, y: false, fill: false } },
    }),
  ];
}
