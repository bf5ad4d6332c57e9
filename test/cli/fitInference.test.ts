// `lmm fit --ddf … --confint …` end to end: df and p per fixed effect, the type-III `anova`
// array and `confint` rows against the lmerTest / pbkrtest / lme4 references (tolerances as the
// core inference tests: df, F, p and profile bounds 1e-3 relative), every existing key kept.
import { describe, expect, it } from "vitest";
import { main } from "@lmm/cli";
import { loadCase, loadDataset, relClose } from "../support/reference.js";

async function run(args: string[]) {
  let stdout = "", stderr = "";
  const code = await main(args, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t) });
  return { code, stdout, stderr };
}

const c = loadCase("sleepstudy__slope_corr__REML");
const ds = loadDataset(c.dataset.name);
const base = ["fit", "--data", ds.csvPath, "--columns", ds.columnsPath, "--formula", c.model.formula];
const KEYS = ["formula", "reml", "nobs", "ngroups", "objective", "logLik", "AIC", "BIC", "sigma", "theta", "fixef", "varcorr", "singular", "converged", "droppedRows"];

describe("lmm fit with tests and intervals", () => {
  for (const [flag, key] of [["satterthwaite", "satterthwaite"], ["kenward-roger", "kenward_roger"]] as const) {
    it(`--ddf ${flag}: df and p per fixed effect, type-III anova; existing keys unchanged`, async () => {
      const { code, stdout } = await run([...base, "--json", "--ddf", flag]);
      expect(code).toBe(0);
      const json = JSON.parse(stdout);
      for (const k of KEYS) expect(json, k).toHaveProperty(k);
      for (const e of c[key].coefficients) {
        const fe = json.fixef[e.name];
        expect(Object.keys(fe)).toEqual(["estimate", "se", "t", "df", "p"]);
        expect(relClose(fe.estimate, e.estimate, 1e-4)).toBe(true);
        expect(relClose(fe.df, e.df, 1e-3), `${e.name} df ${fe.df} vs ${e.df}`).toBe(true);
        expect(relClose(fe.p, e.p_value, 1e-3), `${e.name} p`).toBe(true);
      }
      expect(json.anova).toHaveLength(c[key].anova_type3.length);
      json.anova.forEach((row: Record<string, number | string>, i: number) => {
        const e = c[key].anova_type3[i];
        expect(Object.keys(row)).toEqual(["term", "numDf", "denDf", "F", "p"]);
        expect(row.term).toBe(e.term);
        expect(row.numDf).toBe(e.num_df);
        expect(relClose(row.denDf as number, e.den_df, 1e-3)).toBe(true);
        expect(relClose(row.F as number, e.F_value, 1e-3)).toBe(true);
        expect(relClose(row.p as number, e.p_value, 1e-3)).toBe(true);
      });
      expect(json).not.toHaveProperty("confint");
    });
  }

  it("--confint profile: lme4's rows, names and bounds", async () => {
    const { code, stdout } = await run([...base, "--json", "--confint", "profile"]);
    expect(code).toBe(0);
    const json = JSON.parse(stdout);
    expect(json.confint.map((r: { parameter: string }) => r.parameter)).toEqual(c.confint_profile.rows.map((r: { parameter: string }) => r.parameter));
    json.confint.forEach((r: { parameter: string; lower: number; upper: number }, i: number) => {
      const e = c.confint_profile.rows[i];
      expect(relClose(r.lower, e.lower, 1e-3, 1e-3), `${r.parameter} lower`).toBe(true);
      expect(relClose(r.upper, e.upper, 1e-3, 1e-3), `${r.parameter} upper`).toBe(true);
    });
    expect(json.fixef["Days"]).not.toHaveProperty("df");
  });

  it("--confint wald and boot: rows for the fixed effects, or for every parameter (seeded, reproducible)", async () => {
    const wald = JSON.parse((await run([...base, "--json", "--confint", "wald"])).stdout);
    expect(wald.confint.map((r: { parameter: string }) => r.parameter)).toEqual(["(Intercept)", "Days"]);
    for (const r of wald.confint) expect(r.lower).toBeLessThan(r.upper);
    const args = [...base, "--json", "--confint", "boot", "--nsim", "40", "--seed", "3", "--workers", "0"];
    const a = JSON.parse((await run(args)).stdout), b = JSON.parse((await run(args)).stdout);
    expect(a.confint.map((r: { parameter: string }) => r.parameter)).toEqual(c.confint_profile.rows.map((r: { parameter: string }) => r.parameter));
    expect(b.confint).toEqual(a.confint);
  });

  it("text output: lmerTest's summary columns, the anova and interval tables", async () => {
    const { code, stdout } = await run([...base, "--ddf", "satterthwaite", "--confint", "wald"]);
    expect(code).toBe(0);
    expect(stdout).toContain("t-tests use Satterthwaite's method");
    expect(stdout).toMatch(/Estimate\s+Std\. Error\s+df\s+t value\s+Pr\(>\|t\|\)/);
    expect(stdout).toContain("Type III Analysis of Variance Table with Satterthwaite's method");
    expect(stdout).toMatch(/2\.5 %\s+97\.5 %/);
  });

  it("bad values: exit code 2 and one line naming the option", async () => {
    const cases: [string[], RegExp][] = [
      [["--ddf", "bogus"], /--ddf: "bogus"; expected satterthwaite or kenward-roger/],
      [["--confint", "exact"], /--confint: "exact"; expected wald or profile or boot/],
      [["--confint", "wald", "--level", "1.5"], /--level: "1.5"/],
      [["--confint", "boot", "--nsim", "0"], /--nsim: "0"/],
      [["--ddf", "kenward-roger", "--ml"], /Kenward-Roger is only available for REML fits/],
    ];
    for (const [extra, message] of cases) {
      const { code, stderr } = await run([...base, ...extra]);
      expect(code, extra.join(" ")).toBe(2);
      expect(stderr.trim().split("\n")).toHaveLength(1);
      expect(stderr).toMatch(message);
    }
  });
});
