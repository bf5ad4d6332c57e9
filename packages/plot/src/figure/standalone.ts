// Turns what a view returns (a Plot SVG, or an HTML <figure> with titles, legends and panel SVGs)
// into one standalone SVG document: for a figure's download in the browser, and for resvg in Node.

const SVG_NS = "http://www.w3.org/2000/svg";

interface Box {
  /** SVG markup placed with its top-left corner at (0, 0). */
  markup: string;
  width: number;
  height: number;
}

/**
 * A figure as one standalone SVG document (text), at most `maxWidth` wide where panels wrap: titles,
 * subtitles, captions and swatch legends become SVG text, panel SVGs are placed as the page lays them
 * out, on a white background. Every text is XML-escaped; nothing is parsed as markup. Works on any DOM
 * (a browser's, or jsdom's in Node), so the same file can be downloaded or rendered to PNG.
 *
 * @example
 * ```ts
 * const svg = figureSvg(caterpillar(model));
 * const url = URL.createObjectURL(new Blob([svg], { type: "image/svg+xml" }));
 * ```
 */
export function figureSvg(figure: Element, maxWidth = 1400): string {
  const box = layout(figure, maxWidth);
  const w = Math.ceil(box.width + 16), h = Math.ceil(box.height + 16);
  return `<svg xmlns="${SVG_NS}" width="${w}" height="${h}" viewBox="0 0 ${w} ${h}" font-family="DejaVu Sans, sans-serif"><rect width="100%" height="100%" fill="white"/><g transform="translate(8,8)">${box.markup}</g></svg>`;
}

function layout(element: Element, maxWidth: number): Box {
  const tag = element.tagName.toLowerCase();
  if (tag === "svg") return svgBox(element as SVGSVGElement);
  if (tag === "h2") return textBox(element.textContent ?? "", 16, "bold", "#111", maxWidth);
  if (tag === "h3") return textBox(element.textContent ?? "", 12, "normal", "#555", maxWidth);
  if (tag === "figcaption") return textBox(element.textContent ?? "", 11, "normal", "#555", maxWidth);
  const cls = element.getAttribute("class") ?? "";
  if (cls.includes("swatches")) return swatches(element, maxWidth);
  // Texts of a figure wrap at the width of its widest plot, as the browser does with a max-width.
  const plots = [...element.children].filter((c) => c.tagName.toLowerCase() === "svg").map((c) => +(c.getAttribute("width") ?? 0));
  const inner = tag === "figure" && plots.length ? Math.min(maxWidth, Math.max(...plots)) : maxWidth;
  const children = [...element.children].map((c) => layout(c, c.tagName.toLowerCase() === "svg" || cls.includes("lmm-panel-row") ? maxWidth : inner));
  return cls.includes("lmm-panel-row") ? row(children, maxWidth) : column(children);
}

function svgBox(svg: SVGSVGElement): Box {
  const width = +(svg.getAttribute("width") ?? 640), height = +(svg.getAttribute("height") ?? 400);
  const clone = svg.cloneNode(true) as SVGSVGElement;
  clone.setAttribute("xmlns", SVG_NS);
  clone.setAttribute("x", "0");
  clone.setAttribute("y", "0");
  return { markup: clone.outerHTML, width, height };
}

function textBox(text: string, size: number, weight: string, color: string, maxWidth: number): Box {
  const perLine = Math.max(20, Math.floor(maxWidth / (size * 0.58)));
  const lines = wrap(text, perLine);
  const lineHeight = size * 1.35;
  const tspans = lines.map((l, i) => `<tspan x="0" dy="${i === 0 ? size : lineHeight}">${escapeXml(l)}</tspan>`).join("");
  const width = Math.max(...lines.map((l) => l.length * size * 0.58), 0);
  return { markup: `<text font-size="${size}" font-weight="${weight}" fill="${color}">${tspans}</text>`, width, height: lines.length * lineHeight + 6 };
}

function swatches(element: Element, maxWidth: number): Box {
  let x = 0, y = 0;
  const parts: string[] = [];
  for (const item of element.querySelectorAll("span")) {
    if (!(item.getAttribute("class") ?? "").endsWith("-swatch")) continue;
    const svg = item.querySelector("svg");
    const label = item.textContent ?? "";
    const w = 21 + label.length * 6.2 + 14;
    if (x + w > maxWidth && x > 0) (x = 0), (y += 18);
    const fill = svg?.getAttribute("fill") ?? svg?.querySelector("[fill]")?.getAttribute("fill") ?? "#999";
    parts.push(`<rect x="${x}" y="${y + 2}" width="13" height="13" fill="${fill}"/><text x="${x + 18}" y="${y + 13}" font-size="10">${escapeXml(label)}</text>`);
    x += w;
  }
  return { markup: parts.join(""), width: Math.min(maxWidth, x), height: y + 22 };
}

function column(children: Box[]): Box {
  let y = 0;
  const parts = children.map((c) => {
    const part = `<g transform="translate(0,${y})">${c.markup}</g>`;
    y += c.height + 4;
    return part;
  });
  return { markup: parts.join(""), width: Math.max(0, ...children.map((c) => c.width)), height: Math.max(0, y - 4) };
}

function row(children: Box[], maxWidth: number): Box {
  let x = 0, y = 0, lineHeight = 0, width = 0;
  const parts: string[] = [];
  for (const c of children) {
    if (x > 0 && x + c.width > maxWidth) (x = 0), (y += lineHeight + 8), (lineHeight = 0);
    parts.push(`<g transform="translate(${x},${y})">${c.markup}</g>`);
    x += c.width + 16;
    width = Math.max(width, x - 16);
    lineHeight = Math.max(lineHeight, c.height);
  }
  return { markup: parts.join(""), width, height: y + lineHeight };
}

function wrap(text: string, perLine: number): string[] {
  const lines: string[] = [];
  let line = "";
  for (const word of text.split(/\s+/)) {
    if (line && line.length + 1 + word.length > perLine) (lines.push(line), (line = word));
    else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(line);
  return lines;
}

function escapeXml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}
