import * as Plot from "@observablehq/plot";
import type { MarkOptions } from "../figure/options.js";
import { featureOrder, fractionRows, toVariancePartition, type VarianceInput } from "./data.js";

/** Options of {@link variancePartitionMarks}. */
export interface VariancePartitionMarksOptions extends MarkOptions {
  /** Component whose fraction orders the features, largest first (default the first component). */
  sort?: string;
  /** Keep the first `limit` features in that order (default all). */
  limit?: number;
}

/**
 * Stacked horizontal bars: per feature the fraction of variance of each component (stacked in component
 * order, residual last), features sorted by one component's fraction. Fill is the component (ordinal).
 *
 * @example
 * ```ts
 * Plot.plot({ color: { legend: true }, marks: variancePartitionMarks(result, { sort: "batch" }) });
 * ```
 */
export function variancePartitionMarks(input: VarianceInput, options: VariancePartitionMarksOptions = {}): Plot.Markish[] {
  const p = toVariancePartition(input);
  const order = featureOrder(p, options.sort ?? p.components[0]).slice(0, options.limit ?? Infinity);
  const rank = new Map(order.map((f, i) => [f, i]));
  const rows = fractionRows(p).filter((r) => rank.has(r.feature));
  return [
    Plot.barX(
      rows,
      Plot.stackX({
        x: "fraction",
        y: "feature",
        fill: "component",
        order: p.components,
        sort: { y: "rank" },
        channels: { rank: (r: { feature: string }) => rank.get(r.feature)!, variance: { value: "variance", label: "variance" } },
        tip: options.tip === false ? false : { format: { y: true, fill: true, x: false, x1: false, x2: false, rank: false, variance: true } },
        title: undefined,
      }),
    ),
    Plot.ruleX([0, 1], { stroke: "#999" }),
  ];
}

/**
 * Distribution of each component's fraction across features: a box per component and a dot per feature
 * (tip: the feature and its fraction), components ordered by their median fraction.
 *
 * @example
 * ```ts
 * Plot.plot({ marks: varianceFractionMarks(result) });
 * ```
 */
export function varianceFractionMarks(input: VarianceInput, options: MarkOptions = {}): Plot.Markish[] {
  const rows = fractionRows(toVariancePartition(input));
  return [
    Plot.boxX(rows, { x: "fraction", y: "component", fill: "component", fillOpacity: 0.25, stroke: "#666", sort: { y: "x", reduce: "median", reverse: true }, r: 0 }),
    Plot.dot(rows, {
      x: "fraction",
      y: "component",
      stroke: "component",
      r: 2.5,
      strokeOpacity: 0.8,
      channels: { feature: { value: "feature", label: "feature" } },
      tip: options.tip === false ? false : { format: { feature: true, y: true, x: true, stroke: false } },
    }),
  ];
}
