import { shrinkage as shrinkageOf } from "@lmm/diagnostics";
import { describe, expect, it } from "vitest";
import * as Plot from "@observablehq/plot";
import { NO_POOLING, PARTIAL_POOLING, shrinkagePlot, shrinkage2d, shrinkageMarks, toShrinkageInput } from "../../src/index.ts";
import { arrowEnds, circles, described, document, HOSTILE, hover, linearMap, marks, plotSvgs, showsAsText, tickLabels, tickPositions } from "../support/dom.ts";
import { hostileSleepstudyModel, radiomicsModel, sleepstudyModel } from "../support/models.ts";

// Plot's arrow stops `insetEnd` (2 px) short of its end point, so the arrow head does not hide under the dot.
const INSET = 2;

describe("shrinkage views", () => {
  const model = sleepstudyModel();
  const result = shrinkageOf(model, "Subject");
  const input = toShrinkageInput(result);

  it("moves diagnostics' deviations onto the coefficient scale: BLUP = β̂ + b̃", () => {
    const re = model.ranef()[0];
    const beta = model.fixef();
    re.levels.forEach((_, l) => {
      for (let c = 0; c < 2; c++) expect(input.partialPooling[l * 2 + c]).toBeCloseTo(beta[c].estimate + re.values[l * 2 + c], 10);
    });
    expect(Array.from(input.population)).toEqual(beta.map((b) => b.estimate));
  });

  it("draws one arrow per level from its own fit to its BLUP, on the level's row", () => {
    const svg = plotSvgs(shrinkagePlot(result, { document, term: "Days" }))[0];
    const rows = tickPositions(svg, "y");
    const own = circles(described(svg, NO_POOLING)[0]);
    const blup = circles(described(svg, PARTIAL_POOLING)[0]);
    const paths = [...described(svg, "shrinkage arrows")[0].querySelectorAll("path")];
    expect(paths).toHaveLength(18);
    // Plot leaves an arrow shorter than its inset empty; every other level gets a drawn shaft.
    const arrows = paths.filter((p) => p.hasAttribute("d")).map(arrowEnds);
    const moved = own.filter((d) => Math.abs(blup.find((b) => b.cy === d.cy)!.cx - d.cx) > INSET).length;
    expect(arrows).toHaveLength(moved);
    expect(moved).toBeGreaterThan(12);
    const level = (y: number) => [...rows].find(([, py]) => Math.abs(py - y) < 1e-6)![0];
    const at = (dots: typeof own, y: number) => dots.find((d) => Math.abs(d.cy - y) < 1e-6)!;
    const np = input.noPooling, pp = input.partialPooling;
    for (const a of arrows) {
      const l = input.levels.indexOf(level(a.y1));
      expect(a.y2).toBe(a.y1);
      expect(a.x1).toBeCloseTo(at(own, a.y1).cx, 9);
      const end = at(blup, a.y1).cx;
      expect(Math.sign(a.x2 - a.x1)).toBe(Math.sign(pp[l * 2 + 1] - np[l * 2 + 1]));
      expect(Math.abs(end - a.x2)).toBeCloseTo(Math.min(INSET, Math.abs(end - a.x1)), 6);
    }
  });

  it("puts the population rule at the fixed effect and sizes circles by n", () => {
    const svg = plotSvgs(shrinkagePlot(result, { document, term: "Days" }))[0];
    const blup = circles(described(svg, PARTIAL_POOLING)[0]);
    const rows = tickPositions(svg, "y");
    const values = blup.map((d) => input.partialPooling[input.levels.indexOf([...rows].find(([, y]) => Math.abs(y - d.cy) < 1e-6)![0]) * 2 + 1]);
    const x = linearMap(values, blup.map((d) => d.cx));
    const rule = described(svg, "population")[0].querySelector("line")!;
    expect(+rule.getAttribute("x1")!).toBeCloseTo(x(model.fixef()[1].estimate), 6);
  });

  it("orders levels by n, largest first, so small sites sit together", () => {
    const sites = shrinkageOf(radiomicsModel(), "site");
    const svg = plotSvgs(shrinkagePlot(sites, { document }))[0];
    const expected = sites.levels.map((l, i) => ({ l, i })).sort((a, b) => b.l.n - a.l.n || b.l.noPooling[0] - a.l.noPooling[0]).map((d) => d.l.level);
    expect(tickLabels(svg, "y")).toEqual(expected);
    const radius = circles(described(svg, NO_POOLING)[0]).map((c) => +c.element.getAttribute("r")!);
    expect(Math.max(...radius)).toBeGreaterThan(2 * Math.min(...radius));
  });

  it("draws the 2-D version: arrows from (own intercept, own slope) to the BLUP pair", () => {
    const svg = plotSvgs(shrinkage2d(result, { document, units: { Reaction: "ms", Days: "day" }, response: "Reaction" }))[0];
    const own = circles(described(svg, NO_POOLING)[0]);
    const blup = circles(described(svg, PARTIAL_POOLING)[0]);
    const paths = [...described(svg, "shrinkage arrows")[0].querySelectorAll("path")];
    expect(paths).toHaveLength(18);
    const arrows = paths.filter((p) => p.hasAttribute("d")).map(arrowEnds);
    expect(arrows.length).toBeGreaterThan(12);
    for (const a of arrows) {
      const start = own.find((d) => Math.hypot(d.cx - a.x1, d.cy - a.y1) < 1e-6);
      expect(start).toBeDefined();
      // The shaft points at one BLUP dot and stops INSET short of it.
      const end = blup.find((d) => Math.abs(Math.hypot(d.cx - a.x2, d.cy - a.y2) - Math.min(INSET, Math.hypot(d.cx - a.x1, d.cy - a.y1))) < 1e-6);
      expect(end).toBeDefined();
    }
    expect(described(svg, "population")[0].querySelectorAll("path, circle").length).toBe(1);
    expect(svg.querySelector('g[aria-label="x-axis label"]')?.textContent).toContain("(Intercept) (ms)");
  });

  it("names level, n and both estimates in the tip", async () => {
    const svg = plotSvgs(shrinkagePlot(result, { document, term: "Days" }))[0];
    const tip = await hover(svg, described(svg, PARTIAL_POOLING)[0].querySelector("circle")!);
    expect(tip).toMatch(/^Subject \d{3}\nn 10\nown fit Days /);
    expect(tip).toContain("BLUP − own fit");
  });

  it("exports composable marks and keeps level names as text", () => {
    const { model: m } = hostileSleepstudyModel();
    const hostile = shrinkageOf(m, "Subject");
    const svg = Plot.plot({ document, marks: shrinkageMarks(hostile) });
    expect(svg.querySelector("script")).toBeNull();
    expect(showsAsText(svg, HOSTILE)).toBe(true);
    expect(showsAsText(shrinkage2d(hostile, { document }), "Shrinkage")).toBe(true);
  });
});
