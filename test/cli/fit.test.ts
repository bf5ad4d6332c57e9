import { describe, expect, it } from "vitest";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
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

  it("the real command exits with code 2 on bad input, and without arguments prints its usage", () => {
    const bin = (...args: string[]) => spawnSync("node", ["--conditions=source", "--import", "tsx", "packages/cli/src/bin.ts", ...args], { encoding: "utf8" });
    const r = bin("fit", "--data", "missing.csv", "--formula", "y ~ (1|g)");
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/missing\.csv/);
    const bare = bin();
    expect(bare.status).toBe(2);
    expect(bare.stderr).toContain("usage: lmm <command> [flags]");
  });

  it("the text summary reports the rows left out, their count and why, as --json does", async () => {
    const ds = loadDataset("sleepstudy");
    const lines = readFileSync(ds.csvPath, "utf8").trim().split("\n");
    const header = lines[0].split(",");
    const [reaction, days] = [header.indexOf("Reaction"), header.indexOf("Days")];
    // Data rows 3 and 10 lose Reaction, row 7 loses Days (counted from 1 after the header).
    const blank = (row: number, column: number, token: string) => {
      const cells = lines[row].split(",");
      cells[column] = token;
      lines[row] = cells.join(",");
    };
    blank(3, reaction, "NA");
    blank(10, reaction, "NA");
    blank(7, days, "");
    const path = join(mkdtempSync(join(tmpdir(), "lmm-dropped-")), "sleepstudy-missing.csv");
    writeFileSync(path, lines.join("\n") + "\n");
    const args = ["fit", "--data", path, "--formula", "Reaction ~ Days + (Days | Subject)"];
    const text = await run(args);
    expect(text.code).toBe(0);
    expect(text.stdout).toContain("Number of obs: 177");
    expect(text.stdout).toContain("\n3 rows of 180 left out for missing values (Reaction: 2, Days: 1); data rows 3, 7, 10\n");
    const json = JSON.parse((await run([...args, "--json"])).stdout);
    expect(json.droppedRows).toEqual({ count: 3, indices: [2, 6, 9], byColumn: [{ column: "Reaction", missing: 2 }, { column: "Days", missing: 1 }, { column: "Subject", missing: 0 }] });
    const complete = await run(["fit", "--data", ds.csvPath, "--formula", "Reaction ~ Days + (Days | Subject)"]);
    expect(complete.stdout).not.toContain("left out");
  });
});
