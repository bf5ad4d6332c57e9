import { InvalidArgumentError } from "@lmm/core";
import { batchClassifier, batchPca } from "@lmm/diagnostics";
import { describe, expect, it } from "vitest";
import { batchAccuracy, batchPcaScores } from "../../src/index.ts";
import { circles, described, document, HOSTILE, linearMap, marks, plotSvgs, showsAsText, tickLabels } from "../support/dom.ts";
import { tmaHarmonised } from "../support/gallery.ts";

describe("batch views", () => {
  const { features, after, batch } = tmaHarmonised(); // TMA features before and after ComBat
  const before = batchPca(features, batch), harmonised = batchPca(after, batch);

  it("shows PCA scores by batch before and after harmonisation side by side", () => {
    const fig = batchPcaScores({ before, after: harmonised, batch }, { document });
    const svg = plotSvgs(fig)[0];
    const facets = tickLabels(svg, "fx");
    expect(facets).toHaveLength(2);
    expect(facets[0]).toMatch(/^before harmonisation: PC1 \d+% \(batch R² [\d.]+\), PC2/);
    expect(facets[1]).toMatch(/^after harmonisation/);
    const dots = marks(svg, "dot")[0].querySelectorAll("circle");
    expect(dots).toHaveLength(2 * batch.length);
    expect(new Set([...dots].map((d) => d.getAttribute("fill"))).size).toBe(8);
    expect(fig.textContent).toContain("B8");
  });

  it("gives twelve batches twelve distinct colours (Plot's default scheme has ten)", () => {
    const twelve = batch.map((b, i) => `S${String((i % 12) + 1).padStart(2, "0")}`);
    const svg = plotSvgs(batchPcaScores({ before, batch: twelve }, { document }))[0];
    const fills = [...marks(svg, "dot")[0].querySelectorAll("circle")].map((d) => d.getAttribute("fill"));
    const bySite = new Map(twelve.map((s, i) => [s, fills[i]]));
    expect(bySite.size).toBe(12);
    expect(new Set(bySite.values()).size).toBe(12);
  });

  it("places each sample at its scores", () => {
    const svg = plotSvgs(batchPcaScores({ before, batch }, { document, components: [1, 3] }))[0];
    const dots = circles(marks(svg, "dot")[0]);
    const x = linearMap(before.scores[0], dots.map((d) => d.cx)), y = linearMap(before.scores[2], dots.map((d) => d.cy));
    dots.forEach((d, i) => {
      expect(d.cx).toBeCloseTo(x(before.scores[0][i]), 6);
      expect(d.cy).toBeCloseTo(y(before.scores[2][i]), 6);
    });
  });

  it("shows classifier accuracy against chance before and after", () => {
    const a = batchClassifier(features, batch), b = batchClassifier(after, batch);
    const svg = plotSvgs(batchAccuracy({ before: a, after: b }, { document }))[0];
    const bars = [...marks(svg, "bar")[0].querySelectorAll("rect")];
    expect(bars).toHaveLength(2);
    expect(+bars[0].getAttribute("width")! / +bars[1].getAttribute("width")!).toBeCloseTo(a.accuracy / b.accuracy, 6);
    expect(described(svg, "chance")[0].querySelectorAll("line")).toHaveLength(2);
    expect(described(svg, "folds")[0].querySelectorAll("circle")).toHaveLength(a.folds.length + b.folds.length);
  });

  it("refuses scores that do not match the batch labels; batch names stay text", () => {
    expect(() => batchPcaScores({ before, batch: batch.slice(1) }, { document })).toThrow(InvalidArgumentError);
    expect(() => batchPcaScores({ before, batch }, { document, components: [1, 99] })).toThrow(InvalidArgumentError);
    const hostile = batch.map((b) => (b === "B1" ? HOSTILE : b));
    expect(showsAsText(batchPcaScores({ before, batch: hostile }, { document }), HOSTILE)).toBe(true);
  });
});
