import { profile, profileConfint } from "@lmm/core";
import { qnorm } from "@lmm/core/numerics";
import { describe, expect, it } from "vitest";
import { profileInterval, profilePlot } from "../../src/index.ts";
import { circles, described, document, linearMap, marks, plotSvgs } from "../support/dom.ts";
import { sleepstudyModel } from "../support/models.ts";

describe("profilePlot", () => {
  const pr = profile(sleepstudyModel(), { which: ["sd_(Intercept)|Subject", "Days"] });

  it("draws ζ against each parameter, one panel each, with ±z rules and the interval", () => {
    const intervals = profileConfint(pr, 0.95);
    const fig = profilePlot(pr, { document, intervals });
    const svgs = plotSvgs(fig);
    expect(svgs).toHaveLength(2);
    svgs.forEach((svg, k) => {
      const p = pr.parameters[k];
      const dots = circles(marks(svg, "dot")[0]);
      expect(dots).toHaveLength(p.values.length);
      const x = linearMap(p.values, dots.map((d) => d.cx)), y = linearMap(p.zeta, dots.map((d) => d.cy));
      const zRules = [...described(svg, "zeta cut-off")[0].querySelectorAll("line")].map((l) => +l.getAttribute("y1")!);
      expect(zRules.sort((a, b) => a - b)).toEqual([y(qnorm(0.975)), y(-qnorm(0.975))].sort((a, b) => a - b).map((v) => expect.closeTo(v, 6)));
      const bounds = [...described(svg, "interval")[0].querySelectorAll("line")].map((l) => +l.getAttribute("x1")!);
      const ci = intervals.find((i) => i.parameter === p.parameter)!;
      expect(bounds).toEqual([expect.closeTo(x(ci.lower), 6), expect.closeTo(x(ci.upper), 6)]);
    });
    expect(fig.textContent).toContain("sd_(Intercept)|Subject");
  });

  it("reads the interval off the points by linear interpolation when none is given", () => {
    expect(profileInterval([1, 2, 3], [-2, 0, 2], 1)).toEqual([1.5, 2.5]);
    expect(profileInterval([0, 1], [0, 1], 2).every(Number.isNaN)).toBe(true);
  });
});
