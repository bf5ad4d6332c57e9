import * as Plot from "@observablehq/plot";
import type { Figure, FigureOptions, MarkOptions } from "../figure/options.js";
import { renderFigure } from "../figure/render.js";
import { formatNumber, marginFor, withUnit } from "../text/format.js";
import type { LosoInput } from "@lmm/diagnostics";

/**
 * Series names (the colour legend).
 *
 * @example
 * ```ts
 * losoRows(cv).filter((r) => r.series === LOSO_SERIES.fixedOnly);
 * ```
 */
export const LOSO_SERIES = { mixed: "mixed model, population level", fixedOnly: "fixed effects only", partial: "partial pooling" } as const;

/** One level's error under one model. */
export interface LosoRow {
  level: string;
  n: number;
  series: string;
  error: number;
  rank: number;
}

/** Options of {@link losoMarks} and {@link losoErrors}. */
export interface LosoOptions extends MarkOptions {
  /** Error shown (default `"rmse"`). */
  metric?: "rmse" | "mae";
}

/**
 * Rows of the LOSO plot: one per level and model, levels ranked by the mixed model's error (largest first).
 *
 * @example
 * ```ts
 * losoRows(cv, "mae");
 * ```
 */
export function losoRows(input: LosoInput, metric: "rmse" | "mae" = "rmse"): LosoRow[] {
  const order = input.levels.map((_, i) => i).sort((a, b) => input.levels[b].mixed[metric] - input.levels[a].mixed[metric] || a - b);
  const rank = new Map(order.map((i, r) => [i, r]));
  return input.levels.flatMap((l, i) => {
    const rows: LosoRow[] = [{ level: l.level, n: l.n, series: LOSO_SERIES.mixed, error: l.mixed[metric], rank: rank.get(i)! }];
    if (l.fixedOnly) rows.push({ level: l.level, n: l.n, series: LOSO_SERIES.fixedOnly, error: l.fixedOnly[metric], rank: rank.get(i)! });
    if (l.partial) rows.push({ level: l.level, n: l.n, series: LOSO_SERIES.partial, error: l.partial[metric], rank: rank.get(i)! });
    return rows;
  });
}

/**
 * Marks of per-level prediction errors: per held-out level a dot per model joined by a rule, and the
 * overall error of each model as a dashed rule of its colour.
 *
 * @example
 * ```ts
 * Plot.plot({ color: { legend: true }, marks: losoMarks(cv) });
 * ```
 */
export function losoMarks(input: LosoInput, options: LosoOptions = {}): Plot.Markish[] {
  const metric = options.metric ?? "rmse";
  const rows = losoRows(input, metric);
  const overall = input.overall
    ? (["mixed", "fixedOnly", "partial"] as const).flatMap((key) => {
        const m = input.overall![key];
        return m ? [{ series: LOSO_SERIES[key], error: m[metric] }] : [];
      })
    : [];
  return [
    Plot.ruleX(overall, { x: "error", stroke: "series", strokeDasharray: "5,3", ariaDescription: "overall" }),
    Plot.ruleY(rows, Plot.groupY({ x1: "min", x2: "max" }, { y: "level", x: "error", stroke: "#bbb" })),
    Plot.dot(rows, {
      x: "error",
      y: "level",
      fill: "series",
      r: 3.5,
      sort: { y: "rank" },
      channels: { rank: "rank", level: { value: "level", label: input.group }, n: { value: "n", label: "n" } },
      tip: options.tip === false ? false : { format: { level: true, n: true, fill: true, x: true, y: false, rank: false } },
    }),
  ];
}

/** Options of {@link losoErrors}. */
export interface LosoErrorsOptions extends FigureOptions, LosoOptions {
  /** Unit of the response, for the axis label. */
  unit?: string;
}

/**
 * Leave-one-site-out errors: for each held-out level (site), the error of predicting it from a model fitted
 * without it (mixed model at the population level, fixed-effects-only, partial pooling), largest at the top;
 * dashed rules: the overall errors.
 *
 * @example
 * ```ts
 * losoErrors(await leaveOneLevelOut(model, { data, group: "site" }), { unit: "HU" });
 * ```
 */
export function losoErrors(input: LosoInput, options: LosoErrorsOptions = {}): Figure {
  const metric = options.metric ?? "rmse";
  const name = metric === "rmse" ? "RMSE" : "MAE";
  const series = (["mixed", "fixedOnly", "partial"] as const).filter((k) => input.levels.some((l) => l[k])).map((k) => LOSO_SERIES[k]);
  const overall = input.overall ? `; overall ${formatNumber(input.overall.mixed[metric])} (mixed)${input.overall.fixedOnly ? ` vs ${formatNumber(input.overall.fixedOnly[metric])} (fixed only)` : ""}` : "";
  return renderFigure(
    {
      title: `Leave-one-${input.group}-out prediction error (${name})`,
      subtitle: `Each ${input.group} predicted by models fitted without it${overall}${input.k ? `; partial pooling: given its first ${input.k} observations` : ""}`,
      height: Math.max(200, input.levels.length * 16 + 90),
      marginLeft: marginFor(input.levels.map((l) => l.level)) + 14,
      x: { label: withUnit(name, options.unit), grid: true, zero: true },
      y: { label: input.group, type: "point" },
      color: { domain: series, range: ["#1f77b4", "#ff7f0e", "#2ca02c"].slice(0, series.length), legend: true },
      marks: losoMarks(input, options),
    },
    options,
  );
}
