import { describe, expect, it } from "vitest";
import { combat, type CombatModel } from "../src/index.js";
import { featureTable, loadReference, raw } from "./combatReference.js";

// Tolerances. We reproduce sva::ComBat's arithmetic step for step (normal equations, the same moments, the
// same parametric iteration with its stopping rule max(|Δγ|/γ_old, |Δδ|/δ_old) < conv = 1e-4), so we return the
// same iterate as sva, and the only differences left are floating-point summation order (about 1e-13 relative,
// measured) and the rounding of the reference files:
//  - *_params.csv, *_priors.csv, combat_standardization.csv hold R's 15 significant digits: we ask for 1e-10
//    relative (γ values near zero: 1e-10 absolute, the standardised data having unit scale);
//  - combat_<kind>.csv holds 10 significant digits (≤ 5e-10 relative rounding): we ask for 5e-10 relative plus
//    1e-12 of the feature's pooled sd for the floating-point part.
// What conv = 1e-4 implies: sva stops once the last step is below 1e-4 relative, not at the fixed point. Its
// iterate lies within about 1e-6 of the fixed point here (test below), so an implementation with any other
// stopping rule could only be compared at ~1e-4; one iteration more or less would break the 1e-10 bounds.

const kinds = ["parametric", "nonparametric"] as const;
const data = raw();
const fits = Object.fromEntries(
  kinds.map((prior) => [prior, combat({ features: data.features, batch: data.site, covariates: { grade: data.grade } }, { prior })]),
) as Record<(typeof kinds)[number], ReturnType<typeof combat>>;

function expectClose(actual: number, expected: number, relative: number, absolute = 0) {
  expect(Math.abs(actual - expected)).toBeLessThanOrEqual(relative * Math.abs(expected) + absolute);
}

describe("ComBat against sva::ComBat 3.46 (test/reference/combat)", () => {
  it("standardisation: least-squares coefficients, grand mean and pooled variance", () => {
    const ref = loadReference("results/combat_standardization.csv");
    const model = fits.parametric.model;
    const features = ref.array("feature") as string[];
    features.forEach((name, j) => {
      const f = model.features.indexOf(name);
      const sd = Math.sqrt(model.standardisation.varPooled[f]);
      expectClose(model.standardisation.grandMean[f], (ref.array("grand_mean") as number[])[j], 1e-10, 1e-12 * sd);
      expectClose(model.standardisation.varPooled[f], (ref.array("var_pooled") as number[])[j], 1e-10);
      model.batchLevels.forEach((level, k) => expectClose(model.standardisation.batchCoefficients[k][f], (ref.array(`B_site${level}`) as number[])[j], 1e-10, 1e-12 * sd));
      model.covariateColumns.forEach((column, c) => expectClose(model.standardisation.covariateCoefficients[c][f], (ref.array(`B_${column}`) as number[])[j], 1e-10, 1e-12 * sd));
    });
    expect(model.covariateColumns).toEqual(["gradeG2", "gradeG3"]);
  });

  for (const kind of kinds) {
    it(`${kind}: priors per site`, () => {
      const ref = loadReference(`results/combat_${kind}_priors.csv`);
      const { model } = fits[kind];
      (ref.array("site") as string[]).forEach((site, j) => {
        const k = model.batchLevels.indexOf(site);
        expectClose(model.priors.gammaBar[k], (ref.array("gamma_bar") as number[])[j], 1e-10, 1e-10);
        expectClose(model.priors.t2[k], (ref.array("t2") as number[])[j], 1e-10);
        expectClose(model.priors.aPrior[k], (ref.array("a_prior") as number[])[j], 1e-10);
        expectClose(model.priors.bPrior[k], (ref.array("b_prior") as number[])[j], 1e-10);
      });
    });

    it(`${kind}: γ̂, δ̂², γ*, δ²* per site and feature`, () => {
      const ref = loadReference(`results/combat_${kind}_params.csv`);
      const { model } = fits[kind];
      const site = ref.array("site") as string[], feature = ref.array("feature") as string[];
      expect(site.length).toBe(model.batchLevels.length * model.features.length);
      const check = (column: string, values: CombatModel["gammaHat"], absolute: number) =>
        (ref.array(column) as number[]).forEach((x, j) => expectClose(values[model.batchLevels.indexOf(site[j])][model.features.indexOf(feature[j])], x, 1e-10, absolute));
      check("gamma_hat", model.gammaHat, 1e-10);
      check("delta_hat", model.deltaHat, 0);
      check("gamma_star", model.gammaStar, 1e-10);
      check("delta_star", model.deltaStar, 0);
    });

    it(`${kind}: harmonised table`, () => {
      const ref = featureTable(`results/combat_${kind}.csv`);
      expect(ref.patient).toEqual(data.patient);
      const { model, harmonised } = fits[kind];
      model.features.forEach((name, f) => {
        const sd = Math.sqrt(model.standardisation.varPooled[f]);
        harmonised[name].forEach((v, i) => expectClose(v, ref.features[name][i], 5e-10, 1e-12 * sd + 1e-12 * Math.abs(ref.features[name][i])));
      });
    });
  }

  it("sva's stopping rule matters at 1e-6, far above our tolerance: iterating to the fixed point moves γ*", () => {
    const { model } = fits.parametric;
    const full = combat({ features: data.features, batch: data.site, covariates: { grade: data.grade } }, { tolerance: 1e-13 }).model;
    let gammaMove = 0;
    full.gammaStar.forEach((g, k) => g.forEach((x, f) => (gammaMove = Math.max(gammaMove, Math.abs(x - model.gammaStar[k][f]) / Math.abs(model.gammaStar[k][f])))));
    expect(full.iterations.every((it, k) => it > model.iterations[k])).toBe(true);
    expect(gammaMove).toBeGreaterThan(1e-8); // would break the 1e-10 comparison above
    expect(gammaMove).toBeLessThan(1e-4); // sva's iterate is within its tolerance of the fixed point
  });
});
