import { lmm } from "@lmm/core";
import { residualSpread } from "@lmm/diagnostics";
import { describe, expect, it } from "vitest";
import { residualSpreadPlot, residualSpreadRows } from "../../src/index.ts";
import { circles, document, marks, plotSvgs, tickLabels } from "../support/dom.ts";

import { radiomics } from "../../../datasets/src/index.ts";

// The shipped radiomics example: the four vendors' features are noisier or quieter (issue 20).
const { columns: data } = radiomics();
const levels = {};
const formula = "f_firstorder_Mean ~ grade + time + (1 | patient)";

describe("residual spread by level", () => {
  const one = lmm(formula, data, { levels });
  const per = lmm(formula, data, { levels, dispersion: "~ vendor" });

  it("a homoscedastic model's one σ misses vendors' intervals; the dispersion model's sds fall inside every one", () => {
    const homo = residualSpreadRows(residualSpread(one, { by: "vendor", data }));
    expect(homo.filter((r) => r.outside).length).toBeGreaterThanOrEqual(2);
    homo.forEach((r) => expect(r.model).toBe(one.sigma));
    const disp = residualSpreadRows(residualSpread(per));
    expect(disp.map((r) => r.level)).toEqual(per.dispersion!.levels);
    disp.forEach((r, g) => {
      expect(r.model).toBe(per.dispersion!.sd[g]);
      expect(r.outside, r.level).toBe(false);
    });
  });

  it("draws per level a dot at the residuals' sd, its interval and a tick at the model's sd, in level order", () => {
    const spread = residualSpread(per);
    const fig = residualSpreadPlot(spread, { document });
    expect(fig.querySelector("h2")?.textContent).toBe("Residual sd by vendor with 95% intervals");
    const svg = plotSvgs(fig)[0];
    expect(circles(marks(svg, "dot")[0])).toHaveLength(4);
    expect(marks(svg, "tick")[0].querySelectorAll("line")).toHaveLength(4);
    expect(tickLabels(svg, "y")).toEqual(per.dispersion!.levels);
  });
});
