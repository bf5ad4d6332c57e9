import * as Plot from "@observablehq/plot";
import { qnorm } from "@lmm/core/numerics";
import type { MarkOptions } from "../figure/options.js";
import { profileInterval, type IntervalLike, type ProfileInput } from "./data.js";

/** Options of {@link profileMarks}. */
export interface ProfileMarksOptions extends MarkOptions {
  /** Coverage of the interval marked (default 0.95). */
  level?: number;
  /** Intervals to mark (default: read off the points by linear interpolation). */
  interval?: IntervalLike;
}

/**
 * Marks of one parameter's profile: ζ against the value (line and points), horizontal rules at ζ = 0 and
 * ±z, vertical rules at the interval bounds and a dot at the estimate.
 *
 * @example
 * ```ts
 * Plot.plot({ marks: profileMarks(profile(model).parameters[0]) });
 * ```
 */
export function profileMarks(p: ProfileInput["parameters"][number], options: ProfileMarksOptions = {}): Plot.Markish[] {
  const level = options.level ?? 0.95;
  const z = qnorm(1 - (1 - level) / 2);
  const [lower, upper] = options.interval ? [options.interval.lower, options.interval.upper] : profileInterval(p.values, p.zeta, z);
  const points = Array.from(p.values, (value, i) => ({ value, zeta: p.zeta[i] }));
  const bounds = [lower, upper].filter(Number.isFinite);
  return [
    Plot.ruleY([0], { stroke: "#999" }),
    Plot.ruleY([-z, z], { stroke: "#1f77b4", strokeDasharray: "4,3", ariaDescription: "zeta cut-off" }),
    Plot.ruleX(bounds, { stroke: "#1f77b4", strokeDasharray: "4,3", ariaDescription: "interval" }),
    Plot.line(points, { x: "value", y: "zeta", stroke: "currentColor", strokeWidth: 1.5 }),
    Plot.dot(points, {
      x: "value",
      y: "zeta",
      r: 2,
      fill: "currentColor",
      channels: { parameter: { value: () => p.parameter, label: "parameter" } },
      tip: options.tip === false ? false : { format: { parameter: true, x: true, y: true } },
    }),
    Plot.dot([p.estimate], { x: (d: number) => d, y: () => 0, r: 4, fill: "#d62728", ariaDescription: "estimate" }),
  ];
}
