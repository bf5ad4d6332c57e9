import { describe, expect, it } from "vitest";
import { caterpillar, caterpillarMarks, MissingDocumentError } from "../../src/index.ts";
import * as Plot from "@observablehq/plot";
import { document, hover, marks, plotSvgs, tickLabels, axisLabel } from "../support/dom.ts";
import { hostileSleepstudyModel, sleepstudyModel } from "../support/models.ts";

describe("caterpillar", () => {
  const model = sleepstudyModel();
  const re = model.ranef()[0];
  const sd = model.condSd("Subject");

  it("draws one panel per term with a dot and an interval per level", () => {
    const fig = caterpillar(model, { document, units: { Reaction: "ms", Days: "day" } });
    expect(fig.querySelector("h2")?.textContent).toBe("Conditional modes of Subject with 95% intervals");
    const svgs = plotSvgs(fig);
    expect(svgs).toHaveLength(2);
    for (const svg of svgs) {
      expect(marks(svg, "dot")[0].querySelectorAll("circle")).toHaveLength(18);
      expect(marks(svg, "rule")[1].querySelectorAll("line")).toHaveLength(18);
    }
    expect(axisLabel(svgs[0], "x")).toContain("(Intercept) (ms)");
    expect(axisLabel(svgs[1], "x")).toContain("Days (ms/day)");
  });

  it("sorts levels by the first term's mode, largest at the top, in every panel", () => {
    const fig = caterpillar(model, { document });
    const expected = re.levels.map((level, l) => ({ level, v: re.values[l * 2] })).sort((a, b) => b.v - a.v).map((d) => d.level);
    for (const svg of plotSvgs(fig)) expect(tickLabels(svg, "y")).toEqual(expected);
    const bySlope = caterpillar(model, { document, sortTerm: "Days" });
    const slopeOrder = re.levels.map((level, l) => ({ level, v: re.values[l * 2 + 1] })).sort((a, b) => b.v - a.v).map((d) => d.level);
    expect(tickLabels(plotSvgs(bySlope)[0], "y")).toEqual(slopeOrder);
  });

  it("draws intervals of ±1.96 conditional sd around each mode", () => {
    const svg = plotSvgs(caterpillar(model, { document }))[0];
    const dots = [...marks(svg, "dot")[0].querySelectorAll("circle")];
    const rules = [...marks(svg, "rule")[1].querySelectorAll("line")];
    // x pixel scale from two dots: value ↦ a + b·value.
    const x = (l: number) => +dots[l].getAttribute("cx")!;
    const b = (x(1) - x(0)) / (re.values[2] - re.values[0]);
    for (let l = 0; l < 18; l++) {
      const half = (+rules[l].getAttribute("x2")! - +rules[l].getAttribute("x1")!) / 2 / b;
      expect(half).toBeCloseTo(1.959964 * sd[l * 2], 3); // pixel rounding: Plot keeps full precision
    }
  });

  it("highlights flagged levels", () => {
    const svg = plotSvgs(caterpillar(model, { document, highlight: ["337", "309"], highlightColor: "red" }))[0];
    const fills = [...marks(svg, "dot")[0].querySelectorAll("circle")].map((c) => c.getAttribute("fill"));
    expect(fills.filter((f) => f === "red")).toHaveLength(2);
  });

  it("names the level, n and the values in its tip", async () => {
    const svg = plotSvgs(caterpillar(model, { document }))[0];
    const dot = marks(svg, "dot")[0].querySelectorAll("circle")[0];
    const tip = await hover(svg, dot);
    expect(tip).toMatch(/^Subject 308\nterm \(Intercept\)\nn 10\n/);
    expect(tip).toContain("conditional sd");
  });

  it("keeps level names as text", async () => {
    const { model: m, hostile } = hostileSleepstudyModel();
    const fig = caterpillar(m, { document });
    expect(fig.querySelector("script")).toBeNull();
    expect(fig.outerHTML).not.toContain("<script>");
    expect(tickLabels(plotSvgs(fig)[0], "y")).toContain(hostile);
  });

  it("exports marks that compose in Plot.plot", () => {
    const svg = Plot.plot({ document, marks: [caterpillarMarks(model, { term: "Days" })] });
    expect(marks(svg, "dot")[0].querySelectorAll("circle")).toHaveLength(18);
  });

  it("follows Plot's options: no tips with tip: false, dimensions and extra Plot options passed through", () => {
    const fig = caterpillar(model, { document, tip: false, width: 300, height: 500, plot: { style: { fontSize: "12px" } } });
    for (const svg of plotSvgs(fig)) {
      expect(marks(svg, "tip")).toHaveLength(0);
      expect(svg.getAttribute("width")).toBe("300");
      expect(svg.getAttribute("height")).toBe("500");
    }
    expect(caterpillar(model, { document, title: "Mine" }).querySelector("h2")?.textContent).toBe("Mine");
  });

  it("asks for a document in Node", () => {
    expect(() => caterpillar(model)).toThrow(MissingDocumentError);
  });
});
