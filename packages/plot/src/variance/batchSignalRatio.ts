import * as Plot from "@observablehq/plot";
import type { Figure, FigureOptions, MarkOptions } from "../figure/options.js";
import { renderFigure } from "../figure/render.js";
import { marginFor } from "../text/format.js";
import { batchSignalRatios, toVariancePartition, type VarianceInput } from "./data.js";

/** Options of {@link batchSignalRatioMarks} and {@link batchSignalRatio}. */
export interface BatchSignalRatioOptions extends MarkOptions {
  /** Components summed into the batch and signal variances (default: the partition's own ρ). */
  ratio?: { batch: readonly string[]; signal: readonly string[] };
  /** Keep the `limit` features with the largest ρ (default all): thousands of rows do not fit a page. */
  limit?: number;
}

/** ρ above this is drawn in red: batch variance at least as large as the signal's. */
const RHO_ALARM = 1;

/**
 * Marks of ρ = σ²batch / σ²signal per feature on a log scale: a dot per feature (largest at the top),
 * red at ρ ≥ 1, and a rule at ρ = 1.
 *
 * @example
 * ```ts
 * Plot.plot({ x: { type: "log" }, marks: batchSignalRatioMarks(result, { ratio: { batch: ["batch"], signal: ["patient"] } }) });
 * ```
 */
export function batchSignalRatioMarks(input: VarianceInput, options: BatchSignalRatioOptions = {}): Plot.Markish[] {
  const p = toVariancePartition(input);
  const rho = batchSignalRatios(p, options.ratio);
  const rows = ratioRows(p.features, rho, options.limit);
  return [
    Plot.ruleX([RHO_ALARM], { stroke: "#d62728", strokeDasharray: "5,3", ariaDescription: "rho = 1" }),
    Plot.dot(rows, {
      x: "rho",
      y: "feature",
      r: 3.5,
      fill: (r: { rho: number }) => (r.rho >= RHO_ALARM ? "#d62728" : "currentColor"),
      sort: { y: "x", reverse: true },
      channels: { feature: { value: "feature", label: "feature" } },
      tip: options.tip === false ? false : { format: { feature: true, x: true, y: false, fill: false } },
    }),
  ];
}

/** Features with a positive finite ρ, the `limit` largest first. */
function ratioRows(features: readonly string[], rho: ArrayLike<number>, limit = Infinity): { feature: string; rho: number }[] {
  const rows = features.map((feature, i) => ({ feature, rho: rho[i] })).filter((r) => r.rho > 0 && Number.isFinite(r.rho));
  return rows.sort((a, b) => b.rho - a.rho).slice(0, Math.max(0, limit));
}

/**
 * Batch-to-signal ratio ρ per feature, sorted, on a log scale, with the ρ = 1 rule (batch variance as large
 * as the signal's); features over it in red. With `limit`, only the features with the largest ρ are drawn
 * (the subtitle says how many of how many).
 *
 * @example
 * ```ts
 * batchSignalRatio(result, { ratio: { batch: ["batch", "reader"], signal: ["patient"] }, limit: 60 });
 * ```
 */
export function batchSignalRatio(input: VarianceInput, options: FigureOptions & BatchSignalRatioOptions = {}): Figure {
  const p = toVariancePartition(input);
  const names = options.ratio ? `(${options.ratio.batch.join(" + ")}) / (${options.ratio.signal.join(" + ")})` : "batch / signal";
  const rho = batchSignalRatios(p, options.ratio);
  const over = Array.from(rho).filter((r) => r >= RHO_ALARM).length;
  const shown = ratioRows(p.features, rho, options.limit).map((r) => r.feature);
  const drawn = options.limit === undefined ? "" : `; the ${shown.length} largest shown`;
  return renderFigure(
    {
      title: "Batch-to-signal variance ratio ρ per feature",
      subtitle: `ρ = ${names} variance; ${over} of ${p.features.length} features at ρ ≥ 1 (red)${drawn}`,
      height: Math.max(200, shown.length * 14 + 80),
      marginLeft: marginFor(shown) + 14,
      x: { label: "ρ (log scale)", type: "log", grid: true },
      y: { label: "feature", type: "point" },
      marks: batchSignalRatioMarks(p, options),
    },
    options,
  );
}
