import * as Plot from "@observablehq/plot";
import type { Figure, FigureOptions, MarkOptions } from "../figure/options.js";
import { renderFigure } from "../figure/render.js";
import { lambdaGC, pvalueQqRows, type GwasInput } from "./data.js";

/** p-values of one or several scans (`{ name, p }` each, e.g. LMM, PC regression, naive). */
export type PvalueInput = GwasInput | ArrayLike<number> | readonly { name: string; p: ArrayLike<number>; snp?: readonly string[] }[];

function series(input: PvalueInput): { name: string; p: ArrayLike<number>; snp?: readonly string[] }[] {
  if (Array.isArray(input) && input.length > 0 && typeof input[0] === "object") return input as { name: string; p: ArrayLike<number> }[];
  if ("p" in (input as object) && !ArrayBuffer.isView(input) && !Array.isArray(input)) return [{ name: "p", p: (input as GwasInput).p, snp: (input as GwasInput).snp }];
  return [{ name: "p", p: input as ArrayLike<number> }];
}

/**
 * p-value Q-Q marks: observed against expected −log10 p per series (coloured, legend labels carry λGC),
 * and the identity line.
 *
 * @example
 * ```ts
 * Plot.plot({ color: { legend: true }, marks: pvalueQqMarks([{ name: "LMM", p: lmmP }, { name: "naive", p: naiveP }]) });
 * ```
 */
export function pvalueQqMarks(input: PvalueInput, options: MarkOptions = {}): Plot.Markish[] {
  const all = series(input);
  const rows = all.flatMap((s) => pvalueQqRows(seriesLabel(s), s.p, s.snp));
  const max = Math.max(...rows.map((r) => r.expected));
  return [
    Plot.line([0, max], { x: (d: number) => d, y: (d: number) => d, stroke: "#999", strokeDasharray: "4,3", ariaDescription: "identity" }),
    Plot.dot(rows, {
      x: "expected",
      y: "observed",
      r: 1.8,
      fill: "series",
      channels: { snp: { value: "snp", label: "SNP" } },
      tip: options.tip === false ? false : { format: { fill: true, snp: true, x: true, y: true } },
    }),
  ];
}

function seriesLabel(s: { name: string; p: ArrayLike<number> }): string {
  return `${s.name} (λGC ${lambdaGC(s.p).toFixed(3)})`;
}

/**
 * Q-Q plot of GWAS p-values against the uniform null on the −log10 scale, one colour per scan, each
 * labelled with its genomic-control inflation λGC (1 when the test statistics are calibrated).
 *
 * @example
 * ```ts
 * pvalueQq([{ name: "LMM (GEMMA)", p: lmmP }, { name: "linear, 10 PCs", p: pcP }, { name: "linear", p: naiveP }]);
 * ```
 */
export function pvalueQq(input: PvalueInput, options: FigureOptions = {}): Figure {
  const all = series(input);
  const labels = all.map(seriesLabel);
  return renderFigure(
    {
      title: all.length === 1 ? `p-value Q-Q plot (λGC = ${lambdaGC(all[0].p).toFixed(3)})` : "p-value Q-Q plots",
      subtitle: "Observed against expected −log10 p under the null; dashed: identity; λGC = median χ²₁ / 0.455",
      width: 520,
      height: 480,
      x: { label: "Expected −log10 p", grid: true },
      y: { label: "Observed −log10 p", grid: true },
      color: { domain: labels, legend: all.length > 1 },
      marks: pvalueQqMarks(input, options),
    },
    options,
  );
}
