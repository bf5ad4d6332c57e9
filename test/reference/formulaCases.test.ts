// The formula language against lme4 (test/reference/formula, made by its generate.R): I(),
// transforms with arithmetic, poly(), scale(), ns()/bs(), offsets, prior weights, contrasts and
// ordered factors, formula algebra; REML and ML. Tolerances of the core fitter's reference tests:
// objective 1e-6 relative (lower than lme4's allowed), fixed effects and fitted values 1e-4,
// standard errors, θ, residuals and hat values 1e-3, σ 1e-4; lmerTest's type III 1e-3. What
// poly/scale/splines learn is a function of the data alone: 1e-9.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { anovaTypeIII, coefficients, confint, lmm, type DataColumns, type FitOptions, type LinearMixedModel } from "@lmm/core";
// The engine's two systems compared directly: internals of the core, read from its sources.
import { Fitter } from "../../packages/core/src/engine/Fitter.js";
import { SchurSystem } from "../../packages/core/src/engine/SchurSystem.js";
import { stateOf } from "../../packages/core/src/model/state.js";
import { formulaDir, loadDataset, OPTIMUM_TOLERANCE, relClose } from "../support/reference.js";
import { expectClose } from "../support/expectClose.js";

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Case = any;

const ids = readdirSync(join(formulaDir, "cases"))
  .filter((f) => f.endsWith(".json"))
  .map((f) => f.replace(/\.json$/, ""))
  .sort();

function optionsOf(c: Case, reml = c.REML): FitOptions {
  const ds = loadDataset(c.dataset, formulaDir);
  const o = c.options;
  return {
    levels: ds.levels,
    ordered: ds.ordered,
    reml,
    ...(o.weights ? { weights: o.weights } : {}),
    ...(o.offset ? { offset: o.offset } : {}),
    ...(o.contrasts ? { contrasts: o.contrasts } : {}),
  };
}

function rowsOf(data: DataColumns, rows: number[]): DataColumns {
  const out: Record<string, unknown[]> = Object.create(null);
  for (const [name, values] of Object.entries(data)) out[name] = rows.map((r) => (values as ArrayLike<unknown>)[r]);
  return out;
}


const fits = new Map<string, LinearMixedModel>();
function fitCase(c: Case): LinearMixedModel {
  let m = fits.get(c.case_id);
  if (!m) fits.set(c.case_id, (m = lmm(c.formula, loadDataset(c.dataset, formulaDir).data, optionsOf(c))));
  return m;
}

for (const id of ids) {
  const c: Case = JSON.parse(readFileSync(join(formulaDir, "cases", `${id}.json`), "utf8"));
  describe(`${id}: ${c.formula}`, () => {
    it("names, criterion, θ and σ", () => {
      const m = fitCase(c);
      expect(m.fixefNames).toEqual(c.fixed_effects.map((f: { name: string }) => f.name));
      expect(m.thetaNames).toEqual(c.theta.names);
      expect(m.nobs).toBe(c.nobs);
      const tol = 1e-6 * Math.abs(c.objective);
      expect(m.objective, "objective not above lme4's + 1e-7 relative").toBeLessThanOrEqual(c.objective + OPTIMUM_TOLERANCE * Math.abs(c.objective));
      if (m.objective < c.objective - tol) console.info(`${id}: objective ${m.objective} is lower than lme4's ${c.objective}`);
      else {
        expect(Math.abs(m.objective - c.objective)).toBeLessThanOrEqual(tol);
        expect(relClose(m.logLik, c.logLik, 1e-6)).toBe(true);
        // A singular θ is compared to 0 absolutely (lme4 may stop at ~1e-5 instead of 0).
        c.theta.values.forEach((v: number, i: number) => {
          if (c.theta.lower[i] === 0 && v < 1e-4) expect(m.theta[i]).toBeLessThan(1e-4);
          else expect(relClose(m.theta[i], v, 1e-3), `θ ${c.theta.names[i]}: ${m.theta[i]} vs ${v}`).toBe(true);
        });
        expect(relClose(m.sigma, c.sigma, 1e-4), `σ ${m.sigma} vs ${c.sigma}`).toBe(true);
      }
    });

    it("fixed effects 1e-4, standard errors and vcov 1e-3", () => {
      const m = fitCase(c);
      const fe = m.fixef();
      expectClose("estimate", fe.map((f) => f.estimate), c.fixed_effects.map((f: { estimate: number }) => f.estimate), 1e-4, 1e-6 * Math.max(...fe.map((f) => Math.abs(f.estimate))));
      expectClose("std error", fe.map((f) => f.stdError), c.fixed_effects.map((f: { std_error: number }) => f.std_error), 1e-3);
      const v = c.vcov.flat();
      expectClose("vcov", m.vcov(), v, 1e-3, 1e-6 * Math.max(...v.map(Math.abs)));
    });

    it("fitted values, residuals (response, Pearson) and hat values on the stored rows", () => {
      const m = fitCase(c);
      const at = new Map(Array.from(m.structure.rows, (r, i) => [r, i]));
      const used = c.row_index.map((r: number) => at.get(r - 1)!);
      expect(used.every((i: number | undefined) => i !== undefined)).toBe(true);
      const pick = (a: Float64Array) => used.map((i: number) => a[i]);
      expectClose("fitted", pick(m.fitted()), c.fitted, 1e-4);
      expectClose("fitted fixed only", pick(m.fitted({ re: false })), c.fitted_fixed_only, 1e-4);
      const scale = Math.max(...c.residual_response.map(Math.abs));
      expectClose("residual", pick(m.residuals()), c.residual_response, 1e-3, scale);
      expectClose("pearson", pick(m.residuals("pearson")), c.residual_pearson, 1e-3, Math.max(...c.residual_pearson.map(Math.abs)));
      expectClose("hat", m.hatvalues(used), c.hatvalue, 1e-3);
    });

    const learned = Object.entries(Array.isArray(c.transforms) ? {} : c.transforms);
    if (learned.length > 0) {
      it("what poly/scale/splines learned: 1e-9", () => {
        const t = fitCase(c).structure.transforms;
        for (const [label, ref] of learned as [string, Case][]) {
          const got: Case = t[label];
          expect(got, `transform of ${label}`).toBeDefined();
          expect(got.fn).toBe(ref.fn);
          if (ref.fn === "poly") {
            expectClose(`${label} alpha`, got.alpha, ref.alpha, 1e-9);
            expectClose(`${label} norm2`, got.norm2, ref.norm2, 1e-9);
          } else if (ref.fn === "scale") {
            expect(relClose(got.center, ref.center, 1e-9, 1e-12), `${label} centre`).toBe(true);
            if (ref.scale === null || ref.scale === undefined) expect(got.scale).toBeNull();
            else expect(relClose(got.scale, ref.scale, 1e-9), `${label} scale`).toBe(true);
          } else {
            expectClose(`${label} knots`, got.knots, ref.knots, 1e-9);
            expectClose(`${label} boundary knots`, got.boundary, ref.boundary, 1e-9);
            expect(got.intercept).toBe(ref.intercept);
          }
        }
      });
    }

    if (c.heldout) {
      it("predicting two held-back rows from a fit without them: lme4's predict (safe prediction)", () => {
        const ds = loadDataset(c.dataset, formulaDir);
        const held = c.heldout.rows.map((r: number) => r - 1);
        const n = (Object.values(ds.data)[0] as ArrayLike<unknown>).length;
        const rest = Array.from({ length: n }, (_, i) => i).filter((i) => !held.includes(i));
        const m = lmm(c.formula, rowsOf(ds.data, rest), optionsOf(c));
        const newdata = rowsOf(ds.data, held);
        expectClose("prediction", m.predict(newdata), c.heldout.prediction, 1e-4);
        expectClose("population prediction", m.predict(newdata, { re: false }), c.heldout.prediction_fixed, 1e-4);
      });
    }

    if (c.profile_confint) {
      it("profile intervals of the variance parameters: lme4's, 1e-3", () => {
        const ci = confint(fitCase(c), { method: "profile" });
        for (const ref of c.profile_confint) {
          const got = ci.find((x) => x.parameter === ref.parameter)!;
          expect(relClose(got.lower, ref.lower, 1e-3, 1e-3), `${ref.parameter} lower ${got.lower} vs ${ref.lower}`).toBe(true);
          expect(relClose(got.upper, ref.upper, 1e-3, 1e-3), `${ref.parameter} upper ${got.upper} vs ${ref.upper}`).toBe(true);
        }
      });
    }

    if (c.anova_type3) {
      it("lmerTest's type III (Satterthwaite) and coefficient df whatever the contrasts: 1e-3", () => {
        const m = fitCase(c);
        const rows = anovaTypeIII(m, { ddf: "satterthwaite" });
        expect(rows.map((r) => r.term)).toEqual(c.anova_type3.map((r: { term: string }) => r.term));
        rows.forEach((r, i) => {
          const e = c.anova_type3[i];
          expect(r.numDf, `${r.term} NumDF`).toBe(e.num_df);
          expect(relClose(r.F, e.F_value, 1e-3), `${r.term} F ${r.F} vs ${e.F_value}`).toBe(true);
          expect(relClose(r.denDf, e.den_df, 1e-3), `${r.term} DenDF ${r.denDf} vs ${e.den_df}`).toBe(true);
        });
        expectClose("df", coefficients(m, { ddf: "satterthwaite" }).map((r) => r.df), c.satterthwaite_df, 1e-3);
      });
    }
  });
}

describe("prior weights on the fitter's fast paths (crossed factors)", () => {
  // The optimiser evaluates through the two-block Schur system; with a scalar first factor whose
  // levels share their total weight (Penicillin, a weight per sample) it groups the levels. Both
  // must see the weights: the cases above compare their fits to lme4.
  for (const [id, mode] of [["inst_weights_crossed__REML", "sparse"], ["penicillin_weights_crossed__REML", "grouped"]] as const) {
    it(`${id}: ${mode} Schur complement, same criterion as the blocked factor`, () => {
      const c: Case = JSON.parse(readFileSync(join(formulaDir, "cases", `${id}.json`), "utf8"));
      const m = fitCase(c);
      const schur = new SchurSystem(stateOf(m).fitter.system);
      expect(schur.mode).toBe(mode);
      const blocked = new Fitter(stateOf(m).design, m.response, true);
      const theta = Float64Array.from(m.theta, (t) => t * 1.1);
      expect(relClose(blocked.evaluate(theta), blocked.objective(theta), 1e-10)).toBe(true);
    });
  }
});
