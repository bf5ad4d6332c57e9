import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { lmm } from "@lmm/core";
import { decomposeVariance, varpart } from "@lmm/diagnostics";
import { varpartSql, type VarpartSqlOptions, type VarpartSqlResult } from "@lmm/sql";
import { duckdbEngine, type DuckdbEngine } from "@lmm/sql/duckdb";
import { table } from "arquero";
import { expressionSql, expressionTables } from "./expression.js";

// varpartSql reports what varpart reports (components with fixed-effect shares, fractions, ICCs, ρ,
// singular, warnings), the parts that need rows in memory computed from the cells' sums. Two checks:
// (1) at the SQL fit's own parameters, diagnostics' decomposeVariance over the rows gives the same numbers
// to 1e-8 relative (the arithmetic from sums is exact up to rounding); (2) against varpart itself, which
// optimises each feature separately, to the optimiser's resolution.
const CASES: [string, string, VarpartSqlOptions["ratio"], string?][] = [
  ["five crossed intercepts and a covariate", "value ~ x + (1 | donor) + (1 | batch) + (1 | chemistry) + (1 | day) + (1 | operator)", { batch: ["batch", "chemistry", "day", "operator"], signal: ["donor"] }],
  ["a correlated random slope and a factor", "value ~ x + chemistry + (1 + x | donor) + (1 | batch)", { batch: ["batch"], signal: ["donor", "donor.x"] }],
  ["a residual variance per chemistry", "value ~ x + (1 | donor) + (1 | batch) + (1 | day)", { batch: ["batch", "day"], signal: ["donor"] }, "~ chemistry"],
];

describe("varpartSql reports varpart's columns", () => {
  let engine: DuckdbEngine;
  const { long, wide, names } = expressionTables(16, 260, 23);
  const unpivot = `SELECT * FROM wide UNPIVOT INCLUDE NULLS (value FOR gene IN (${names.join(", ")}))`;
  beforeAll(async () => {
    engine = await duckdbEngine();
    for (const sql of expressionSql("expression", long)) await engine.run(sql);
    // The same data as a wide table (one column per feature), read through UNPIVOT INCLUDE NULLS (missing values stay rows, dropped and counted as in the long table).
    await engine.run(`CREATE TABLE wide AS PIVOT expression ON gene USING first(value) GROUP BY sample, x, donor, batch, chemistry, day, operator`);
  });
  afterAll(() => engine.close());

  const rel = (a: number, b: number) => Math.abs(a - b) / Math.max(Math.abs(b), 1e-300);

  for (const [name, formula, ratio, dispersion] of CASES) {
    for (const [shape, source] of [["long", { table: "expression" }], ["wide", { query: unpivot }]] as const) {
      it(`${name} (${shape} table)`, async () => {
        const extra = dispersion ? { dispersion } : {};
        const sql = await varpartSql(engine, source, formula, { by: "gene", fixed: true, ratio, workers: 2, ...extra });
        const ok = names.filter((n) => !["g010", "g011"].includes(n));
        expect(sql.errors.map((e) => e.feature).sort()).toEqual(["g010", "g011"]);
        expect(sql.summary.map((s) => s.feature).sort()).toEqual([...names].sort());
        // (1) At the same parameters: every number to 1e-8 relative (measured below 1e-12).
        let worst = 0;
        for (const feature of ok) {
          const fit = await fitOf(feature, formula, sql);
          const d = decomposeVariance({ structure: fit.structure, theta: fit.theta, beta: fit.beta, sigma: fit.sigma, dispersion: fit.dispersion }, { fixed: true, ratio });
          const ours = sql.rows.filter((r) => r.feature === feature);
          expect(ours.map((r) => [r.component, r.kind])).toEqual(d.components.map((c) => [c.name, c.kind]));
          d.components.forEach((c, i) => {
            worst = Math.max(worst, rel(ours[i].variance, c.variance), rel(ours[i].fraction, c.fraction));
          });
          const s = sql.summary.find((r) => r.feature === feature)!;
          worst = Math.max(worst, rel(s["icc.adjusted"]!, d.icc.adjusted), rel(s["icc.conditional"]!, d.icc.conditional), rel(s.ratio!, d.ratio!.value));
          expect(s.singular).toBe(d.singular);
          expect(s.warnings).toEqual(d.warnings);
          expect(s.error).toBeNull();
          if (dispersion) {
            const levels = sql.residualLevels!.filter((r) => r.feature === feature);
            expect(levels.map((r) => r.level)).toEqual(d.residualLevels!.map((r) => r.level));
            levels.forEach((r, g) => (worst = Math.max(worst, rel(r.sd, d.residualLevels![g].sd), rel(r.fraction, d.residualLevels![g].fraction))));
          } else expect(sql.residualLevels).toBeNull();
        }
        expect(worst).toBeLessThan(1e-8);
        // (2) Against varpart (its own optimisation of each feature).
        const mem = await varpart(table(wide), formula.replace("value", "{feature}"), names, { fixed: true, ratio, ...extra });
        let fractions = 0, iccs = 0;
        for (const r of mem.table.objects() as { feature: string; component: string; kind: string; fraction: number }[]) {
          const ours = sql.rows.find((x) => x.feature === r.feature && x.component === r.component);
          expect(ours?.kind, `${r.feature} ${r.component}`).toBe(r.kind);
          fractions = Math.max(fractions, Math.abs(ours!.fraction - r.fraction));
        }
        expect(sql.rows.length).toBe(mem.table.numRows());
        for (const r of mem.summary.objects() as { feature: string; "icc.adjusted": number; "icc.conditional": number; ratio: number; singular: boolean | null; error: string | null }[]) {
          const ours = sql.summary.find((x) => x.feature === r.feature)!;
          expect(ours.error === null).toBe(r.error === null);
          if (r.error) continue;
          expect(ours.singular).toBe(r.singular);
          iccs = Math.max(iccs, Math.abs(ours["icc.adjusted"]! - r["icc.adjusted"]), Math.abs(ours["icc.conditional"]! - r["icc.conditional"]));
        }
        console.log(`${name} (${shape}): at the same parameters ${worst.toExponential(1)} relative; against varpart: fractions ${fractions.toExponential(1)}, ICCs ${iccs.toExponential(1)} absolute`);
        // θ to 1e-3 as the lme4 reference tests: fractions and ICCs to the same order.
        expect(fractions).toBeLessThan(1e-3);
        expect(iccs).toBeLessThan(1e-3);
      });
    }
  }

  async function fitOf(feature: string, formula: string, sql: VarpartSqlResult) {
    const fit = sql.fits.find((f) => f.feature === feature)!.fit!;
    // The in-memory model of the feature's rows, evaluated at the SQL fit's θ (only its structure is used).
    const m = lmm(formula.replace("value", feature), wide as never, { theta: fit.theta });
    return { structure: m.structure, theta: fit.theta, beta: fit.fixef.map((b) => b.estimate), sigma: fit.sigma, dispersion: fit.dispersion };
  }
});
