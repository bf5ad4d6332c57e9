import * as Plot from "@observablehq/plot";
import type { MarkOptions } from "../figure/options.js";
import { lowess } from "@lmm/diagnostics";
import type { ResidualPoint } from "./data.js";

/** Options of {@link residualMarks}. */
export interface ResidualMarksOptions extends MarkOptions {
  /** Draw a LOWESS smoother (numeric x only; default true) with this span (default 2/3). */
  smooth?: boolean;
  span?: number;
  /** Horizontal reference (default 0; null for none). */
  reference?: number | null;
  /** Tip labels of x, y and the group level. */
  xLabel?: string;
  yLabel?: string;
  groupLabel?: string;
  /** Smoother colour (default `#d62728`). */
  smoothColor?: string;
}

/**
 * Residual scatter marks: a reference rule, the points (tip: row, group level, x and y) and, against a
 * numeric x, a LOWESS smoother; against a categorical x, a box per level instead.
 *
 * @example
 * ```ts
 * Plot.plot({ marks: residualMarks(residualPoints(fitted, pearson)) });
 * ```
 */
export function residualMarks(points: ResidualPoint[], options: ResidualMarksOptions = {}): Plot.Markish[] {
  const numeric = points.every((p) => typeof p.x === "number");
  const reference = options.reference === undefined ? 0 : options.reference;
  const smooth = numeric && options.smooth !== false ? lowess(points.map((p) => p.x as number), points.map((p) => p.y), { span: options.span }) : null;
  const hasLevel = points.some((p) => p.level !== "");
  return [
    reference === null ? null : Plot.ruleY([reference], { stroke: "#999", strokeDasharray: "4,3", ariaDescription: "reference" }),
    numeric ? null : Plot.boxY(points, { x: "x", y: "y", fill: "#ddd", stroke: "#777" }),
    Plot.dot(points, {
      x: "x",
      y: "y",
      r: 2,
      fill: "currentColor",
      fillOpacity: 0.55,
      stroke: null,
      channels: {
        row: { value: "row", label: "row" },
        level: { value: "level", label: options.groupLabel ?? "group" },
      },
      tip: options.tip === false ? false : { format: { row: true, level: hasLevel, x: true, y: true } },
    }),
    smooth ? Plot.line({ length: smooth.x.length }, { x: smooth.x, y: smooth.y, stroke: options.smoothColor ?? "#d62728", strokeWidth: 2, ariaDescription: "smoother" }) : null,
  ];
}
