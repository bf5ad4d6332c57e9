import * as Plot from "@observablehq/plot";
import type { PlotOptions } from "@observablehq/plot";
import { resolveDocument } from "./document.js";
import type { Figure, FigureOptions } from "./options.js";

/** What a view decides: Plot options (marks, scales) with a default title. */
export interface FigureSpec extends PlotOptions {
  title: string;
}

/**
 * Draws one Plot figure: the view's spec, then the caller's options over it (dimensions, titles,
 * colour scale options merged key by key, then `plot` last).
 *
 * @example
 * ```ts
 * renderFigure({ title: "Dots", marks: [Plot.dot([1, 2], { x: (d) => d, y: (d) => d })] }, { document });
 * ```
 */
export function renderFigure(spec: FigureSpec, options: FigureOptions): Figure {
  return renderPlot(spec, options, pickDefined({ title: options.title, subtitle: options.subtitle, caption: options.caption }));
}

/** `Plot.plot` of the spec with the caller's dimensions, colour options and `plot` merged over it. */
function renderPlot(spec: PlotOptions, options: FigureOptions, texts: Partial<PlotOptions>): Figure {
  const document = resolveDocument(options);
  return Plot.plot({
    ...spec,
    ...texts,
    ...pickDefined({
      width: options.width,
      height: options.height,
      marginLeft: options.marginLeft,
      marginRight: options.marginRight,
      marginTop: options.marginTop,
      marginBottom: options.marginBottom,
    }),
    color: { ...spec.color, ...options.color },
    ...options.plot,
    document,
  }) as Figure;
}

/** What a multi-panel view decides: one Plot spec per panel, and the figure's texts. */
export interface PanelsSpec {
  title: string;
  subtitle?: string;
  caption?: string;
  panels: PlotOptions[];
}

/**
 * Draws several Plot figures side by side (wrapping) under one title: for panels that need their own
 * scales, which Plot's facets (one shared scale) cannot give. Returns a `<figure>` holding an `<h2>`
 * title, optional `<h3>` subtitle, a `<div>` of panel SVGs and an optional `<figcaption>`; all texts are
 * set as text, never parsed as HTML.
 *
 * @example
 * ```ts
 * renderPanels({ title: "Two", panels: [{ marks: [Plot.dotX([1])] }, { marks: [Plot.dotX([2])] }] }, { document });
 * ```
 */
export function renderPanels(spec: PanelsSpec, options: FigureOptions): HTMLElement {
  const document = resolveDocument(options);
  const figure = document.createElement("figure");
  figure.setAttribute("class", "lmm-panels");
  figure.setAttribute("style", "margin: 0; max-width: initial;");
  appendText(figure, "h2", options.title ?? spec.title);
  const subtitle = options.subtitle ?? spec.subtitle;
  if (subtitle) appendText(figure, "h3", subtitle);
  const row = document.createElement("div");
  row.setAttribute("class", "lmm-panel-row");
  row.setAttribute("style", "display: flex; flex-wrap: wrap; gap: 4px 16px; align-items: flex-start;");
  for (const panel of spec.panels) {
    const element = renderPlot(panel, options, {});
    // A panel with a caption is a <figure>: keep long captions from widening it past its plot.
    const width = panel.width ?? options.width;
    if (element.tagName.toLowerCase() === "figure" && width) element.setAttribute("style", `${element.getAttribute("style") ?? ""}; max-width: ${width}px; margin: 0;`);
    row.appendChild(element);
  }
  figure.appendChild(row);
  const caption = options.caption ?? spec.caption;
  if (caption) appendText(figure, "figcaption", caption);
  return figure;
}

function appendText(parent: HTMLElement, tag: string, text: string): void {
  const element = parent.ownerDocument.createElement(tag);
  element.textContent = text;
  parent.appendChild(element);
}

/**
 * The entries whose value is not undefined (so absent options do not erase a view's defaults).
 *
 * @example
 * ```ts
 * pickDefined({ width: 300, height: undefined }); // { width: 300 }
 * ```
 */
export function pickDefined<T extends object>(values: T): Partial<T> {
  const out: Partial<T> = {};
  for (const key of Object.keys(values) as (keyof T)[]) if (values[key] !== undefined) out[key] = values[key];
  return out;
}
