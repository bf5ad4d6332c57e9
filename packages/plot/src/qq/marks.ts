import * as Plot from "@observablehq/plot";
import type { MarkOptions } from "../figure/options.js";
import { quartileLine, type QqInput } from "@lmm/diagnostics";
import { qqPoints } from "./data.js";

/** Options of {@link qqMarks}. */
export interface QqMarksOptions extends MarkOptions {
  /** Name of what the ids are (`row`, `Subject`) in the tip (default `id`). */
  idLabel?: string;
  /** Colour of points outside the envelope (default `#d62728`). */
  outsideColor?: string;
}

/**
 * Q-Q marks: the simulation envelope as a shaded band (when the input has one), R's `qqline`, and the
 * sorted values against their normal scores, points outside the envelope highlighted; the tip names the
 * row or level, its value and normal score.
 *
 * @example
 * ```ts
 * Plot.plot({ marks: qqMarks(qq(model).residuals) });
 * ```
 */
export function qqMarks(input: QqInput, options: QqMarksOptions = {}): Plot.Markish[] {
  const points = qqPoints(input);
  const line = input.line ?? quartileLine(input.theoretical, input.sample);
  const n = points.length;
  const ends = n ? [points[0].theoretical, points[n - 1].theoretical] : [];
  const outside = options.outsideColor ?? "#d62728";
  return [
    input.envelope
      ? Plot.areaY(points, { x: "theoretical", y1: "lower", y2: "upper", fill: "#9ecae1", fillOpacity: 0.45, ariaDescription: "envelope" })
      : null,
    Plot.line(ends, { x: (t: number) => t, y: (t: number) => line.intercept + line.slope * t, stroke: "#666", strokeDasharray: "4,3", ariaDescription: "qq-line" }),
    Plot.dot(points, {
      x: "theoretical",
      y: "sample",
      r: 2.5,
      fill: (p: { outside: boolean }) => (p.outside ? outside : "currentColor"),
      channels: { id: { value: "id", label: options.idLabel ?? "id" } },
      tip: options.tip === false ? false : { format: { id: true, y: true, x: true, fill: false } },
    }),
  ];
}
