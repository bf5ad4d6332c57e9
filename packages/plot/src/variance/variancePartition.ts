import type { Figure, FigureOptions } from "../figure/options.js";
import { renderFigure } from "../figure/render.js";
import { marginFor } from "../text/format.js";
import { componentColors } from "./colors.js";
import { toVariancePartition, type VarianceInput } from "./data.js";
import { variancePartitionMarks, type VariancePartitionMarksOptions } from "./marks.js";

/** Options of {@link variancePartition}. */
export interface VariancePartitionOptions extends FigureOptions, VariancePartitionMarksOptions {}

/**
 * Variance partition per feature (variancePartition's `plotPercentBars`): stacked bars of each component's
 * share of the variance, features sorted by one component (default the largest on average), residual grey.
 *
 * @example
 * ```ts
 * variancePartition(await varpart(tma, "{feature} ~ grade + (1|patient) + (1|batch) + (1|reader)", "feature_*"), { sort: "batch" });
 * ```
 */
export function variancePartition(input: VarianceInput, options: VariancePartitionOptions = {}): Figure {
  const p = toVariancePartition(input);
  const sort = options.sort ?? p.components[0];
  const shown = Math.min(p.features.length, options.limit ?? Infinity);
  return renderFigure(
    {
      title: "Variance partition per feature",
      subtitle: `Share of each feature's variance by component; ${shown === p.features.length ? `${shown} features` : `${shown} of ${p.features.length} features`}, sorted by the ${sort} share`,
      height: Math.max(200, shown * 14 + 90),
      marginLeft: marginFor(p.features) + 14,
      x: { label: "Fraction of variance (%)", percent: true, domain: [0, 100], grid: true },
      y: { label: "feature", type: "band" },
      color: { domain: p.components, range: componentColors(p.components), legend: true },
      marks: variancePartitionMarks(p, { sort, limit: options.limit, tip: options.tip }),
    },
    options,
  );
}
