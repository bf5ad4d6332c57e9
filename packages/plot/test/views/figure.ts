import { describe, expect, it } from "vitest";
import { JSDOM } from "jsdom";
import { categoricalColors, figureSvg, qqPlot } from "../../src/index.ts";
import { document, HOSTILE } from "../support/dom.ts";
import { sleepstudyModel } from "../support/models.ts";

describe("figure helpers", () => {
  it("categoricalColors: one distinct colour per level, for any number of levels", () => {
    for (const n of [1, 10, 11, 12, 20, 21, 60]) {
      const levels = Array.from({ length: n }, (_, i) => `L${i}`);
      const c = categoricalColors(levels);
      expect(c.domain).toEqual(levels);
      expect(c.range).toHaveLength(n);
      expect(new Set(c.range).size).toBe(n);
    }
    expect(categoricalColors(["a", "b", "a"]).domain).toEqual(["a", "b"]);
  });

  it("figureSvg: a panelled figure becomes one SVG document, its texts escaped", () => {
    const figure = qqPlot(sleepstudyModel(), { document, title: HOSTILE });
    const svg = figureSvg(figure);
    const parsed = new JSDOM(svg, { contentType: "image/svg+xml" }).window.document;
    expect(parsed.documentElement.tagName).toBe("svg");
    expect(parsed.querySelector("parsererror")).toBeNull();
    // The title is one text node with the hostile string, not markup.
    expect(parsed.documentElement.textContent).toContain(HOSTILE);
    expect(parsed.querySelector("script")).toBeNull();
    // Every panel is inside.
    expect(parsed.querySelectorAll("svg svg").length).toBe(figure.querySelectorAll(".lmm-panel-row > svg, .lmm-panel-row > figure > svg").length);
  });
});
