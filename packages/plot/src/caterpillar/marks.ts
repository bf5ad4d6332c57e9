import * as Plot from "@observablehq/plot";
import type { LinearMixedModel } from "@lmm/core";
import type { MarkOptions } from "../figure/options.js";
import { caterpillarData, type CaterpillarDataOptions, type CaterpillarRow, type ConditionalModes } from "./data.js";

/** Options of {@link caterpillarMarks}. */
export interface CaterpillarMarksOptions extends CaterpillarDataOptions, MarkOptions {
  /** Draw only this term (default: every term, faceted horizontally by `fx: "term"`, sharing the x scale). */
  term?: string;
  /** Colour of levels not highlighted (default `currentColor`). */
  stroke?: string;
  /** Colour of highlighted levels (default `#d62728`). */
  highlightColor?: string;
}

/**
 * Caterpillar marks: a zero rule, each level's interval as a horizontal rule and its conditional mode
 * as a dot, levels on y in the rows' rank order (sorted by value by default), with a tip naming the level,
 * n, the mode, its sd and interval.
 *
 * @example
 * ```ts
 * Plot.plot({ marks: [caterpillarMarks(model, { term: "(Intercept)" })] });
 * ```
 */
export function caterpillarMarks(input: LinearMixedModel | ConditionalModes | CaterpillarRow[], options: CaterpillarMarksOptions = {}): Plot.Markish[] {
  let rows = Array.isArray(input) ? input : caterpillarData(input, options);
  if (options.term !== undefined) rows = rows.filter((r) => r.term === options.term);
  const faceted = options.term === undefined && new Set(rows.map((r) => r.term)).size > 1;
  const base = options.stroke ?? "currentColor";
  const highlight = options.highlightColor ?? "#d62728";
  const color = (r: CaterpillarRow) => (r.flagged ? highlight : base);
  const group = rows[0]?.group ?? "level";
  const common = { y: "level", fx: faceted ? "term" : undefined, sort: { y: "rank" }, channels: { rank: "rank" } } as const;
  return [
    Plot.ruleX([0], { stroke: "#999", strokeDasharray: "3,3" }),
    Plot.ruleY(rows, { ...common, x1: "lower", x2: "upper", stroke: color, strokeWidth: 1.5, strokeOpacity: 0.8 }),
    Plot.dot(rows, {
      ...common,
      x: "value",
      fill: color,
      r: 3.5,
      channels: {
        rank: "rank",
        level: { value: "level", label: group },
        n: { value: "n", label: "n" },
        term: { value: "term", label: "term" },
        sd: { value: "sd", label: "conditional sd" },
        lower: { value: "lower", label: "lower" },
        upper: { value: "upper", label: "upper" },
      },
      tip: options.tip === false ? false : { format: { level: true, term: true, n: hasCounts(rows), x: true, sd: true, lower: true, upper: true, y: false, fill: false, rank: false, fx: false } },
    }),
  ];
}

function hasCounts(rows: CaterpillarRow[]): boolean {
  return rows.some((r) => Number.isFinite(r.n));
}
