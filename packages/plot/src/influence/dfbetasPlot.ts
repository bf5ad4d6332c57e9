import type { Figure } from "../figure/options.js";
import { renderFigure } from "../figure/render.js";
import { formatNumber, marginFor } from "../text/format.js";
import type { InfluenceOptions } from "./cooksDistance.js";
import { dfbetasRows } from "./data.js";
import { dfbetasMarks } from "./marks.js";
import type { ClusterInfluenceInput } from "@lmm/diagnostics";

/**
 * DFBETAS of each deleted cluster on each fixed effect (scaled by the standard errors without the
 * cluster, as lme4's `dfbetas`), one panel per coefficient, with the ±2/√n cut-offs.
 *
 * @example
 * ```ts
 * dfbetasPlot(await clusterInfluence(model, { data, group: "clinic" }), { limit: 20 });
 * ```
 */
export function dfbetasPlot(input: ClusterInfluenceInput, options: InfluenceOptions = {}): Figure {
  const limit = options.limit ?? 40;
  const rows = dfbetasRows(input, limit);
  const nLevels = rows.length / Math.max(1, input.fixefNames.length);
  const shown = nLevels < input.levels.length ? `the ${nLevels} most influential of ${input.levels.length}` : `${nLevels}`;
  return renderFigure(
    {
      title: `Influence of each ${input.group} on the fixed effects: DFBETAS`,
      subtitle: `Change in each coefficient when the ${input.group} is deleted, in standard errors (${shown} shown); dashed: ±2/√n = ±${formatNumber(input.cutoffs.dfbetas)}`,
      width: Math.max(640, 170 * input.fixefNames.length + 80),
      height: Math.max(200, nLevels * 16 + 80),
      marginLeft: marginFor(rows.map((r) => r.level)) + 14,
      x: { label: "DFBETAS", grid: true },
      y: { label: input.group, type: "point" },
      fx: { label: null, domain: [...input.fixefNames] },
      marks: dfbetasMarks(input, { limit, tip: options.tip }),
    },
    options,
  );
}
