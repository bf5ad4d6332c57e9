// A jsdom document for rendering views in Node, and helpers to read the SVG they produce.
import { JSDOM } from "jsdom";

const dom = new JSDOM("<!DOCTYPE html><html><body></body></html>");
/** The document every test renders into. */
export const document: Document = dom.window.document;

// jsdom does no layout; Plot's tip measures its text box after rendering.
const svgProto = dom.window.SVGElement.prototype as unknown as { getBBox?: () => DOMRect };
svgProto.getBBox ??= () => ({ x: 0, y: 0, width: 80, height: 40 }) as DOMRect;

// Plot's pointer defers faceted tips to an animation frame; Node has none.
const g = globalThis as { requestAnimationFrame?: (f: () => void) => unknown; cancelAnimationFrame?: (h: unknown) => void };
g.requestAnimationFrame ??= (f) => setTimeout(f, 0);
g.cancelAnimationFrame ??= (h) => clearTimeout(h as ReturnType<typeof setTimeout>);

/** Every Plot SVG in a figure (the element itself when it is one), legends' swatch SVGs excluded. */
export function plotSvgs(figure: Element): SVGSVGElement[] {
  if (figure.tagName.toLowerCase() === "svg") return [figure as SVGSVGElement];
  return [...figure.querySelectorAll("svg")].filter((s) => !s.closest("[class*=swatch]")) as SVGSVGElement[];
}

/** The `<g>` elements of marks with this aria-label (`dot`, `rule`, `area`, `envelope` …). */
export function marks(root: Element, label: string): Element[] {
  return [...root.querySelectorAll(`g[aria-label="${label}"]`)];
}

/** Tick labels of an axis, in document order. */
export function tickLabels(svg: Element, axis: "x" | "y" | "fx" | "fy"): string[] {
  return [...svg.querySelectorAll(`g[aria-label="${axis}-axis tick label"] text`)].map((t) => t.textContent ?? "");
}

/** Axis label text (`y-axis label`). */
export function axisLabel(svg: Element, axis: "x" | "y"): string {
  return svg.querySelector(`g[aria-label="${axis}-axis label"]`)?.textContent ?? "";
}

/** Sum of translate() offsets from an element up to its SVG. */
function offset(element: Element): [number, number] {
  let x = 0, y = 0;
  for (let e: Element | null = element; e && e.tagName.toLowerCase() !== "svg"; e = e.parentElement) {
    const m = /translate\(([-\d.e]+)[ ,]+([-\d.e]+)\)/.exec(e.getAttribute("transform") ?? "");
    if (m) {
      x += +m[1];
      y += +m[2];
    }
  }
  return [x, y];
}

/** Centre of a circle, or of a line/path element's first point, in SVG coordinates. */
export function position(element: Element): [number, number] {
  const [ox, oy] = offset(element);
  const tag = element.tagName.toLowerCase();
  if (tag === "circle") return [ox + +element.getAttribute("cx")!, oy + +element.getAttribute("cy")!];
  if (tag === "line") return [ox + +element.getAttribute("x1")!, oy + +element.getAttribute("y1")!];
  if (tag === "rect") return [ox + +element.getAttribute("x")! + +element.getAttribute("width")! / 2, oy + +element.getAttribute("y")! + +element.getAttribute("height")! / 2];
  throw new Error(`no position for <${tag}>`);
}

/**
 * Moves the pointer onto an element and returns the text of the tip that appears (its lines joined
 * by newlines), after Plot's deferred render.
 */
export async function hover(svg: SVGSVGElement, element: Element): Promise<string> {
  const [x, y] = position(element);
  const view = svg.ownerDocument.defaultView!;
  svg.dispatchEvent(new view.PointerEvent("pointermove", { clientX: x, clientY: y, bubbles: true, pointerType: "mouse" }));
  await new Promise((r) => setTimeout(r, 5));
  return [...svg.querySelectorAll('g[aria-label="tip"] text > tspan')].map((t) => t.textContent?.replace(/\u200b/g, "") ?? "").join("\n");
}

/** Serialised markup of a figure. */
export function markup(figure: Element): string {
  return figure.outerHTML;
}

/** Mark groups tagged with this `aria-description` (views tag rules, envelopes and cut-offs). */
export function described(root: Element, description: string): Element[] {
  return [...root.querySelectorAll(`g[aria-description="${description}"]`)];
}

/** Start and end points of a Plot arrow's shaft (`M x1,y1 L x2,y2 …`). */
export function arrowEnds(path: Element): { x1: number; y1: number; x2: number; y2: number } {
  const m = /^M([-\d.e]+),([-\d.e]+)L([-\d.e]+),([-\d.e]+)/.exec(path.getAttribute("d") ?? "");
  if (!m) throw new Error(`not an arrow path: ${path.getAttribute("d")}`);
  return { x1: +m[1], y1: +m[2], x2: +m[3], y2: +m[4] };
}

/** y position of each y tick label, by label text (point and band scales). */
export function tickPositions(svg: Element, axis: "x" | "y"): Map<string, number> {
  const out = new Map<string, number>();
  for (const t of svg.querySelectorAll(`g[aria-label="${axis}-axis tick label"] text`)) {
    const m = /translate\(([-\d.e]+),([-\d.e]+)\)/.exec(t.getAttribute("transform") ?? "")!;
    out.set(t.textContent ?? "", axis === "y" ? +m[2] : +m[1]);
  }
  return out;
}

/**
 * The linear map value ↦ pixel through two (value, pixel) pairs far apart, for checking that every mark sits
 * where its value says.
 */
export function linearMap(values: ArrayLike<number>, pixels: ArrayLike<number>): (v: number) => number {
  let lo = 0, hi = 0;
  for (let i = 0; i < values.length; i++) {
    if (values[i] < values[lo]) lo = i;
    if (values[i] > values[hi]) hi = i;
  }
  const b = (pixels[hi] - pixels[lo]) / (values[hi] - values[lo]);
  return (v) => pixels[lo] + b * (v - values[lo]);
}

/** The figure holds no script element and shows `text` as text somewhere. */
export function showsAsText(figure: Element, text: string): boolean {
  if (figure.querySelector("script")) return false;
  const walker = figure.ownerDocument.createTreeWalker(figure, 4 /* NodeFilter.SHOW_TEXT */);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) if ((n.textContent ?? "").includes(text)) return true;
  return false;
}

/** The circles of a mark group, with their centres. */
export function circles(group: Element): { cx: number; cy: number; fill: string | null; element: Element }[] {
  return [...group.querySelectorAll("circle")].map((c) => ({ cx: +c.getAttribute("cx")!, cy: +c.getAttribute("cy")!, fill: c.getAttribute("fill"), element: c }));
}

/** The level name used to test that names from data stay text. */
export const HOSTILE = "<script>alert(1)</script>";
