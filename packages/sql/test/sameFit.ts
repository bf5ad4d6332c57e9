import { expect } from "vitest";
import type { LinearMixedModel } from "@lmm/core";
import type { SqlFit } from "../src/index.js";

// An aggregated fit is the in-memory fit of the same rows. At the same θ every number agrees to
// rounding (only the order of summation differs); optimised, the REML criterion agrees to 1e-10
// relative (the tolerance) and the estimates to the optimiser's resolution, checked at the
// tolerances the lme4 reference tests use (fixed effects 1e-4, θ 1e-3).
export async function expectSameFit(run: (options: object) => Promise<SqlFit>, mem: LinearMixedModel): Promise<void> {
  const sql = await run({});
  const rel = (a: number, b: number) => Math.abs(a - b) / Math.max(Math.abs(b), 1e-300);
  expect(rel(sql.estimates.objective, mem.objective)).toBeLessThan(1e-10);
  expect(sql.nobs).toBe(mem.nobs);
  expect(sql.fixef.map((f) => f.name)).toEqual(mem.fixefNames);
  expect(sql.thetaNames).toEqual(mem.thetaNames);
  expect(sql.warnings.map((w) => w.code)).toEqual(mem.warnings.map((w) => w.code));
  const fe = mem.fixef();
  sql.fixef.forEach((f, j) => expect(Math.abs(f.estimate - fe[j].estimate)).toBeLessThan(1e-4 * Math.max(1, Math.abs(fe[j].estimate))));
  sql.theta.forEach((t, i) => expect(Math.abs(t - mem.theta[i])).toBeLessThan(1e-3));

  const at = await run({ theta: mem.theta });
  expect(rel(at.estimates.objective, mem.objective)).toBeLessThan(1e-12);
  expect(rel(at.sigma, mem.sigma)).toBeLessThan(1e-10);
  at.fixef.forEach((f, j) => {
    expect(rel(f.estimate, fe[j].estimate)).toBeLessThan(1e-9);
    expect(rel(f.stdError, fe[j].stdError)).toBeLessThan(1e-9);
  });
  const ranef = mem.ranef();
  at.ranef.forEach((r, j) => {
    expect(r.group).toBe(ranef[j].group);
    expect(r.levels).toEqual(ranef[j].levels);
    expect(r.terms).toEqual(ranef[j].terms);
    const scale = Math.max(...Array.from(ranef[j].values, Math.abs));
    r.values.forEach((v, i) => expect(Math.abs(v - ranef[j].values[i])).toBeLessThanOrEqual(1e-9 * scale));
  });
  const vc = mem.varCorr().terms;
  at.varCorr.terms.forEach((t, i) => t.sd.forEach((sd, c) => expect(rel(sd, vc[i].sd[c])).toBeLessThan(1e-10)));
}

