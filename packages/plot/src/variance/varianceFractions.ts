import type { Figure, FigureOptions } from "../figure/options.js";
import { renderFigure } from "../figure/render.js";
import { marginFor } from "../text/format.js";
import { componentColors } from "./colors.js";
import { toVariancePartition, type VarianceInput } from "./data.js";
import { varianceFractionMarks } from "./marks.js";

/**
 * Distribution across features of each component's fraction of variance (variancePartition's
 * `plotVarPart`, as boxes and dots): which components matter for most features, and which features stand out.
 *
 * @example
 * ```ts
 * varianceFractions(result);
 * ```
 */
export function varianceFractions(input: VarianceInput, options: FigureOptions = {}): Figure {
  const p = toVariancePartition(input);
  return renderFigure(
    {
      title: "Fraction of variance by component across features",
      subtitle: `${p.features.length} features; box: quartiles and range; dot: one feature`,
      height: Math.max(180, p.components.length * 56 + 80),
      marginLeft: marginFor(p.components) + 14,
      x: { label: "Fraction of variance (%)", percent: true, domain: [0, 100], grid: true },
      y: { label: "component", type: "band" },
      color: { domain: p.components, range: componentColors(p.components) },
      marks: varianceFractionMarks(p, { tip: options.tip }),
    },
    options,
  );
}
