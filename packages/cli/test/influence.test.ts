import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { lmm } from "@lmm/core";
import { clusterInfluence } from "@lmm/diagnostics";
import { main } from "../src/index.js";
import { loadDataset, relClose } from "../../../test/support/reference.js";

async function run(...argv: string[]) {
  let stdout = "", stderr = "";
  const code = await main(argv, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t) });
  return { code, stdout, stderr };
}

const ds = loadDataset("Penicillin");
const formula = "diameter ~ 1 + (1 | plate) + (1 | sample)";

describe("lmm influence", () => {
  it("--json: per level Cook's D, DFBETAS per fixed effect, changed variance components, flagged (as the library)", async () => {
    const r = await run("influence", "--data", ds.csvPath, "--columns", ds.columnsPath, "--formula", formula, "--groups", "plate", "--json");
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const json = JSON.parse(r.stdout);
    const m = lmm(formula, ds.data, { levels: ds.levels });
    const lib = await clusterInfluence(m, { data: ds.data, group: "plate" });
    expect(json.group).toBe("plate");
    expect(json.n).toBe(24);
    expect(json.cutoffs).toEqual({ cooksd: 4 / 24, dfbetas: 2 / Math.sqrt(24) });
    expect(json.varcomp).toEqual(["sigma^2", "plate:v[(Intercept)]", "sample:v[(Intercept)]"]);
    expect(json.levels.map((l: { level: string }) => l.level)).toEqual(ds.levels.plate);
    json.levels.forEach((l: { cooksd: number; dfbetas: Record<string, number>; varcompChange: Record<string, number>; flagged: boolean }, i: number) => {
      // The CSV holds the same numbers as the reference loader reads: identical fits.
      expect(relClose(l.cooksd, lib.levels[i].cooksD, 1e-12)).toBe(true);
      expect(relClose(l.dfbetas["(Intercept)"], lib.levels[i].dfbetas[0], 1e-12)).toBe(true);
      expect(Object.keys(l.varcompChange)).toEqual(json.varcomp);
      expect(l.flagged).toBe(lib.levels[i].flagged);
    });
  });

  it("prints a table without --json, and works on a column that is not a grouping factor", async () => {
    const r = await run("influence", "--data", ds.csvPath, "--formula", formula, "--groups", "sample");
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Influence of each sample \(6 deleted in turn, warm refits\)/);
    expect(r.stdout).toMatch(/flagged \(\*\):/);
  });

  it("bad input: exit code 2 and one line naming the culprit", async () => {
    const cases: [string[], RegExp][] = [
      [["influence", "--data", ds.csvPath, "--formula", formula], /--groups/],
      [["influence", "--data", ds.csvPath, "--formula", formula, "--groups", "plat"], /unknown grouping "plat"/],
      [["influence", "--data", ds.csvPath, "--formula", formula, "--groups", "plate", "--workers", "two"], /--workers/],
      [["influence", "--data", "nope.csv", "--formula", formula, "--groups", "plate"], /nope\.csv: no such file/],
    ];
    for (const [args, message] of cases) {
      const r = await run(...args);
      expect(r.code, args.join(" ")).toBe(2);
      expect(r.stderr.trim().split("\n")).toHaveLength(1);
      expect(r.stderr).toMatch(message);
    }
  });
});

describe("lmm influence with fewer deleted units than fixed effects", () => {
  it("explains that Cook's distance is undefined and reports DFBETAS only, never a negative distance", async () => {
    const sleep = loadDataset("sleepstudy");
    const subjects = sleep.levels.Subject;
    const reaction = sleep.data.Reaction as ArrayLike<number>, days = sleep.data.Days as ArrayLike<number>, subject = sleep.data.Subject as ArrayLike<string>;
    const lines = ["Reaction,Days,Days2,Subject,half", ...Array.from(reaction, (y, i) => `${y},${days[i]},${days[i] ** 2},${subject[i]},${subjects.indexOf(String(subject[i])) < 9 ? "first" : "second"}`)];
    const path = join(mkdtempSync(join(tmpdir(), "lmm-infl-")), "halves.csv");
    writeFileSync(path, lines.join("\n"));
    const text = await run("influence", "--data", path, "--formula", "Reaction ~ Days + Days2 + (Days | Subject)", "--groups", "half");
    expect(text.code).toBe(0);
    expect(text.stdout).toContain("Note: Cook's distance is undefined for 2 deleted levels of half and 3 fixed effects");
    expect(text.stdout.split("\n")[2]).toMatch(/^level\s+nObs\s+dfbetas \(Intercept\)/);
    expect(text.stdout).not.toMatch(/cooksd/);
    const json = JSON.parse((await run("influence", "--data", path, "--formula", "Reaction ~ Days + Days2 + (Days | Subject)", "--groups", "half", "--json")).stdout);
    expect(json.levels.map((l: { cooksd: number | null }) => l.cooksd)).toEqual([null, null]);
    expect(json.warnings).toHaveLength(1);
  });
});
