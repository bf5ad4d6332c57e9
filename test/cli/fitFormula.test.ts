// `lmm fit` with the formula language, prior weights, offsets and contrasts (issue 15): against the
// lme4 reference cases of test/reference/formula, and the issue's own command end to end.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { spawnSync } from "node:child_process";
import { afterAll, describe, expect, it } from "vitest";
import { main } from "@lmm/cli";
import { lmm } from "@lmm/core";
import { Rng } from "@lmm/core/numerics";
import { formulaDir, loadDataset, relClose } from "../support/reference.js";

async function run(args: string[]) {
  let stdout = "", stderr = "";
  const code = await main(args, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t) });
  return { code, stdout, stderr };
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
const loadCase = (id: string): any => JSON.parse(readFileSync(join(formulaDir, "cases", `${id}.json`), "utf8"));

describe("lmm fit with --weights, --offset, --contrasts and ordered factors from --columns: lme4's answers", () => {
  const flags: [string, string[]][] = [
    ["sleep_weights__REML", ["--weights", "w"]],
    ["sleep_offset_option__ML", ["--offset", "off", "--ml"]],
    ["cake_helmert__REML", ["--contrasts", "recipe=helmert,temperature=treatment"]],
    ["cake_ordered__REML", []],
    ["chick_sum__REML", ["--contrasts", "Diet=contr.sum"]],
  ];
  for (const [id, extra] of flags) {
    it(`${id} ${extra.join(" ")}`, async () => {
      const c = loadCase(id);
      const ds = loadDataset(c.dataset, formulaDir);
      const { code, stdout, stderr } = await run(["fit", "--data", ds.csvPath, "--columns", ds.columnsPath, "--formula", c.formula, "--json", ...extra]);
      expect(stderr).toBe("");
      expect(code).toBe(0);
      const json = JSON.parse(stdout);
      expect(Object.keys(json.fixef)).toEqual(c.fixed_effects.map((f: { name: string }) => f.name));
      expect(json.objective).toBeLessThanOrEqual(c.objective + 1e-6 * Math.abs(c.objective));
      expect(relClose(json.sigma, c.sigma, 1e-4)).toBe(true);
      for (const fe of c.fixed_effects) {
        expect(relClose(json.fixef[fe.name].estimate, fe.estimate, 1e-4, 1e-6), fe.name).toBe(true);
        expect(relClose(json.fixef[fe.name].se, fe.std_error, 1e-3), fe.name).toBe(true);
      }
    });
  }

  it("the summary names the weights and the offset, as lme4's print does", async () => {
    const ds = loadDataset("sleepstudy", formulaDir);
    const { code, stdout } = await run(["fit", "--data", ds.csvPath, "--formula", "Reaction ~ Days + (Days | Subject)", "--weights", "w", "--offset", "off"]);
    expect(code).toBe(0);
    expect(stdout).toMatch(/Formula: Reaction ~ Days \+ \(Days \| Subject\)\nWeights: w\n Offset: off\n/);
  });

  it("bad flags: exit code 2 and one line naming the culprit", async () => {
    const ds = loadDataset("sleepstudy", formulaDir);
    const cases: [string[], RegExp][] = [
      [["--contrasts", "Subject=sums"], /--contrasts: "Subject=sums"; expected COLUMN=CODING/],
      [["--contrasts", "nope=sum"], /contrasts: "nope"; expected a factor of the formula/],
      [["--weights", "Subject"], /column "Subject", row 1: "308" is not a number/],
      [["--weights", "wx"], /unknown column "wx" \(did you mean "w"\?\)/],
      [["--offset", "half"], /column "half", row 1: "early" is not a number/],
    ];
    for (const [extra, message] of cases) {
      const { code, stderr } = await run(["fit", "--data", ds.csvPath, "--columns", ds.columnsPath, "--formula", "Reaction ~ Days + (1 | Subject)", ...extra]);
      expect(code, extra.join(" ")).toBe(2);
      expect(stderr.trim().split("\n")).toHaveLength(1);
      expect(stderr).toMatch(message);
    }
  });
});

describe("the issue's command: lmm fit --formula 'y ~ poly(t, 2) * arm + scale(age) + (1 + t | patient)' --weights w", () => {
  const dir = mkdtempSync(join(tmpdir(), "lmm-formula-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  // 40 patients × 5 visits, two arms, a quadratic trend that differs by arm, and prior weights.
  const rng = new Rng(15);
  const rows: string[] = ["patient,t,arm,age,w,y"];
  const columns: Record<string, (string | number)[]> = { patient: [], t: [], arm: [], age: [], w: [], y: [] };
  for (let p = 0; p < 40; p++) {
    const arm = p % 2 ? "B" : "A", age = 40 + Math.round(20 * rng.uniform()), u0 = 2 * rng.normal(), u1 = 0.5 * rng.normal();
    for (let t = 0; t < 5; t++) {
      const w = Math.round((0.5 + 1.5 * rng.uniform()) * 100) / 100;
      const y = Math.round((10 + u0 + (1 + u1) * t - (arm === "B" ? 0.3 : 0.1) * t * t + 0.05 * age + rng.normal() / Math.sqrt(w)) * 1000) / 1000;
      rows.push([`P${p}`, t, arm, age, w, y].join(","));
      for (const [k, v] of Object.entries({ patient: `P${p}`, t, arm, age, w, y })) columns[k].push(v);
    }
  }
  const csv = join(dir, "trial.csv");
  writeFileSync(csv, rows.join("\n") + "\n");
  const formula = "y ~ poly(t, 2) * arm + scale(age) + (1 + t | patient)";

  it("fits, and its JSON is the library's fit", async () => {
    const { code, stdout, stderr } = await run(["fit", "--data", csv, "--formula", formula, "--weights", "w", "--json"]);
    expect(stderr).toBe("");
    expect(code).toBe(0);
    const json = JSON.parse(stdout);
    const m = lmm(formula, columns, { weights: "w" });
    expect(Object.keys(json.fixef)).toEqual(["(Intercept)", "poly(t, 2)1", "poly(t, 2)2", "armB", "scale(age)", "poly(t, 2)1:armB", "poly(t, 2)2:armB"]);
    expect(json.objective).toBe(m.objective);
    m.fixef().forEach((f) => expect(json.fixef[f.name].estimate).toBe(f.estimate));
    expect(json.nobs).toBe(200);
  });

  it("through the real command, with Satterthwaite tests and the type-III table", () => {
    const r = spawnSync("node", ["--conditions=source", "--import", "tsx", "packages/cli/src/bin.ts", "fit", "--data", csv, "--formula", formula, "--weights", "w", "--ddf", "satterthwaite"], { encoding: "utf8" });
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/Weights: w/);
    expect(r.stdout).toMatch(/poly\(t, 2\)1:armB/);
    expect(r.stdout).toMatch(/Type III Analysis of Variance Table with Satterthwaite's method/);
    expect(r.stdout).toMatch(/\npoly\(t, 2\):arm /);
  });
});
