// Quasi-Newton on the exact gradient (issue 21) against lme4, on every lme4 and formula reference
// case whose design has the gradient (several grouping factors, each θ scaling one set of effects):
// the criterion never above lme4's + 1e-7 relative, θ at lme4's 1e-3, and never above BOBYQA's own
// optimum by more than rounding (1e-11 relative). `optimizer: "auto"` uses it where the dense block
// is large (InstEval here): there its criterion must not exceed BOBYQA's at all.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { lmm, type FitOptions } from "@lmm/core";
import { Fitter } from "../../packages/core/src/engine/Fitter.js";
import { stateOf } from "../../packages/core/src/model/state.js";
import { caseIds, formulaDir, loadCase, loadDataset, OPTIMUM_TOLERANCE, relClose } from "../support/reference.js";

interface Case {
  id: string;
  formula: string;
  options: FitOptions;
  data: Record<string, unknown>;
  objective: number;
  theta: { values: number[]; lower: number[] };
}

function lme4Cases(): Case[] {
  return caseIds().map((id) => {
    const c = loadCase(id);
    const ds = loadDataset(c.dataset.name);
    return { id, formula: c.model.formula, options: { levels: ds.levels, reml: c.model.REML }, data: ds.data, objective: c.criterion.objective, theta: c.theta };
  });
}

function formulaCases(): Case[] {
  return readdirSync(join(formulaDir, "cases"))
    .filter((f) => f.endsWith(".json"))
    .sort()
    .map((f) => {
      const c = JSON.parse(readFileSync(join(formulaDir, "cases", f), "utf8"));
      const ds = loadDataset(c.dataset, formulaDir);
      const o = c.options;
      const options: FitOptions = { levels: ds.levels, ordered: ds.ordered, reml: c.REML, ...(o.weights ? { weights: o.weights } : {}), ...(o.offset ? { offset: o.offset } : {}), ...(o.contrasts ? { contrasts: o.contrasts } : {}) };
      return { id: c.case_id, formula: c.formula, options, data: ds.data, objective: c.objective, theta: c.theta };
    });
}

const withGradient = [...lme4Cases(), ...formulaCases()].filter((c) => {
  const m = lmm(c.formula, c.data as never, { ...c.options, optimizer: "bobyqa", checkConvergence: false, maxEval: 1 });
  return new Fitter(stateOf(m).design, m.response, c.options.reml ?? true).hasGradient();
});

describe("quasi-Newton on the reference cases", () => {
  it("covers crossed and nested cases of both sets, InstEval included", () => {
    expect(withGradient.length).toBeGreaterThanOrEqual(10);
    expect(withGradient.some((c) => c.id.startsWith("insteval"))).toBe(true);
    expect(withGradient.some((c) => c.id.startsWith("pastes"))).toBe(true);
  });

  for (const c of withGradient) {
    it(`${c.id}: criterion ≤ lme4's + 1e-7 and ≤ BOBYQA's + rounding, θ at lme4's`, () => {
      // The default fit where "auto" chooses quasi-Newton (InstEval), else quasi-Newton asked for.
      const auto = lmm(c.formula, c.data as never, c.options);
      const chosen = auto.optimisation.optimizer === "quasi-newton";
      // InstEval's dense block (1159 rows) is where "auto" must choose it.
      if (c.id.startsWith("insteval")) expect(chosen).toBe(true);
      const q = chosen ? auto : lmm(c.formula, c.data as never, { ...c.options, optimizer: "quasi-newton" });
      const b = lmm(c.formula, c.data as never, { ...c.options, optimizer: "bobyqa" });
      expect(q.optimisation.optimizer.startsWith("quasi-newton")).toBe(true);
      expect(q.objective, `objective ${q.objective} vs lme4's ${c.objective}`).toBeLessThanOrEqual(c.objective + OPTIMUM_TOLERANCE * Math.abs(c.objective));
      expect(q.objective, `objective ${q.objective} vs BOBYQA's ${b.objective}`).toBeLessThanOrEqual(b.objective + 1e-11 * Math.abs(b.objective));
      // Where it is the default, it is at least as exact as BOBYQA, to the last digit.
      if (chosen) expect(q.objective, `default fit ${q.objective} vs BOBYQA's ${b.objective}`).toBeLessThanOrEqual(b.objective);
      c.theta.values.forEach((v, i) => {
        if (c.theta.lower[i] === 0 && v < 1e-4) expect(q.theta[i]).toBeLessThan(1e-4);
        else expect(relClose(q.theta[i], v, 1e-3), `θ[${i}]: ${q.theta[i]} vs ${v}`).toBe(true);
      });
    });
  }
});
