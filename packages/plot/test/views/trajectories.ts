import { InvalidArgumentError } from "@lmm/core";
import { describe, expect, it } from "vitest";
import { trajectories, trajectoryData } from "../../src/index.ts";
import { described, document, HOSTILE, hover, marks, plotSvgs, showsAsText } from "../support/dom.ts";
import { clinicsModel, hostileSleepstudyModel, sleepstudyModel } from "../support/models.ts";

describe("trajectories", () => {
  const model = sleepstudyModel();

  it("draws one panel per subject with its observations, fitted line and the population line", () => {
    const svg = plotSvgs(trajectories(model, { document, time: "Days", units: { Reaction: "ms", Days: "day" } }))[0];
    // Facets are written column by column; every subject has its labelled panel.
    const labels = [...described(svg, "facet label")[0].querySelectorAll("text")].map((t) => t.textContent ?? "");
    expect(labels.sort()).toEqual(model.ranef()[0].levels.slice().sort());
    for (const what of ["observed", "group fit", "population"]) expect(described(svg, what)[0].querySelectorAll("path")).toHaveLength(18);
    expect(described(svg, "observations")[0].querySelectorAll("circle")).toHaveLength(180);
  });

  it("draws the fitted values of each subject, and the population values, along time", () => {
    const rows = trajectoryData(model, { time: "Days" });
    const fitted = model.fitted(), population = model.fitted({ re: false });
    const byRow = new Map(Array.from(model.structure.rows, (r, i) => [r, i]));
    expect(rows).toHaveLength(180);
    // sleepstudy is stored by subject and day, so the sorted rows keep the data order.
    rows.forEach((r, i) => {
      expect(r.fitted).toBe(fitted[byRow.get(i)!]);
      expect(r.population).toBe(population[byRow.get(i)!]);
    });
  });

  it("facets by another variable and colours by a third, one population line per colour", () => {
    const m = clinicsModel();
    const fig = trajectories(m, { document, time: "time", group: "clinic:patient", facet: "clinic", colorBy: "program" });
    const svg = plotSvgs(fig)[0];
    expect(described(svg, "facet label")[0].querySelectorAll("text")).toHaveLength(20);
    const combos = new Set(trajectoryData(m, { time: "time", group: "clinic:patient", facet: "clinic", colorBy: "program" }).map((r) => `${r.facet}|${r.color}`));
    expect(described(svg, "population")[0].querySelectorAll("path")).toHaveLength(combos.size);
    expect(fig.textContent).toContain("yes");
  });

  it("names the level, n and the values in the tip", async () => {
    const svg = plotSvgs(trajectories(model, { document, time: "Days" }))[0];
    const tip = await hover(svg, described(svg, "observations")[0].querySelector("circle")!);
    expect(tip).toMatch(/^Subject 308\nn 10\nDays 0\nReaction [\d.]+\ngroup fit [\d.]+\npopulation fit [\d.]+$/);
  });

  it("refuses a categorical time and keeps level names as text", () => {
    expect(() => trajectories(clinicsModel(), { document, time: "program" })).toThrow(InvalidArgumentError);
    const { model: m } = hostileSleepstudyModel();
    expect(showsAsText(trajectories(m, { document, time: "Days" }), HOSTILE)).toBe(true);
    expect(marks(plotSvgs(trajectories(m, { document, time: "Days", facet: null }))[0], "line").length).toBeGreaterThan(0);
  });
});
