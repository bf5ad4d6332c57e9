import { describe, expect, it } from "vitest";
import { lmm } from "@lmm/core";
import { leaveOneLevelOut } from "@lmm/diagnostics";
import { main } from "../src/index.js";
import { formulaDir, loadDataset } from "../../../test/support/reference.js";

async function run(...argv: string[]) {
  let stdout = "", stderr = "";
  const code = await main(argv, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t) });
  return { code, stdout, stderr };
}

const ds = loadDataset("sleepstudy");
const formula = "Reaction ~ Days + (Days | Subject)";

describe("lmm loso", () => {
  it("--json: per held-out level and overall rmse, mae, r2 for the mixed and the fixed-effects-only model", async () => {
    const r = await run("loso", "--data", ds.csvPath, "--columns", ds.columnsPath, "--formula", formula, "--group", "Subject", "--partial", "3", "--json");
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const json = JSON.parse(r.stdout);
    const m = lmm(formula, ds.data, { levels: ds.levels });
    const lib = await leaveOneLevelOut(m, { data: ds.data, group: "Subject", partialPooling: { k: 3 } });
    expect(json.group).toBe("Subject");
    expect(json.partialK).toBe(3);
    expect(json.levels).toHaveLength(18);
    for (const key of ["mixed", "fixedOnly", "partial"]) {
      expect(Object.keys(json.overall[key])).toEqual(["n", "rmse", "mae", "r2", "bias"]);
      expect(json.overall[key].rmse).toBeCloseTo(lib.overall[key as "mixed"].rmse, 10);
    }
    json.levels.forEach((l: { level: string; mixed: { rmse: number; r2: number }; fixedOnly: { mae: number } }, i: number) => {
      expect(l.level).toBe(lib.levels[i].level);
      expect(l.mixed.rmse).toBeCloseTo(lib.levels[i].mixed.rmse, 10);
      expect(l.fixedOnly.mae).toBeCloseTo(lib.levels[i].fixedOnly.mae, 10);
    });
  });

  it("--weights, --offset and --contrasts reach the fit and every refit (the library's answer)", async () => {
    const f = loadDataset("sleepstudy", formulaDir);
    const flagged = "Reaction ~ poly(Days, 2) + half + (1 | Subject)";
    const r = await run("loso", "--data", f.csvPath, "--columns", f.columnsPath, "--formula", flagged, "--group", "Subject", "--weights", "w", "--offset", "off", "--contrasts", "half=sum", "--json");
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const json = JSON.parse(r.stdout);
    const m = lmm(flagged, f.data, { levels: f.levels, weights: "w", offset: "off", contrasts: { half: "sum" } });
    const lib = await leaveOneLevelOut(m, { data: f.data, group: "Subject" });
    expect(json.overall.mixed.rmse).toBeCloseTo(lib.overall.mixed.rmse, 10);
    expect(json.overall.fixedOnly.rmse).toBeCloseTo(lib.overall.fixedOnly.rmse, 10);
  });

  it("prints a table with an overall row", async () => {
    const r = await run("loso", "--data", ds.csvPath, "--formula", formula, "--group", "Subject");
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^overall\s+180\s/m);
  });

  it("bad input: exit code 2 and one line naming the culprit", async () => {
    const cases: [string[], RegExp][] = [
      [["loso", "--data", ds.csvPath, "--formula", formula], /--group/],
      [["loso", "--data", ds.csvPath, "--formula", formula, "--group", "Subjekt"], /unknown grouping "Subjekt"/],
      [["loso", "--data", ds.csvPath, "--formula", formula, "--group", "Subject", "--partial", "0"], /--partial/],
      [["loso", "--data", ds.csvPath, "--formula", "Reaction ~ Dayz + (1 | Subject)", "--group", "Subject"], /unknown column "Dayz"/],
    ];
    for (const [args, message] of cases) {
      const r = await run(...args);
      expect(r.code, args.join(" ")).toBe(2);
      expect(r.stderr.trim().split("\n")).toHaveLength(1);
      expect(r.stderr).toMatch(message);
    }
  });
});
