// tidy / glance / augment against the lme4 reference cases (test/reference/lme4/cases), at the
// core fitter's tolerances: estimates 1e-4, standard errors and t 1e-3, sds 1e-3, residual sd
// 1e-4, criteria 1e-6, conditional modes and sds 1e-3, fitted 1e-4, residuals and hat values 1e-3.
import { coefficients, confint, type LinearMixedModel } from "@lmm/core";
import { table as aqTable, type ColumnTable } from "arquero";
import { describe, expect, it } from "vitest";
import { augment, fit, glance, tidy } from "../src/index.js";
import { caseIds, loadCase, loadDataset, relClose, type ReferenceCase } from "../../../test/support/reference.js";

// InstEval (73k rows) is left out to keep the suite fast; the core's own tests cover it.
const ids = caseIds().filter((id) => !id.startsWith("insteval"));

function fitCase(c: ReferenceCase): { model: LinearMixedModel; data: ColumnTable } {
  const ds = loadDataset(c.dataset.name);
  const data = aqTable(ds.data as Record<string, unknown[]>);
  return { model: fit(data, c.model.formula, { levels: ds.levels, reml: c.model.REML }), data };
}

function close(label: string, actual: number, expected: number, tol: number, floor = 1e-8) {
  expect(relClose(actual, expected, tol, floor), `${label}: ${actual} vs lme4 ${expected} (tol ${tol})`).toBe(true);
}

/** Whether the core already implements a method (the inference issue is landing separately). */
function available(fn: () => unknown): boolean {
  try {
    fn();
    return true;
  } catch {
    return false;
  }
}

type Row = Record<string, unknown> & { effect: string; group: string | null; level: string | null; term: string; estimate: number };

for (const id of ids) {
  const c = loadCase(id);
  describe(id, () => {
    const { model, data } = fitCase(c);

    it("tidy fixed: broom.mixed columns, lme4 estimates / SEs / t, df and p from coefficients()", () => {
      const t = tidy(model, { effects: "fixed", ddf: "residual" });
      expect(t.columnNames()).toEqual(["effect", "group", "level", "term", "estimate", "std.error", "statistic", "df", "p.value", "conf.low", "conf.high"]);
      const rows = t.objects() as Row[];
      const coefs = coefficients(model, { ddf: "residual" });
      expect(rows.map((r) => r.term)).toEqual(c.fixed_effects.map((f: { name: string }) => f.name));
      c.fixed_effects.forEach((f: { name: string; estimate: number; std_error: number; t_value: number }, j: number) => {
        const r = rows[j];
        expect(r.effect).toBe("fixed");
        close(`estimate ${f.name}`, r.estimate, f.estimate, 1e-4);
        close(`se ${f.name}`, r["std.error"] as number, f.std_error, 1e-3);
        close(`t ${f.name}`, r.statistic as number, f.t_value, 1e-3);
        expect(r.df).toBe(coefs[j].df);
        expect(r["p.value"]).toBe(coefs[j].pValue);
        expect(Number.isNaN(r["conf.low"])).toBe(true);
      });
    });

    it("tidy fixed with conf: the core's Wald intervals", () => {
      const rows = tidy(model, { effects: "fixed", ddf: "residual", conf: { level: 0.9 } }).objects() as Row[];
      const ci = confint(model, { method: "wald", level: 0.9 });
      rows.forEach((r) => {
        const ref = ci.find((x) => x.parameter === r.term)!;
        expect([r["conf.low"], r["conf.high"]]).toEqual([ref.lower, ref.upper]);
      });
    });

    it.skipIf(!c.model.REML || !available(() => coefficients(model, { ddf: "satterthwaite" })))("tidy fixed: Satterthwaite df and p-values as lmerTest (1e-3)", () => {
      const rows = tidy(model, { effects: "fixed", ddf: "satterthwaite" }).objects() as Row[];
      c.satterthwaite.coefficients.forEach((f: { name: string; df: number; p_value: number }, j: number) => {
        close(`df ${f.name}`, rows[j].df as number, f.df, 1e-3);
        close(`p ${f.name}`, rows[j]["p.value"] as number, f.p_value, 1e-3, 1e-300);
      });
    });

    it("tidy ran_pars: sd__ / cor__ per lme4 term, Residual sd__Observation; vcov scale squares them", () => {
      const rows = tidy(model, { effects: "ran_pars" }).objects() as Row[];
      let at = 0;
      for (const term of c.varcorr) {
        const k = term.terms.length;
        for (let r = 0; r < k; r++) {
          const row = rows[at++];
          expect([row.effect, row.group, row.term]).toEqual(["ran_pars", term.name, `sd__${term.terms[r]}`]);
          // A zero (singular) sd is judged against 1e-3 of the residual sd.
          close(`sd ${term.name} ${term.terms[r]}`, row.estimate, term.stddev[r], 1e-3, c.sigma);
          for (let s = r + 1; s < k; s++) {
            const cor = rows[at++];
            expect(cor.term).toBe(`cor__${term.terms[r]}.${term.terms[s]}`);
            if (!c.singular) close("correlation", cor.estimate, term.correlation[r][s], 1e-3, 1e-2);
          }
        }
      }
      expect([rows[at].group, rows[at].term]).toEqual(["Residual", "sd__Observation"]);
      close("sigma", rows[at].estimate, c.residual.stddev, 1e-4);
      expect(rows.length).toBe(at + 1);
      const vcov = tidy(model, { effects: "ran_pars", scales: "vcov" }).objects() as Row[];
      expect(vcov[vcov.length - 1].term).toBe("var__Observation");
      close("residual variance", vcov[vcov.length - 1].estimate, c.residual.variance, 2e-4);
    });

    it.skipIf(!available(() => confint(model, { method: "profile" })))("tidy ran_pars with profile intervals as lme4's confint (1e-3)", () => {
      const rows = tidy(model, { effects: "ran_pars", conf: { method: "profile" } }).objects() as Row[];
      const byName = new Map(c.confint_profile.rows.map((r: { parameter: string }) => [r.parameter, r]));
      const sigma = byName.get("sigma") as { lower: number; upper: number };
      const last = rows[rows.length - 1];
      close("sigma lower", last["conf.low"] as number, sigma.lower, 1e-3);
      close("sigma upper", last["conf.high"] as number, sigma.upper, 1e-3);
    });

    it("tidy ran_vals: conditional modes and conditional sds (1e-3)", () => {
      const rows = tidy(model, { effects: "ran_vals", conf: true }).objects() as Row[];
      const byKey = new Map(rows.map((r) => [`${r.group}|${r.term}|${r.level}`, r]));
      for (const ref of c.ranef) {
        ref.terms.forEach((term: string, j: number) => {
          const vals = ref.condval.map((row: number[]) => row[j]);
          const sds = ref.condsd.map((row: number[]) => row[j]);
          const scale = Math.max(...vals.map(Math.abs), 1e-12);
          const sdScale = Math.max(...sds.map(Math.abs), 1e-3 * c.sigma);
          ref.levels.forEach((level: string, l: number) => {
            const r = byKey.get(`${ref.group}|${term}|${level}`)!;
            expect(r, `${ref.group} ${term} ${level}`).toBeDefined();
            close(`mode ${level}`, r.estimate, vals[l], 1e-3, scale);
            close(`condsd ${level}`, r["std.error"] as number, sds[l], 1e-3, sdScale);
            expect((r["conf.high"] as number) - r.estimate).toBeCloseTo(1.959963984540054 * (r["std.error"] as number), 10);
          });
        });
      }
    });

    it("glance: nobs, sigma, logLik, AIC, BIC, REMLcrit / deviance, singular", () => {
      const g = glance(model).object() as Record<string, number | boolean>;
      expect(g.nobs).toBe(c.nobs);
      close("sigma", g.sigma as number, c.sigma, 1e-4);
      close("logLik", g.logLik as number, c.criterion.logLik, 1e-6);
      close("AIC", g.AIC as number, c.criterion.AIC, 1e-6);
      close("BIC", g.BIC as number, c.criterion.BIC, 1e-6);
      if (c.model.REML) {
        close("REMLcrit", g.REMLcrit as number, c.criterion.REMLcrit, 1e-6);
        expect(Number.isNaN(g.deviance)).toBe(true);
      } else {
        close("deviance", g.deviance as number, c.criterion.objective, 1e-6);
        expect(Number.isNaN(g.REMLcrit)).toBe(true);
      }
      expect(g["df.residual"]).toBe(c.nobs - c.fixed_effects.length);
      expect(g.singular).toBe(c.singular);
    });

    it("augment: every original column, .fitted / .fixed / .resid / .hat as lme4", () => {
      const a = augment(model, data);
      expect(a.columnNames()).toEqual([...data.columnNames(), ".fitted", ".fixed", ".resid", ".hat", ".dropped"]);
      for (const name of data.columnNames()) expect(a.array(name)).toEqual(data.array(name));
      const obs = c.observations;
      const scale = Math.max(...obs.residual.map(Math.abs));
      obs.row_index.forEach((r1: number, i: number) => {
        const r = r1 - 1;
        close(`fitted ${r}`, a.get(".fitted", r), obs.fitted[i], 1e-4);
        close(`fixed ${r}`, a.get(".fixed", r), obs.fitted_fixed_only[i], 1e-4);
        close(`resid ${r}`, a.get(".resid", r), obs.residual[i], 1e-3, scale);
        close(`hat ${r}`, a.get(".hat", r), obs.hatvalue[i], 1e-3);
        expect(a.get(".dropped", r)).toBe(false);
      });
    });
  });
}

describe("augment with missing values", () => {
  it("keeps dropped rows, marks them, and leaves their added columns NaN", () => {
    const t = aqTable({
      y: [1.2, 2.1, null, 4.1, 5.3, 5.8, 7.4, 8.1, 3.3, 2.2],
      x: [1, 2, 3, 4, NaN, 6, 7, 8, 9, 10],
      g: ["a", "a", "b", "b", "c", "c", null, "d", "e", "e"],
    });
    const m = fit(t, "y ~ x + (1 | g)");
    const a = augment(m, t);
    expect(a.numRows()).toBe(10);
    expect(a.array(".dropped")).toEqual([false, false, true, false, true, false, true, false, false, false]);
    for (const r of [2, 4, 6]) expect(Number.isNaN(a.get(".fitted", r))).toBe(true);
    const fitted = m.fitted();
    expect(a.get(".fitted", 3)).toBe(fitted[2]);
    expect(() => augment(m, aqTable({ y: [1, 2] }))).toThrow(/table/);
  });
});
