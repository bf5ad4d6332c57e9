import { LinearMixedModel } from "@lmm/core";
import type { PlotOptions } from "@observablehq/plot";
import type { Figure, FigureOptions } from "../figure/options.js";
import { renderFigure, renderPanels } from "../figure/render.js";
import { formatNumber } from "../text/format.js";
import { modelQq } from "./data.js";
import { qqMarks } from "./marks.js";
import type { QqInput, QqSet } from "@lmm/diagnostics";

/** Options of {@link qqPlot}. */
export interface QqPlotOptions extends FigureOptions {
  outsideColor?: string;
}

/**
 * Normal Q-Q plots, one panel each (own scales): of the residuals and of each random-effect column's
 * conditional modes, with the simulation envelope when the input carries one (`qq(model)` of
 * `@lmm/diagnostics`). A model alone gives the panels without envelope.
 *
 * @example
 * ```ts
 * qqPlot(qq(model, { nsim: 99, seed: 1 }));      // residuals and modes, with envelopes
 * qqPlot(qq(model).residuals, { width: 400 });    // one panel
 * ```
 */
export function qqPlot(input: LinearMixedModel | QqInput | QqInput[] | QqSet, options: QqPlotOptions = {}): Figure {
  const inputs = qqInputs(input);
  const envelope = inputs.find((q) => q.envelope)?.envelope;
  const title = inputs.length === 1 ? `Normal Q-Q plot: ${inputs[0].label}` : "Normal Q-Q plots of residuals and conditional modes";
  const subtitle = envelope
    ? `Shaded: pointwise ${Math.round(envelope.level * 100)}% envelope from ${envelope.nsim} fits to data simulated from the model; red: outside it`
    : "Dashed: line through the quartiles (no simulation envelope given)";
  const width = options.width ?? (inputs.length === 1 ? 480 : 320);
  const panel = (q: QqInput): PlotOptions => ({
    width,
    height: options.height ?? Math.round(width * 0.85),
    x: { label: "Normal quantiles", grid: true },
    y: { label: q.label, grid: true },
    caption: normalityText(q),
    marks: qqMarks(q, { tip: options.tip, outsideColor: options.outsideColor, idLabel: idLabel(q.label) }),
  });
  if (inputs.length === 1) return renderFigure({ ...panel(inputs[0]), title, subtitle }, { ...options, width });
  return renderPanels({ title, subtitle, panels: inputs.map(panel) }, { ...options, width });
}

function qqInputs(input: LinearMixedModel | QqInput | QqInput[] | QqSet): QqInput[] {
  if (input instanceof LinearMixedModel) return modelQq(input);
  if (Array.isArray(input)) return input;
  if ("residuals" in input && "ranef" in input) return [input.residuals, ...input.ranef];
  return [input as QqInput];
}

function idLabel(label: string): string {
  if (label.startsWith("residuals")) return "row";
  const colon = label.indexOf(": ");
  return colon > 0 ? label.slice(0, colon) : "id";
}

function normalityText(q: QqInput): string | undefined {
  const ad = q.normality?.andersonDarling;
  const sf = q.normality?.shapiroFrancia;
  const parts: string[] = [`n = ${q.sample.length}`];
  if (ad) {
    const sim = ad.simulatedPValue !== undefined && Number.isFinite(ad.simulatedPValue) ? `, simulated p = ${formatNumber(ad.simulatedPValue)}` : "";
    parts.push(`Anderson–Darling A² = ${formatNumber(ad.statistic)} (p = ${formatNumber(ad.pValue)}${sim})`);
  }
  if (sf) parts.push(`Shapiro–Francia W′ = ${formatNumber(sf.statistic)} (p = ${formatNumber(sf.pValue)})`);
  return parts.join("; ");
}
