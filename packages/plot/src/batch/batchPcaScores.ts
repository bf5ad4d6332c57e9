import * as Plot from "@observablehq/plot";
import type { Figure, FigureOptions, MarkOptions } from "../figure/options.js";
import { renderFigure } from "../figure/render.js";
import { categoricalColors } from "../figure/palette.js";
import { naturalCompare } from "../gwas/data.js";
import { scoreRows, stageLabel, STAGES, type BatchPcaInput } from "./data.js";

/** Options of {@link batchPcaMarks} and {@link batchPcaScores}. */
export interface BatchPcaScoresOptions extends MarkOptions {
  /** Components on x and y, 1-based (default [1, 2]). */
  components?: [number, number];
}

/**
 * PCA score marks coloured by batch, faceted horizontally by stage (`fx`: before / after harmonisation).
 *
 * @example
 * ```ts
 * Plot.plot({ color: { legend: true }, marks: batchPcaMarks({ before, after, batch }) });
 * ```
 */
export function batchPcaMarks(input: BatchPcaInput, options: BatchPcaScoresOptions = {}): Plot.Markish[] {
  const pcs = options.components ?? [1, 2];
  const rows = scoreRows(input, pcs);
  return [
    Plot.frame({ stroke: "#ddd" }),
    Plot.dot(rows, {
      x: "x",
      y: "y",
      fx: "stage",
      fill: "batch",
      r: 2.5,
      fillOpacity: 0.75,
      channels: { row: { value: "row", label: "row" } },
      tip: options.tip === false ? false : { format: { fill: true, row: true, x: true, y: true, fx: false } },
    }),
  ];
}

/**
 * Principal-component scores coloured by batch, before and after harmonisation side by side: batches that
 * separate before and mix after show the harmonisation worked. Facet labels give each component's share of
 * the variance and how much of it batch explains (one-way ANOVA R²).
 *
 * @example
 * ```ts
 * batchPcaScores({ before: batchPca(raw, batch), after: batchPca(harmonised, batch), batch });
 * ```
 */
export function batchPcaScores(input: BatchPcaInput, options: FigureOptions & BatchPcaScoresOptions = {}): Figure {
  const pcs = options.components ?? [1, 2];
  const stages = input.after ? [STAGES.before, STAGES.after] : [STAGES.before];
  const labels = new Map<string, string>([[STAGES.before, stageLabel(STAGES.before, input.before, pcs)]]);
  if (input.after) labels.set(STAGES.after, stageLabel(STAGES.after, input.after, pcs));
  const share = (p: { batchShare?: number }) => (p.batchShare === undefined ? "" : `${(p.batchShare * 100).toFixed(1)}%`);
  const shares = input.after ? `batch-associated variance ${share(input.before)} before, ${share(input.after)} after` : `batch-associated variance ${share(input.before)}`;
  return renderFigure(
    {
      title: input.after ? "Principal components by batch, before and after harmonisation" : "Principal components by batch",
      subtitle: `Each dot a sample, coloured by batch; ${shares}`,
      width: input.after ? 900 : 520,
      height: 420,
      marginTop: 36,
      x: { label: `PC${pcs[0]} score`, grid: true },
      y: { label: `PC${pcs[1]} score`, grid: true },
      fx: { domain: stages, label: null, tickFormat: (s: string) => labels.get(s) ?? s },
      // One distinct colour per batch (Plot's default scheme repeats after ten).
      color: { legend: true, label: "batch", ...categoricalColors([...new Set(Array.from(input.batch, String))].sort(naturalCompare)) },
      marks: batchPcaMarks(input, options),
    },
    options,
  );
}
