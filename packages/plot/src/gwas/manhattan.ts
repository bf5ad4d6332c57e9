import * as Plot from "@observablehq/plot";
import type { Figure, FigureOptions, MarkOptions } from "../figure/options.js";
import { renderFigure } from "../figure/render.js";
import { formatNumber } from "../text/format.js";
import { genomeAxis, lambdaGC, type GwasInput, type ManhattanRow } from "./data.js";

/** Options of {@link manhattanMarks} and {@link manhattan}. */
export interface ManhattanOptions extends MarkOptions {
  /** Genome-wide significance (default 5e-8, red rule). */
  threshold?: number;
  /** Suggestive line (default 1e-5, grey dashed; null for none). */
  suggestive?: number | null;
  /** SNP ids to highlight (causal SNPs, say). */
  highlight?: Iterable<string>;
}

/**
 * Manhattan marks: −log10 p of every SNP along the genome, chromosomes in alternating shades, the
 * significance and suggestive thresholds as rules, hits over the threshold in red.
 *
 * @example
 * ```ts
 * Plot.plot({ marks: manhattanMarks({ chromosome, position, p, snp }) });
 * ```
 */
export function manhattanMarks(input: GwasInput, options: ManhattanOptions = {}): Plot.Markish[] {
  const { rows } = genomeAxis(input);
  const threshold = options.threshold ?? 5e-8;
  const suggestive = options.suggestive === undefined ? 1e-5 : options.suggestive;
  const highlight = new Set(options.highlight ?? []);
  const hit = (r: ManhattanRow) => r.p < threshold || highlight.has(r.snp);
  const shade = (r: ManhattanRow) => (r.index % 2 ? "#6b8fb8" : "#1f3b5c");
  const channels = { snp: { value: "snp", label: "SNP" }, chromosome: { value: "chromosome", label: "chromosome" }, position: { value: "position", label: "position (bp)" }, p: { value: "p", label: "p" } };
  return [
    suggestive === null ? null : Plot.ruleY([-Math.log10(suggestive)], { stroke: "#999", strokeDasharray: "4,3", ariaDescription: "suggestive" }),
    Plot.ruleY([-Math.log10(threshold)], { stroke: "#d62728", strokeDasharray: "6,3", ariaDescription: "significance" }),
    // Hits and highlighted SNPs in later marks, so nothing covers them; radii are constants, not a scale.
    Plot.dot(rows.filter((r) => !hit(r)), { x: "x", y: "logp", r: 1.6, fill: shade, ariaDescription: "snps" }),
    Plot.dot(rows.filter((r) => hit(r) && !highlight.has(r.snp)), { x: "x", y: "logp", r: 2.5, fill: "#d62728", ariaDescription: "hits" }),
    Plot.dot(rows.filter((r) => highlight.has(r.snp)), { x: "x", y: "logp", r: 3.5, fill: "#d62728", stroke: "white", ariaDescription: "highlighted" }),
    options.tip === false
      ? null
      : Plot.tip(rows, Plot.pointer({ x: "x", y: "logp", channels, format: { snp: true, chromosome: true, position: true, p: (v: number) => v.toExponential(2), y: true, x: false } })),
  ];
}

/**
 * Manhattan plot: −log10 p along the genome with the genome-wide significance line (5e-8) and a suggestive
 * line (1e-5); the subtitle gives the number of hits and λGC.
 *
 * @example
 * ```ts
 * manhattan({ chromosome: chr, position: bp, p: scan.pWald, snp: ids }, { highlight: causal });
 * ```
 */
export function manhattan(input: GwasInput, options: FigureOptions & ManhattanOptions = {}): Figure {
  const { spans, rows } = genomeAxis(input);
  const threshold = options.threshold ?? 5e-8;
  const hits = rows.filter((r) => r.p < threshold).length;
  const middle = new Map(spans.map((s) => [s.middle, s.chromosome]));
  return renderFigure(
    {
      title: "Manhattan plot",
      subtitle: `${rows.length} SNPs; ${hits} below p = ${formatNumber(threshold)} (red line); λGC = ${lambdaGC(input.p).toFixed(3)}`,
      width: 900,
      height: 360,
      x: { label: "Chromosome", ticks: spans.map((s) => s.middle), tickFormat: (v: number) => middle.get(v) ?? "", tickSize: 0 },
      y: { label: "−log10 p", grid: true, zero: true },
      marks: manhattanMarks(input, options),
    },
    options,
  );
}
