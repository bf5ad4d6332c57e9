import { InvalidArgumentError } from "@lmm/core";
import { residualDiagnostics } from "@lmm/diagnostics";
import { describe, expect, it } from "vitest";
import { residualsVsCovariate, residualsVsFitted, scaleLocation } from "../../src/index.ts";
import { axisLabel, circles, described, document, HOSTILE, hover, linearMap, marks, plotSvgs } from "../support/dom.ts";
import { clinicsModel, hostileSleepstudyModel, sleepstudyModel } from "../support/models.ts";

/** Every dot sits at (f(x_i), g(y_i)) for linear f, g: the plot shows exactly these values. */
function expectPlotted(svg: Element, x: ArrayLike<number>, y: ArrayLike<number>) {
  const dots = circles(marks(svg, "dot").at(-1)!);
  expect(dots).toHaveLength(y.length);
  const px = linearMap(x, dots.map((d) => d.cx)), py = linearMap(y, dots.map((d) => d.cy));
  dots.forEach((d, i) => {
    expect(d.cx).toBeCloseTo(px(x[i]), 6);
    expect(d.cy).toBeCloseTo(py(y[i]), 6);
  });
}

describe("residual views", () => {
  const model = sleepstudyModel();
  const diag = residualDiagnostics(model);

  it("plots Pearson residuals against fitted values with a zero rule and a smoother", () => {
    const svg = plotSvgs(residualsVsFitted(model, { document, units: { Reaction: "ms" } }))[0];
    expectPlotted(svg, model.fitted(), model.residuals().map((r) => r / model.sigma));
    expect(described(svg, "reference")).toHaveLength(1);
    expect(described(svg, "smoother")[0].querySelector("path")?.getAttribute("d")).toMatch(/^M/);
    expect(axisLabel(svg, "x")).toContain("Fitted Reaction (ms)");
  });

  it("takes diagnostics' residual columns and plots the type asked for", () => {
    const svg = plotSvgs(residualsVsFitted(diag, { document, residuals: "studentised" }))[0];
    expectPlotted(svg, diag.fitted, diag.studentised);
    expect(axisLabel(svg, "y")).toContain("Studentised");
  });

  it("draws scale-location as √|studentised residual|, the same from a model as from diagnostics", () => {
    const fromModel = plotSvgs(scaleLocation(model, { document }))[0];
    expectPlotted(fromModel, diag.fitted, diag.scaleLocation);
    expect(described(fromModel, "reference")).toHaveLength(0);
  });

  it("plots residuals against a numeric covariate with a smoother, and a categorical one with boxes", () => {
    const svg = plotSvgs(residualsVsCovariate(model, { document, covariate: "Days", units: { Days: "day" } }))[0];
    expectPlotted(svg, (model.structure.variable("Days") as { values: Float64Array }).values, diag.pearson);
    expect(axisLabel(svg, "x")).toContain("Days (day)");
    const byProgram = plotSvgs(residualsVsCovariate(clinicsModel(), { document, covariate: "program" }))[0];
    expect(marks(byProgram, "bar")[0].querySelectorAll("rect")).toHaveLength(2);
    expect(described(byProgram, "smoother")).toHaveLength(0);
  });

  it("names the row, the group level and the values in the tip", async () => {
    const svg = plotSvgs(residualsVsFitted(model, { document }))[0];
    const tip = await hover(svg, marks(svg, "dot")[0].querySelector("circle")!);
    expect(tip).toMatch(/^row 1\nSubject 308\nFitted Reaction [\d.,]+\nPearson residual/);
  });

  it("refuses what it cannot plot with typed errors", () => {
    expect(() => residualsVsFitted({ fitted: diag.fitted, pearson: diag.pearson }, { document, residuals: "studentised" })).toThrow(InvalidArgumentError);
    expect(() => residualsVsCovariate(diag, { document, covariate: "Days" })).toThrow(InvalidArgumentError);
    expect(() => residualsVsCovariate(model, { document, covariate: "nope" })).toThrow(/nope/);
  });

  it("keeps level names as text in tips", async () => {
    const { model: m } = hostileSleepstudyModel();
    const fig = residualsVsFitted(m, { document });
    const svg = plotSvgs(fig)[0];
    const tip = await hover(svg, marks(svg, "dot")[0].querySelector("circle")!);
    expect(tip).toContain(`Subject ${HOSTILE}`);
    expect(svg.querySelector("script")).toBeNull();
  });
});
