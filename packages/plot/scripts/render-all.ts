// `pnpm plots`: draws every view of the gallery (test/support/gallery.ts) in Node with jsdom and writes
// one PNG per view to packages/plot/png/ (git-ignored) so a person can look at all of them at once.
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { Resvg } from "@resvg/resvg-js";
import { JSDOM } from "jsdom";
import { gallery } from "../test/support/gallery.ts";
import { figureSvg } from "../src/figure/standalone.ts";

const out = join(dirname(fileURLToPath(import.meta.url)), "..", "png");
const only = process.argv.slice(2);
// A full run starts from an empty folder, so no picture of a renamed view lingers.
if (only.length === 0) rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
const document = new JSDOM("<!DOCTYPE html><body></body>").window.document;

for (const entry of gallery()) {
  if (only.length && !only.some((o) => entry.name.includes(o))) continue;
  const started = performance.now();
  const svg = figureSvg(await entry.draw(document));
  const png = new Resvg(svg, { fitTo: { mode: "zoom", value: 2 }, font: { loadSystemFonts: true, defaultFontFamily: "DejaVu Sans" } }).render().asPng();
  writeFileSync(join(out, `${entry.name}.png`), png);
  writeFileSync(join(out, `${entry.name}.svg`), svg);
  console.log(`${entry.name}.png  ${(performance.now() - started).toFixed(0)} ms`);
}
console.log(`written to ${out}`);
process.exit(0); // worker pools used by some diagnostics keep the event loop alive
