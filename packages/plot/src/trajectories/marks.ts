import * as Plot from "@observablehq/plot";
import type { MarkOptions } from "../figure/options.js";
import { populationLines, type TrajectoryRow } from "./data.js";

/** Options of {@link trajectoryMarks}. */
export interface TrajectoryMarksOptions extends MarkOptions {
  /** Facet channels: `"wrap"` places facets on a grid of `columns` (default), `"none"` draws one panel. */
  facets?: { order: string[]; columns: number } | null;
  /** Tip labels. */
  groupLabel?: string;
  timeLabel?: string;
  /** Colour of observations and group lines when there is no colour variable (default `#1f77b4`). */
  stroke?: string;
}

/**
 * Trajectory marks: observed values per group (thin line and dots), each group's fitted line, and the
 * population line (thick, black). Rows carry their facet; with `facets`, panels wrap on a grid and each
 * is labelled with its facet value.
 *
 * @example
 * ```ts
 * Plot.plot({ marks: trajectoryMarks(trajectoryData(model, { time: "Days", facet: null })) });
 * ```
 */
export function trajectoryMarks(rows: TrajectoryRow[], options: TrajectoryMarksOptions = {}): Plot.Markish[] {
  const coloured = rows.some((r) => r.color !== "");
  const stroke = coloured ? "color" : () => options.stroke ?? "#1f77b4";
  const wrap = facetChannels(options.facets ?? null);
  const population = populationLines(rows);
  return [
    Plot.line(rows, { x: "time", y: "observed", z: "level", stroke, strokeOpacity: 0.35, strokeWidth: 1, ...wrap, ariaDescription: "observed" }),
    Plot.line(rows, { x: "time", y: "fitted", z: "level", stroke, strokeWidth: 1.5, ...wrap, ariaDescription: "group fit" }),
    // With colours, each population line is drawn in its colour over a black outline so it reads apart from the group lines.
    coloured ? Plot.line(population, { x: "time", y: "population", z: "key", stroke: "black", strokeWidth: 5, ...wrap, ariaDescription: "population outline" }) : null,
    Plot.line(population, { x: "time", y: "population", z: "key", stroke: coloured ? "color" : "black", strokeWidth: 2.5, strokeDasharray: coloured ? undefined : "6,3", ...wrap, ariaDescription: "population" }),
    Plot.dot(rows, {
      x: "time",
      y: "observed",
      r: 2,
      fill: stroke,
      ...wrap,
      channels: {
        level: { value: "level", label: options.groupLabel ?? "group" },
        n: { value: "n", label: "n" },
        fitted: { value: "fitted", label: "group fit" },
        population: { value: "population", label: "population fit" },
      },
      tip: options.tip === false ? false : { format: { level: true, n: true, x: true, y: true, fitted: true, population: true, fill: coloured, fx: false, fy: false } },
      ariaDescription: "observations",
    }),
    options.facets ? Plot.text(options.facets.order, { ...facetChannelsOfValue(options.facets), text: (d: string) => d, frameAnchor: "top-left", dx: 3, dy: 3, fontWeight: "bold", ariaDescription: "facet label" }) : null,
  ];
}

/** fx/fy channels placing each row's facet on a wrapped grid. */
function facetChannels(facets: { order: string[]; columns: number } | null) {
  if (!facets) return {};
  const index = new Map(facets.order.map((f, i) => [f, i]));
  return {
    fx: (r: { facet: string }) => index.get(r.facet)! % facets.columns,
    fy: (r: { facet: string }) => Math.floor(index.get(r.facet)! / facets.columns),
  };
}

function facetChannelsOfValue(facets: { order: string[]; columns: number }) {
  return {
    fx: (_: string, i: number) => i % facets.columns,
    fy: (_: string, i: number) => Math.floor(i / facets.columns),
  };
}
