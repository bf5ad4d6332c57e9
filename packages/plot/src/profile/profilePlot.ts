import type { PlotOptions } from "@observablehq/plot";
import type { Figure, FigureOptions } from "../figure/options.js";
import { renderFigure, renderPanels } from "../figure/render.js";
import { formatNumber } from "../text/format.js";
import { profileInterval, type IntervalLike, type ProfileInput } from "./data.js";
import { profileMarks } from "./marks.js";
import { qnorm } from "@lmm/core/numerics";

/** Options of {@link profilePlot}. */
export interface ProfilePlotOptions extends FigureOptions {
  /** Coverage (default 0.95). */
  level?: number;
  /** Profile only these parameters (default all). */
  parameters?: string[];
  /** Intervals to mark, e.g. `profileConfint(pr, 0.95)` of `@lmm/core` (default: linear interpolation). */
  intervals?: readonly IntervalLike[];
}

/**
 * Profile-likelihood plot (lme4's `xyplot(profile(m))`): for each parameter ζ against its value, one panel
 * each with its own x scale, the ±z rules and the interval read where ζ crosses them.
 *
 * @example
 * ```ts
 * const pr = profile(model);
 * profilePlot(pr, { intervals: profileConfint(pr, 0.95) });
 * ```
 */
export function profilePlot(input: ProfileInput, options: ProfilePlotOptions = {}): Figure {
  const level = options.level ?? 0.95;
  const z = qnorm(1 - (1 - level) / 2);
  const chosen = input.parameters.filter((p) => !options.parameters || options.parameters.includes(p.parameter));
  const width = options.width ?? (chosen.length === 1 ? 480 : 300);
  const panel = (p: ProfileInput["parameters"][number]): PlotOptions => {
    const interval = options.intervals?.find((i) => i.parameter === p.parameter);
    const [lower, upper] = interval ? [interval.lower, interval.upper] : profileInterval(p.values, p.zeta, z);
    return {
      width,
      height: options.height ?? 240,
      x: { label: p.parameter, grid: true },
      y: { label: "ζ", grid: true },
      caption: `estimate ${formatNumber(p.estimate)}; ${Math.round(level * 100)}% interval [${formatNumber(lower)}, ${formatNumber(upper)}]`,
      marks: profileMarks(p, { level, interval, tip: options.tip }),
    };
  };
  const title = chosen.length === 1 ? `Profile likelihood of ${chosen[0].parameter}` : "Profile likelihood of the parameters";
  const subtitle = `ζ = sign(x − x̂)·√(deviance(x) − deviance(x̂)); dashed: ζ = ±${formatNumber(z)} and the ${Math.round(level * 100)}% interval; red: estimate`;
  if (chosen.length === 1) return renderFigure({ ...panel(chosen[0]), title, subtitle }, { ...options, width });
  return renderPanels({ title, subtitle, panels: chosen.map(panel) }, { ...options, width });
}
