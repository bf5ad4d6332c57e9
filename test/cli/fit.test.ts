import { describe, expect, it } from "vitest";
import { spawnSync } from "node:child_process";
import { main } from "@lmm/cli";
import { loadCase, loadDataset, relClose } from "../support/reference.js";

async function run(args: string[]) {
  let stdout = "", stderr = "";
  const code = await main(args, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t) });
  return { code, stdout, stderr };
}

describe("lmm fit (CLI) end to end", () => {
  for (const id of ["sleepstudy__slope_corr__REML", "penicillin__crossed__ML"]) {
    it(`${id}: JSON matches lme4`, async () => {
      const c = loadCase(id);
      const ds = loadDataset(c.dataset.name);
      const args = ["fit", "--data", ds.csvPath, "--columns", ds.columnsPath, "--formula", c.model.formula, "--json"];
      if (!c.model.REML) args.push("--ml");
      const { code, stdout } = await run(args);
      expect(code).toBe(0);
      const json = JSON.parse(stdout);
      for (const key of ["formula", "reml", "nobs", "ngroups", "objective", "logLik", "AIC", "BIC", "sigma", "theta", "fixef", "varcorr", "singular", "converged", "droppedRows"]) {
        expect(json, key).toHaveProperty(key);
      }
      expect(json.reml).toBe(c.model.REML);
      expect(json.nobs).toBe(c.nobs);
      expect(json.ngroups).toEqual(c.ngroups);
      expect(relClose(json.objective, c.criterion.objective, 1e-6)).toBe(true);
      expect(relClose(json.sigma, c.sigma, 1e-4)).toBe(true);
      for (const fe of c.fixed_effects) {
        expect(relClose(json.fixef[fe.name].estimate, fe.estimate, 1e-4)).toBe(true);
        expect(relClose(json.fixef[fe.name].se, fe.std_error, 1e-3)).toBe(true);
      }
      expect(json.singular).toBe(c.singular);
      expect(json.converged).toBe(true);
    });
  }

  it("prints the lme4-style summary without --json", async () => {
    const ds = loadDataset("sleepstudy");
    const { code, stdout } = await run(["fit", "--data", ds.csvPath, "--formula", "Reaction ~ Days + (Days | Subject)"]);
    expect(code).toBe(0);
    expect(stdout).toContain("REML criterion at convergence");
    expect(stdout).toMatch(/Number of obs: 180, groups: {2}Subject, 18/);
  });

  it("bad input: exit code 2 and one line naming the culprit", async () => {
    const ds = loadDataset("sleepstudy");
    const cases: [string[], RegExp][] = [
      [["fit", "--data", "no-such-file.csv", "--formula", "y ~ 1 + (1|g)"], /no-such-file\.csv: no such file/],
      [["fit", "--data", ds.csvPath, "--formula", "Reaction ~ Days + (Days | Subject"], /character 34/],
      [["fit", "--data", ds.csvPath, "--formula", "Reaction ~ Dayz + (Days | Subject)"], /unknown column "Dayz".*"Days"/],
      [["fit", "--data", ds.csvPath], /--formula/],
      [["fit", "--bogus"], /bogus/],
    ];
    for (const [args, message] of cases) {
      const { code, stderr } = await run(args);
      expect(code, args.join(" ")).toBe(2);
      expect(stderr.trim().split("\n")).toHaveLength(1);
      expect(stderr).toMatch(message);
    }
  });

  it("the real command exits with code 2 on bad input", () => {
    const r = spawnSync("node", ["--conditions=source", "--import", "tsx", "packages/cli/src/main.ts", "fit", "--data", "missing.csv", "--formula", "y ~ (1|g)"], { encoding: "utf8" });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/missing\.csv/);
  });
});
