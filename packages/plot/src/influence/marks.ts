import * as Plot from "@observablehq/plot";
import type { MarkOptions } from "../figure/options.js";
import { formatNumber } from "../text/format.js";
import { cooksRows, dfbetasRows, type CooksRow, type DfbetasRow } from "./data.js";
import type { ClusterInfluenceInput } from "@lmm/diagnostics";

/**
 * Colour of values over a cut-off.
 *
 * @example
 * ```ts
 * svg.querySelectorAll(`circle[fill="${OVER_COLOR}"]`); // the flagged levels
 * ```
 */
export const OVER_COLOR = "#d62728";

/** Options of the influence marks. */
export interface InfluenceMarksOptions extends MarkOptions {
  /** Keep the `limit` most influential levels (default all). */
  limit?: number;
}

/**
 * Cook's distance marks: one lollipop per level (largest at the top), levels over the cut-off in red,
 * and the cut-off 4/n as a dashed red rule.
 *
 * @example
 * ```ts
 * Plot.plot({ marks: cooksDistanceMarks(await clusterInfluence(model, { data, group: "clinic" })) });
 * ```
 */
export function cooksDistanceMarks(input: ClusterInfluenceInput, options: InfluenceMarksOptions = {}): Plot.Markish[] {
  const rows = cooksRows(input, options.limit);
  const color = (r: CooksRow) => (r.over ? OVER_COLOR : "currentColor");
  const common = { y: "level", sort: { y: "rank" }, channels: { rank: "rank" } } as const;
  const cutoff = input.cutoffs.cooksD;
  return [
    Plot.ruleX([0], { stroke: "#999" }),
    Plot.ruleY(rows, { ...common, x1: 0, x2: "cooksD", stroke: color, strokeOpacity: 0.6 }),
    Plot.dot(rows, {
      ...common,
      x: "cooksD",
      r: 3.5,
      fill: color,
      channels: { rank: "rank", level: { value: "level", label: input.group }, nObs: { value: "nObs", label: "n" } },
      tip: options.tip === false ? false : { format: { level: true, nObs: true, x: true, y: false, fill: false, rank: false } },
    }),
    Plot.ruleX([cutoff], { stroke: OVER_COLOR, strokeDasharray: "5,3", ariaDescription: "cut-off" }),
    Plot.text([cutoff], { x: (d: number) => d, frameAnchor: "top", text: () => `cut-off 4/n = ${formatNumber(cutoff)}`, dx: -4, dy: -12, textAnchor: "end", fill: OVER_COLOR }),
  ];
}

/**
 * DFBETAS marks: per coefficient (faceted horizontally by `fx`, one shared standardised scale) a dot per
 * level, levels ordered by their largest |DFBETAS|, values over ±2/√n in red, the cut-offs as dashed rules.
 *
 * @example
 * ```ts
 * Plot.plot({ marks: dfbetasMarks(influence, { limit: 20 }) });
 * ```
 */
export function dfbetasMarks(input: ClusterInfluenceInput, options: InfluenceMarksOptions = {}): Plot.Markish[] {
  const rows = dfbetasRows(input, options.limit);
  const color = (r: DfbetasRow) => (r.over ? OVER_COLOR : "currentColor");
  const c = input.cutoffs.dfbetas;
  return [
    Plot.ruleX([0], { stroke: "#999" }),
    Plot.ruleX([-c, c], { stroke: OVER_COLOR, strokeDasharray: "5,3", ariaDescription: "cut-off" }),
    Plot.ruleY(rows, { y: "level", x1: 0, x2: "dfbetas", fx: "coefficient", stroke: color, strokeOpacity: 0.5, sort: { y: "rank" }, channels: { rank: "rank" } }),
    Plot.dot(rows, {
      x: "dfbetas",
      y: "level",
      fx: "coefficient",
      r: 3,
      fill: color,
      sort: { y: "rank" },
      channels: { rank: "rank", level: { value: "level", label: input.group }, nObs: { value: "nObs", label: "n" }, coefficient: { value: "coefficient", label: "coefficient" } },
      tip: options.tip === false ? false : { format: { level: true, nObs: true, coefficient: true, x: true, y: false, fx: false, fill: false, rank: false } },
    }),
  ];
}
