import type { PlotOptions, ScaleOptions } from "@observablehq/plot";

/**
 * Options every view takes, named as Observable Plot names them. Anything not listed here goes
 * through `plot`, which is merged last into the options given to `Plot.plot`.
 */
export interface FigureOptions {
  /**
   * The DOM document to render into (Plot's own `document` option). Browsers have one; in Node pass
   * one from jsdom: `{ document: new JSDOM("").window.document }`.
   */
  document?: Document;
  /** Outer width in pixels (Plot's default 640). For multi-panel views, the width of each panel. */
  width?: number;
  /** Outer height in pixels (the view picks one from its content when absent). */
  height?: number;
  /** Figure title; every view has a default. Set text only: it is never parsed as HTML. */
  title?: string;
  subtitle?: string;
  caption?: string;
  /** Tooltips (Plot's tip mark, following the pointer): default true. */
  tip?: boolean;
  /** Colour scale options, merged over the view's defaults (e.g. `{ scheme: "tableau10" }`). */
  color?: ScaleOptions;
  marginLeft?: number;
  marginRight?: number;
  marginTop?: number;
  marginBottom?: number;
  /** Further `Plot.plot` options, merged last (e.g. `{ x: { type: "log" } }` replaces the x scale options). */
  plot?: PlotOptions;
}

/** A rendered figure: what `Plot.plot` returns (an SVG element, or a `<figure>` with title and legends). */
export type Figure = SVGSVGElement | HTMLElement;

/** Options the marks functions share: whether to attach tooltips. */
export interface MarkOptions {
  /** Attach a tip (tooltip) to the main mark: default true. */
  tip?: boolean;
}
