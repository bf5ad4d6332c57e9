import type { Figure, FigureOptions } from "../figure/options.js";
import { renderFigure } from "../figure/render.js";
import { marginFor } from "../text/format.js";
import { cooksRows } from "./data.js";
import { cooksDistanceMarks } from "./marks.js";
import type { ClusterInfluenceInput } from "@lmm/diagnostics";

/** Options of {@link cooksDistance} and `dfbetasPlot`. */
export interface InfluenceOptions extends FigureOptions {
  /** Show only the `limit` most influential levels (default 40). */
  limit?: number;
}

/**
 * Cook's distance of each deleted cluster (lme4's `cooks.distance(influence(m, groups = g))`), largest
 * at the top, with the 4/n cut-off; clusters over it in red.
 *
 * @example
 * ```ts
 * cooksDistance(await clusterInfluence(model, { data, group: "clinic" }));
 * ```
 */
export function cooksDistance(input: ClusterInfluenceInput, options: InfluenceOptions = {}): Figure {
  const limit = options.limit ?? 40;
  const rows = cooksRows(input, limit);
  const over = input.levels.filter((l) => l.cooksD > input.cutoffs.cooksD).length;
  const shown = rows.length < input.levels.length ? `the ${rows.length} largest of ${input.levels.length}` : `${rows.length}`;
  return renderFigure(
    {
      title: `Influence of each ${input.group}: Cook's distance`,
      subtitle: `Deleting one ${input.group} at a time (${shown} shown); ${over} over the cut-off 4/n (red)`,
      height: Math.max(200, rows.length * 16 + 70),
      marginLeft: marginFor(rows.map((r) => r.level)) + 14,
      marginTop: 30,
      x: { label: "Cook's distance", grid: true },
      y: { label: input.group, type: "point" },
      marks: cooksDistanceMarks(input, { limit, tip: options.tip }),
    },
    options,
  );
}
