import * as Plot from "@observablehq/plot";
import type { MarkOptions } from "../figure/options.js";
import { shrinkageRanks, shrinkageRows, termIndex, toShrinkageInput, type ShrinkageInput, type ShrinkageRow, type ShrinkageSort } from "./data.js";
import type { ShrinkageResult } from "@lmm/diagnostics";

/**
 * Series name of the levels' own fits on the colour scale (the legend).
 *
 * @example
 * ```ts
 * Plot.plot({ color: { domain: [NO_POOLING, PARTIAL_POOLING], legend: true }, marks: shrinkageMarks(input) });
 * ```
 */
export const NO_POOLING = "own fit (no pooling)";
/**
 * Series name of the BLUPs on the colour scale (the legend).
 *
 * @example
 * ```ts
 * Plot.plot({ color: { domain: [NO_POOLING, PARTIAL_POOLING], range: ["grey", "steelblue"] }, marks: shrinkageMarks(input) });
 * ```
 */
export const PARTIAL_POOLING = "BLUP (partial pooling)";

/** Options of {@link shrinkageMarks}. */
export interface ShrinkageMarksOptions extends MarkOptions {
  /** Term to show (default the first). */
  term?: string;
  /** Level order, top first (default by n, largest first). */
  sort?: ShrinkageSort;
}

/**
 * 1-D shrinkage marks: one row per level, an arrow from the level's own least-squares estimate (open
 * circle, area ∝ n) to its BLUP (filled dot), and a rule at the population value. Small levels travel
 * furthest toward the rule. Colours are the ordinal values {@link NO_POOLING} and {@link PARTIAL_POOLING}.
 *
 * @example
 * ```ts
 * Plot.plot({ color: { legend: true }, marks: shrinkageMarks(input, { term: "Days" }) });
 * ```
 */
export function shrinkageMarks(data: ShrinkageInput | ShrinkageResult, options: ShrinkageMarksOptions = {}): Plot.Markish[] {
  const input = toShrinkageInput(data);
  const term = options.term ?? input.terms[0];
  const rows = shrinkageRows(input, term);
  const ranks = shrinkageRanks(rows, options.sort);
  const population = input.population[termIndex(input, term)];
  const common = { y: "level", sort: { y: "rank" }, channels: { rank: (r: ShrinkageRow) => ranks.get(r.level)! } } as const;
  const moved = rows.filter((r) => Number.isFinite(r.noPoolingX) && Number.isFinite(r.blupX));
  return [
    Plot.ruleX([population], { stroke: "#555", strokeDasharray: "4,3", ariaDescription: "population" }),
    Plot.arrow(moved, { ...common, x1: "noPoolingX", x2: "blupX", y1: "level", y2: "level", stroke: "#888", headLength: 6, insetEnd: 2, ariaDescription: "shrinkage arrows" }),
    Plot.dot(rows, { ...common, x: "noPoolingX", r: "n", stroke: () => NO_POOLING, strokeWidth: 1.5, ariaDescription: NO_POOLING }),
    Plot.dot(rows, {
      ...common,
      x: "blupX",
      r: 2.5,
      fill: () => PARTIAL_POOLING,
      ariaDescription: PARTIAL_POOLING,
      channels: { ...common.channels, ...tipChannels(input.group, term) },
      tip: options.tip === false ? false : { format: { level: true, n: true, noPooling: true, x: true, shift: true, shrinkage: true, y: false, fill: false, rank: false } },
    }),
  ];
}

/** Options of {@link shrinkage2dMarks}. */
export interface Shrinkage2dMarksOptions extends MarkOptions {
  /** Terms on x and y (default the first two). */
  x?: string;
  y?: string;
}

/**
 * 2-D shrinkage marks (intercept against slope, say): per level an arrow from its own fit (open circle,
 * area ∝ n) to its BLUP (filled dot), and the population point as a cross at the crossing of two rules.
 *
 * @example
 * ```ts
 * Plot.plot({ color: { legend: true }, marks: shrinkage2dMarks(input) });
 * ```
 */
export function shrinkage2dMarks(data: ShrinkageInput | ShrinkageResult, options: Shrinkage2dMarksOptions = {}): Plot.Markish[] {
  const input = toShrinkageInput(data);
  const xTerm = options.x ?? input.terms[0];
  const yTerm = options.y ?? input.terms[1];
  const rows = shrinkageRows(input, xTerm, yTerm);
  const px = input.population[termIndex(input, xTerm)], py = input.population[termIndex(input, yTerm)];
  const moved = rows.filter((r) => [r.noPoolingX, r.noPoolingY, r.blupX, r.blupY].every(Number.isFinite));
  return [
    Plot.ruleX([px], { stroke: "#bbb", strokeDasharray: "4,3" }),
    Plot.ruleY([py], { stroke: "#bbb", strokeDasharray: "4,3" }),
    Plot.arrow(moved, { x1: "noPoolingX", y1: "noPoolingY", x2: "blupX", y2: "blupY", stroke: "#888", headLength: 6, insetEnd: 2, ariaDescription: "shrinkage arrows" }),
    Plot.dot(rows, { x: "noPoolingX", y: "noPoolingY", r: "n", stroke: () => NO_POOLING, strokeWidth: 1.5, ariaDescription: NO_POOLING }),
    Plot.dot(rows, {
      x: "blupX",
      y: "blupY",
      r: 2.5,
      fill: () => PARTIAL_POOLING,
      ariaDescription: PARTIAL_POOLING,
      channels: {
        level: { value: "level", label: input.group },
        n: { value: "n", label: "n" },
        npx: { value: "noPoolingX", label: `own fit ${xTerm}` },
        npy: { value: "noPoolingY", label: `own fit ${yTerm}` },
      },
      tip: options.tip === false ? false : { format: { level: true, n: true, npx: true, x: true, npy: true, y: true, fill: false } },
    }),
    Plot.dot([[px, py]], { x: (d: number[]) => d[0], y: (d: number[]) => d[1], symbol: "plus", r: 7, stroke: "black", strokeWidth: 2.5, ariaDescription: "population" }),
  ];
}

function tipChannels(group: string, term: string) {
  return {
    level: { value: "level", label: group },
    n: { value: "n", label: "n" },
    noPooling: { value: "noPoolingX", label: `own fit ${term}` },
    shift: { value: (r: ShrinkageRow) => r.blupX - r.noPoolingX, label: "BLUP − own fit" },
    shrinkage: { value: "shrinkage", label: "shrinkage toward the population" },
  };
}
