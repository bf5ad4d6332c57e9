// The same fit twice is bit-identical, and shuffling the rows of the data changes nothing: every
// sum over observations runs in a canonical order (packages/core/src/frame/order.ts).
import { describe, expect, it } from "vitest";
import { lmm, type DataColumns } from "@lmm/core";
import { Rng } from "@lmm/core/numerics";
import { caseIds, formulaDir, loadCase, loadDataset } from "../support/reference.js";

function permute(data: DataColumns, perm: number[]): DataColumns {
  const out: Record<string, unknown[]> = Object.create(null);
  for (const [name, values] of Object.entries(data)) out[name] = perm.map((i) => (values as ArrayLike<unknown>)[i]);
  return out;
}

describe("determinism and row-order independence", () => {
  for (const id of caseIds()) {
    it(`${id}: shuffled rows give bit-identical estimates`, () => {
      const c = loadCase(id);
      const ds = loadDataset(c.dataset.name);
      const options = { levels: ds.levels, reml: c.model.REML, checkConvergence: false };
      const m = lmm(c.model.formula, ds.data, options);
      const n = m.structure.nDataRows;
      const perm = new Rng(20261126).shuffle(Array.from({ length: n }, (_, i) => i));
      const s = lmm(c.model.formula, permute(ds.data, perm), options);
      expect(Array.from(s.theta)).toEqual(Array.from(m.theta));
      expect(Array.from(s.beta)).toEqual(Array.from(m.beta));
      expect(s.objective).toBe(m.objective);
      expect(s.sigma).toBe(m.sigma);
      // Fitted values follow their rows: row perm[i] of the original is row i of the shuffled data.
      const f = m.fitted(), fs = s.fitted();
      for (let i = 0; i < Math.min(n, 500); i++) expect(fs[i]).toBe(f[perm[i]]);
    }, 120_000);
  }

  it("prior weights, offsets and learned bases: shuffled rows give bit-identical estimates", () => {
    const ds = loadDataset("sleepstudy", formulaDir);
    // Rows equal in X and Z but not in weight or offset are told apart by the canonical order.
    const data = { ...ds.data, Days: Array.from(ds.data.Days as ArrayLike<number>, (d) => Math.min(d, 6)) };
    const options = { levels: ds.levels, weights: "w", offset: "off", checkConvergence: false } as const;
    const formula = "Reaction ~ poly(Days, 2) + offset(Days / 2) + (1 | Subject) + (0 + Days | Subject)";
    const m = lmm(formula, data, options);
    const n = m.structure.nDataRows;
    const perm = new Rng(7).shuffle(Array.from({ length: n }, (_, i) => i));
    const s = lmm(formula, permute(data, perm), options);
    expect(Array.from(s.theta)).toEqual(Array.from(m.theta));
    expect(Array.from(s.beta)).toEqual(Array.from(m.beta));
    expect(s.objective).toBe(m.objective);
    expect(s.sigma).toBe(m.sigma);
    expect(s.structure.transforms).toEqual(m.structure.transforms);
  });

  it("weighted crossed factors (the Schur path): shuffled rows give bit-identical estimates", () => {
    const ds = loadDataset("InstEval120", formulaDir);
    const options = { levels: ds.levels, ordered: ds.ordered, weights: "w", checkConvergence: false };
    const formula = "y ~ service + lectage + (1 | s) + (1 | d)";
    const m = lmm(formula, ds.data, options);
    const perm = new Rng(11).shuffle(Array.from({ length: m.structure.nDataRows }, (_, i) => i));
    const s = lmm(formula, permute(ds.data, perm), options);
    expect(Array.from(s.theta)).toEqual(Array.from(m.theta));
    expect(Array.from(s.beta)).toEqual(Array.from(m.beta));
    expect(s.objective).toBe(m.objective);
  });

  it("the same fit twice is bit-identical, JSON included", () => {
    const ds = loadDataset("sleepstudy");
    const a = lmm("Reaction ~ Days + (Days | Subject)", ds.data, { levels: ds.levels });
    const b = lmm("Reaction ~ Days + (Days | Subject)", ds.data, { levels: ds.levels });
    expect(JSON.stringify(b.toJSON())).toBe(JSON.stringify(a.toJSON()));
    expect(Array.from(b.hatvalues())).toEqual(Array.from(a.hatvalues()));
  });
});
