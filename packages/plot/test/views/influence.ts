import { clusterInfluence, leaveOneLevelOut, type ClusterInfluence } from "@lmm/diagnostics";
import { beforeAll, describe, expect, it } from "vitest";
import { cooksDistance, dfbetasPlot, losoErrors, LOSO_SERIES, OVER_COLOR } from "../../src/index.ts";
import { circles, described, document, HOSTILE, hover, linearMap, marks, plotSvgs, showsAsText, tickLabels } from "../support/dom.ts";
import { sleepstudyData, sleepstudyModel } from "../support/models.ts";

describe("influence views", () => {
  const model = sleepstudyModel();
  let infl: ClusterInfluence;
  beforeAll(async () => {
    infl = await clusterInfluence(model, { data: sleepstudyData().data, group: "Subject" });
  });

  it("shows Cook's distance per subject, largest at the top, with the 4/n cut-off rule", () => {
    const svg = plotSvgs(cooksDistance(infl, { document }))[0];
    const order = infl.levels.slice().sort((a, b) => b.cooksD - a.cooksD).map((l) => l.level);
    expect(tickLabels(svg, "y")).toEqual(order);
    const dots = circles(marks(svg, "dot")[0]);
    const ranked = infl.levels.slice().sort((a, b) => b.cooksD - a.cooksD).map((l) => l.cooksD);
    const x = linearMap(ranked, dots.map((d) => d.cx));
    const rule = described(svg, "cut-off")[0].querySelector("line")!;
    expect(+rule.getAttribute("x1")!).toBeCloseTo(x(4 / 18), 6);
    expect(dots.filter((d) => d.fill === OVER_COLOR)).toHaveLength(infl.levels.filter((l) => l.cooksD > 4 / 18).length);
    expect(svg.textContent).toContain("cut-off 4/n = 0.222");
  });

  it("keeps only the most influential levels when asked", () => {
    const fig = cooksDistance(infl, { document, limit: 5 });
    expect(tickLabels(plotSvgs(fig)[0], "y")).toHaveLength(5);
    expect(fig.querySelector("h3")?.textContent).toContain("the 5 largest of 18");
  });

  it("shows DFBETAS per coefficient with ±2/√n cut-off rules in every panel", () => {
    const svg = plotSvgs(dfbetasPlot(infl, { document }))[0];
    expect(tickLabels(svg, "fx")).toEqual(["(Intercept)", "Days"]);
    const rules = described(svg, "cut-off")[0].querySelectorAll("line");
    expect(rules).toHaveLength(4);
    const over = infl.levels.flatMap((l) => Array.from(l.dfbetas)).filter((d) => Math.abs(d) > 2 / Math.sqrt(18)).length;
    expect(marks(svg, "dot")[0].querySelectorAll(`circle[fill="${OVER_COLOR}"]`)).toHaveLength(over);
    expect(marks(svg, "dot")[0].querySelectorAll("circle")).toHaveLength(36);
  });

  it("names level, n and the value in the tip", async () => {
    const svg = plotSvgs(cooksDistance(infl, { document }))[0];
    const tip = await hover(svg, marks(svg, "dot")[0].querySelector("circle")!);
    const top = infl.levels.slice().sort((a, b) => b.cooksD - a.cooksD)[0];
    expect(tip).toMatch(new RegExp(`^Subject ${top.level}\\nn 10\\nCook's distance [\\d.]+$`));
  });

  it("shows leave-one-subject-out errors, worst first, against the fixed-effects-only model", async () => {
    const cv = await leaveOneLevelOut(model, { data: sleepstudyData().data, group: "Subject" });
    const fig = losoErrors(cv, { document, unit: "ms" });
    const svg = plotSvgs(fig)[0];
    expect(tickLabels(svg, "y")).toEqual(cv.levels.slice().sort((a, b) => b.mixed.rmse - a.mixed.rmse).map((l) => l.level));
    expect(marks(svg, "dot")[0].querySelectorAll("circle")).toHaveLength(36);
    expect(described(svg, "overall")[0].querySelectorAll("line")).toHaveLength(2);
    expect(fig.textContent).toContain(LOSO_SERIES.fixedOnly);
    expect(svg.querySelector('g[aria-label="x-axis label"]')?.textContent).toContain("RMSE (ms)");
  });

  it("keeps level names as text", () => {
    const hostile = { ...infl, levels: infl.levels.map((l, i) => (i === 0 ? { ...l, level: HOSTILE } : l)) };
    expect(showsAsText(cooksDistance(hostile, { document }), HOSTILE)).toBe(true);
    expect(showsAsText(dfbetasPlot(hostile, { document }), HOSTILE)).toBe(true);
    const loso = { group: "site", levels: [{ level: HOSTILE, n: 3, mixed: { rmse: 1, mae: 1 } }, { level: "b", n: 4, mixed: { rmse: 2, mae: 1 } }] };
    expect(showsAsText(losoErrors(loso, { document }), HOSTILE)).toBe(true);
  });
});
