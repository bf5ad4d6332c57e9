// Assertions shared by the dispersion reference tests (nlme's cases.json and glmmTMB's glmmTMB.json carry the
// same fields): the tolerances in one place, β 1e-4 relative, SEs, residual and random-effect sds 1e-3
// relative, correlations 1e-3 absolute.
import { expect } from "vitest";
import type { LinearMixedModel } from "@lmm/core";
import { relClose } from "./reference.js";

/** A reference fit's fixed effects, SEs, residual sds per level and random-effect sds, as the JSON holds them. */
export interface DispersionReference {
  beta: Record<string, number>;
  se: Record<string, number>;
  sd: Record<string, number>;
  varcorr: { group: string; term: string; sd?: number; cor?: number }[];
}

export function expectFixedEffects(m: LinearMixedModel, c: DispersionReference): void {
  for (const f of m.fixef()) {
    expect(relClose(f.estimate, c.beta[f.name], 1e-4), `${f.name}: ${f.estimate} vs ${c.beta[f.name]}`).toBe(true);
    expect(relClose(f.stdError, c.se[f.name], 1e-3), `SE ${f.name}: ${f.stdError} vs ${c.se[f.name]}`).toBe(true);
  }
  expect(m.fixefNames.length).toBe(Object.keys(c.beta).length);
}

export function expectResidualSds(m: LinearMixedModel, c: DispersionReference): void {
  const d = m.dispersion!;
  expect(d.levels).toEqual(Object.keys(c.sd));
  d.levels.forEach((level, g) => expect(relClose(d.sd[g], c.sd[level], 1e-3), `${level}: ${d.sd[g]} vs ${c.sd[level]}`).toBe(true));
  expect(d.delta[0]).toBe(1);
}

export function expectRandomEffects(m: LinearMixedModel, c: DispersionReference): void {
  const terms = m.varCorr().terms;
  expect(terms.map((t) => t.group).sort()).toEqual([...new Set(c.varcorr.map((r) => r.group))].sort());
  for (const r of c.varcorr) {
    const t = terms.find((x) => x.group === r.group)!;
    if (r.sd !== undefined) {
      const j = t.terms.indexOf(r.term);
      expect(j, `${r.group} ${r.term}`).toBeGreaterThanOrEqual(0);
      expect(relClose(t.sd[j], r.sd, 1e-3), `${r.group} ${r.term}: ${t.sd[j]} vs ${r.sd}`).toBe(true);
    } else expect(Math.abs(t.correlation[1][0] - r.cor!), `${r.group} ${r.term}: ${t.correlation[1][0]} vs ${r.cor}`).toBeLessThanOrEqual(1e-3);
  }
}
