// Variance fractions, ICCs and ratios against the lme4 variance components of the reference cases
// (test/reference/lme4/cases). Expected values are computed here from the reference's VarCorr,
// residual variance, fixed effects and data, with the published formulas (variancePartition for
// fractions, performance::icc / Nakagawa et al. 2017 for the ICCs). Tolerance: the core matches
// lme4's sds to 1e-3 relative, so variances to 2e-3 and fractions (ratios of them) to 4e-3
// relative; components at zero (singular fits) are judged absolutely against 1e-3 of the total.
import { bootstrapSync, lmm, type LinearMixedModel } from "@lmm/core";
import { describe, expect, it } from "vitest";
import { varianceDecomposition, varianceRatio } from "../src/variance/index.js";
import { caseIds, loadCase, loadDataset, relClose, type ReferenceCase } from "../../../test/support/reference.js";

const ids = caseIds().filter((id) => !id.startsWith("insteval"));
const TOL = 4e-3;

function fitCase(c: ReferenceCase): LinearMixedModel {
  const ds = loadDataset(c.dataset.name);
  return lmm(c.model.formula, ds.data, { levels: ds.levels, reml: c.model.REML });
}

/** variancePartition's names for the reference's VarCorr entries, with their variances. */
function referenceRandom(c: ReferenceCase): { name: string; variance: number }[] {
  return c.varcorr.flatMap((t: { grouping_factor: string; terms: string[]; variance: number[] }) =>
    t.terms.map((term, r) => ({ name: term === "(Intercept)" ? t.grouping_factor : `${t.grouping_factor}.${term}`, variance: t.variance[r] })),
  );
}

/** Numeric columns of the reference data, for fixed-effect predictors and random slopes. */
function column(c: ReferenceCase, name: string): Float64Array {
  const ds = loadDataset(c.dataset.name);
  return Float64Array.from(ds.data[name] as ArrayLike<number>, Number);
}

/** Xβ from the reference fixed effects (these cases have only numeric fixed covariates). */
function referencePredictor(c: ReferenceCase): Float64Array {
  const n = c.nobs;
  const eta = new Float64Array(n);
  for (const f of c.fixed_effects as { name: string; estimate: number }[]) {
    if (f.name === "(Intercept)") continue;
    const x = column(c, f.name);
    for (let i = 0; i < n; i++) eta[i] += x[i] * f.estimate;
  }
  return eta;
}

function variance(x: Float64Array, denominator: "n" | "n-1"): number {
  const mean = x.reduce((s, v) => s + v, 0) / x.length;
  const ss = x.reduce((s, v) => s + (v - mean) ** 2, 0);
  return ss / (denominator === "n" ? x.length : x.length - 1);
}

for (const id of ids) {
  const c = loadCase(id);
  describe(id, () => {
    const model = fitCase(c);

    it("fractions are lme4's variance components over their sum with the residual (variancePartition)", () => {
      const d = varianceDecomposition(model);
      const random = referenceRandom(c);
      const total = random.reduce((s, r) => s + r.variance, 0) + c.residual.variance;
      expect(d.components.map((x) => x.name)).toEqual([...random.map((r) => r.name), "Residual"]);
      random.forEach((r, i) => {
        expect(relClose(d.components[i].variance, r.variance, 2e-3, 1e-3 * total), `${r.name} variance ${d.components[i].variance} vs ${r.variance}`).toBe(true);
        expect(relClose(d.components[i].fraction, r.variance / total, TOL, 1e-3), `${r.name} fraction`).toBe(true);
      });
      const res = d.components[random.length];
      expect(relClose(res.fraction, c.residual.variance / total, TOL)).toBe(true);
      expect(d.components.reduce((s, x) => s + x.fraction, 0)).toBeCloseTo(1, 12);
      expect(d.singular).toBe(c.singular);
      expect(d.warnings.some((w) => w.startsWith("random slopes"))).toBe(random.some((r) => r.name.includes(".")));
    });

    it("ICC adjusted and conditional as performance::icc (Nakagawa's random variance, sample var(Xβ))", () => {
      const d = varianceDecomposition(model);
      // σ²_random: per term, the mean over observations of z'Σz, z = (1, slope variables).
      let random = 0;
      for (const t of c.varcorr as { terms: string[]; covariance: number[][] }[]) {
        const z = t.terms.map((term) => (term === "(Intercept)" ? null : column(c, term)));
        for (let i = 0; i < c.nobs; i++) {
          let q = 0;
          for (let r = 0; r < z.length; r++) for (let s = 0; s < z.length; s++) q += (z[r]?.[i] ?? 1) * t.covariance[r][s] * (z[s]?.[i] ?? 1);
          random += q / c.nobs;
        }
      }
      const residual = c.residual.variance;
      const fixed = variance(referencePredictor(c), "n-1");
      const floor = 1e-3;
      expect(relClose(d.icc.adjusted, random / (random + residual), TOL, floor), `adjusted ${d.icc.adjusted}`).toBe(true);
      expect(relClose(d.icc.conditional, random / (fixed + random + residual), TOL, floor), `conditional ${d.icc.conditional}`).toBe(true);
    });

    it("fixed effects as variance shares: var(Xβ) with n in the denominator, added to the total", () => {
      const d = varianceDecomposition(model, { fixed: true });
      const fixedTerms = (c.fixed_effects as { name: string }[]).filter((f) => f.name !== "(Intercept)");
      const fixed = d.components.filter((x) => x.kind === "fixed");
      expect(fixed.map((x) => x.name)).toEqual(fixedTerms.map((f) => f.name));
      if (fixedTerms.length === 0) return;
      // One numeric covariate per case here, so its share is the whole predictor's variance.
      const share = variance(referencePredictor(c), "n");
      const total = referenceRandom(c).reduce((s, r) => s + r.variance, 0) + c.residual.variance + share;
      expect(relClose(fixed[0].variance, share, TOL)).toBe(true);
      expect(relClose(fixed[0].fraction, share / total, TOL)).toBe(true);
    });
  });
}

describe("ratio and bootstrap", () => {
  const c = loadCase("penicillin__crossed__REML");
  const model = fitCase(c);

  it("ρ = σ²batch / σ²signal for named components (Penicillin: plate over sample)", () => {
    const d = varianceDecomposition(model, { ratio: { batch: ["plate"], signal: ["sample"] } });
    const v = Object.fromEntries(referenceRandom(c).map((r) => [r.name, r.variance]));
    expect(relClose(d.ratio!.value, v.plate / v.sample, TOL)).toBe(true);
    expect(() => varianceRatio(d.components, { batch: ["site"], signal: ["sample"] })).toThrow(/site/);
  });

  it("bootstrap intervals are seeded, cover the estimate, and are the percentiles of the core bootstrap's refits", () => {
    const options = { ratio: { batch: ["plate"], signal: ["sample"] }, bootstrap: { n: 40, seed: 11 } };
    const a = varianceDecomposition(model, options);
    const b = varianceDecomposition(model, options);
    expect(a).toEqual(b);
    expect(a.replicates).toBe(40);
    for (const comp of a.components) {
      expect(comp.fractionInterval!.low).toBeLessThan(comp.fractionInterval!.high);
      expect(comp.fractionInterval!.low).toBeLessThanOrEqual(comp.fraction);
      expect(comp.fractionInterval!.high).toBeGreaterThanOrEqual(comp.fraction);
    }
    expect(a.ratio!.interval!.low).toBeLessThan(a.ratio!.value);
    // The replicates are the core's parametric bootstrap (lme4's bootMer): recompute the plate
    // fraction of each refit from its sds and compare the percentile interval (R's type 7).
    const boot = bootstrapSync(model, 40, { seed: 11 });
    const fractions = Array.from({ length: 40 }, (_, b) => {
      const [plate, sample, sigma] = ["sd_(Intercept)|plate", "sd_(Intercept)|sample", "sigma"].map((p) => boot.table[p][b] ** 2);
      return plate / (plate + sample + sigma);
    }).sort((x, y) => x - y);
    const q = (p: number) => { const h = 39 * p, lo = Math.floor(h); return fractions[lo] + (h - lo) * (fractions[lo + 1] - fractions[lo]); };
    expect(a.components[0].name).toBe("plate");
    expect(a.components[0].fractionInterval!.low).toBeCloseTo(q(0.025), 12);
    expect(a.components[0].fractionInterval!.high).toBeCloseTo(q(0.975), 12);
  });
});
