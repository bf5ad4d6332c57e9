import { qq, quartileLine } from "@lmm/diagnostics";
import { describe, expect, it } from "vitest";
import { modelQq, qqInput, qqPlot } from "../../src/index.ts";
import { circles, described, document, HOSTILE, hover, linearMap, marks, plotSvgs, showsAsText } from "../support/dom.ts";
import { hostileSleepstudyModel, sleepstudyModel } from "../support/models.ts";

describe("qqPlot", () => {
  const model = sleepstudyModel();
  // 19 simulated refits keep the test fast; the envelope's width does not matter here, only its use.
  const diagnostics = qq(model, { nsim: 19, seed: 1 });

  it("draws residuals and each random-effect column from a model, without an envelope", () => {
    const fig = qqPlot(model, { document });
    const svgs = plotSvgs(fig);
    expect(svgs).toHaveLength(3);
    expect(svgs.map((s) => marks(s, "dot")[0].querySelectorAll("circle").length)).toEqual([180, 18, 18]);
    for (const svg of svgs) {
      expect(described(svg, "envelope")).toHaveLength(0);
      expect(described(svg, "qq-line")[0].querySelector("path")).not.toBeNull();
    }
    expect(fig.querySelector("h3")?.textContent).toContain("no simulation envelope");
  });

  it("plots the sorted values against their normal scores", () => {
    const input = modelQq(model)[0];
    const dots = circles(marks(plotSvgs(qqPlot(input, { document }))[0], "dot")[0]);
    const x = linearMap(input.theoretical, dots.map((d) => d.cx));
    const y = linearMap(input.sample, dots.map((d) => d.cy));
    dots.forEach((d, i) => {
      expect(d.cx).toBeCloseTo(x(input.theoretical[i]), 6);
      expect(d.cy).toBeCloseTo(y(input.sample[i]), 6);
    });
    // Sorted ascending: pixel y falls as values rise.
    for (let i = 1; i < dots.length; i++) expect(dots[i].cy).toBeLessThanOrEqual(dots[i - 1].cy);
  });

  it("draws the simulation envelope of diagnostics' qq() and marks the points outside it", () => {
    const fig = qqPlot(diagnostics, { document });
    const inputs = [diagnostics.residuals, ...diagnostics.ranef];
    plotSvgs(fig).forEach((svg, k) => {
      const band = described(svg, "envelope")[0].querySelector("path");
      expect(band?.getAttribute("d")).toMatch(/^M/);
      const q = inputs[k];
      const outside = Array.from(q.sample).filter((v, i) => v < q.envelope!.lower[i] || v > q.envelope!.upper[i]).length;
      expect(circles(marks(svg, "dot")[0]).filter((c) => c.fill === "#d62728")).toHaveLength(outside);
    });
    expect(fig.querySelector("h3")?.textContent).toContain("from 19 fits");
    expect(fig.querySelector("figcaption")?.textContent).toContain("Anderson–Darling");
  });

  it("names the row and its value in the tip", async () => {
    const input = diagnostics.residuals;
    const svg = plotSvgs(qqPlot(input, { document }))[0];
    const last = [...marks(svg, "dot")[0].querySelectorAll("circle")].at(-1)!;
    const tip = await hover(svg, last);
    expect(tip.split("\n")[0]).toBe(`row ${input.ids.at(-1)}`);
  });

  it("computes R's qqline through the quartiles", () => {
    expect(quartileLine([-1, 0, 1], [-2, 0, 2])).toEqual({ intercept: 0, slope: 2 });
    expect(qqInput("x", [3, 1, 2], ["c", "a", "b"]).ids).toEqual(["a", "b", "c"]);
  });

  it("keeps level names as text", () => {
    const { model: m } = hostileSleepstudyModel();
    expect(showsAsText(qqPlot(modelQq(m)[1], { document }), "Subject")).toBe(true);
    const fig = qqPlot(modelQq(m), { document });
    expect(fig.querySelector("script")).toBeNull();
    expect(fig.outerHTML).not.toContain(HOSTILE);
  });
});
