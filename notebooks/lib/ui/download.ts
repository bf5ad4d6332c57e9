// Downloads from a notebook: each control is a button whose text says what it downloads; the file
// is made when the button is pressed (so nothing is computed for exports nobody asks for).
import { figureSvg } from "@lmm/plot";
import { h } from "./dom.js";
import { errorMessage } from "./status.js";

/** A file name from any text: letters, digits, `.`, `-` and `_` kept, the rest `_`. */
export function safeFileName(text: string): string {
  const cleaned = text.normalize("NFKD").replace(/[^\w.-]+/g, "_").replace(/^[._]+|_+$/g, "");
  return cleaned.slice(0, 120) || "download";
}

/** Saves a blob under a file name through a temporary link (the browser's download). */
export function saveBlob(blob: Blob, filename: string): void {
  const a = document.createElement("a");
  a.href = URL.createObjectURL(blob);
  a.download = filename;
  a.style.display = "none";
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(a.href), 60_000);
}

/**
 * Browsers let a page start a download only shortly after a click (Chromium: 5 s of "transient
 * activation"; later ones are blocked or asked about). A file that takes longer to make is offered
 * as a link to click instead.
 */
const ACTIVATION_MS = 3000;

/**
 * A button "Download …" that makes the file when pressed and saves it; when making it took longer
 * than a click's grace period, a link "Save <file>" appears beside the button instead. A failure
 * shows its error beside the button.
 */
export function downloadButton(text: string, filename: string, make: () => Blob | Promise<Blob>): HTMLElement {
  const slot = h("span", { class: "lmm-download-slot" });
  const button = h("button", { type: "button", class: "lmm-button lmm-download", data: { filename } }, text);
  button.addEventListener("click", async () => {
    button.disabled = true;
    slot.replaceChildren();
    const started = performance.now();
    try {
      const blob = await make();
      if (performance.now() - started < ACTIVATION_MS) saveBlob(blob, filename);
      else slot.replaceChildren(h("a", { class: "lmm-save-link", href: URL.createObjectURL(blob), download: filename }, `Save ${filename}`));
    } catch (error) {
      slot.replaceChildren(errorMessage(error, `${text} failed`));
    } finally {
      button.disabled = false;
    }
  });
  return h("span", { class: "lmm-download-item" }, button, slot);
}

/** A row of download buttons. */
export function downloads(...items: HTMLElement[]): HTMLElement {
  return h("div", { class: "lmm-downloads" }, ...items);
}

/** Text as a blob of a MIME type (UTF-8). */
export function textBlob(text: string, type: string): Blob {
  return new Blob([text], { type: `${type};charset=utf-8` });
}

/** A standalone SVG document rendered to PNG at `scale` × its size, through an image and a canvas. */
export async function svgToPng(svg: string, scale = 2): Promise<Blob> {
  const url = URL.createObjectURL(new Blob([svg], { type: "image/svg+xml" }));
  try {
    const image = new Image();
    image.src = url;
    await image.decode();
    const canvas = document.createElement("canvas");
    canvas.width = Math.ceil(image.naturalWidth * scale);
    canvas.height = Math.ceil(image.naturalHeight * scale);
    const context = canvas.getContext("2d");
    if (!context) throw new Error("this browser gives no 2D canvas to draw the PNG on");
    context.drawImage(image, 0, 0, canvas.width, canvas.height);
    return await new Promise<Blob>((resolve, reject) => canvas.toBlob((b) => (b ? resolve(b) : reject(new Error("the canvas could not be encoded as PNG"))), "image/png"));
  } finally {
    URL.revokeObjectURL(url);
  }
}

/**
 * A figure with its two downloads below it: "Download <what> (SVG)" and "(PNG)". The SVG is the
 * figure as one standalone document (titles, legends, all panels); the PNG is that SVG at 2×.
 */
export function withDownloads(figure: Element, what: string, stem: string): HTMLElement {
  const name = safeFileName(stem);
  return h(
    "div",
    { class: "lmm-figure" },
    figure,
    downloads(
      downloadButton(`Download ${what} (SVG)`, `${name}.svg`, () => textBlob(figureSvg(figure), "image/svg+xml")),
      downloadButton(`Download ${what} (PNG)`, `${name}.png`, () => svgToPng(figureSvg(figure))),
    ),
  );
}
