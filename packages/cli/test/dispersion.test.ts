// `--dispersion "~ vendor"` end to end (issue 20): `lmm fit --json` carries the per-level residual sds
// of nlme's varIdent fit (test/reference/dispersion), the text summary prints nlme's variance-function
// block, and `lmm varpart` pools the residual and breaks it down by level.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { main } from "../src/index.js";
import { referenceDir, relClose } from "../../../test/support/reference.js";

async function run(...argv: string[]) {
  let stdout = "", stderr = "";
  const code = await main(argv, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t) });
  return { code, stdout, stderr };
}

const data = (name: string) => new URL(`../../datasets/data/${name}`, import.meta.url).pathname;
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const reference = JSON.parse(readFileSync(`${referenceDir}/dispersion/cases.json`, "utf8")).cases.find((c: any) => c.name === "radiomics intercept REML");

describe("--dispersion", () => {
  it("lmm fit --json: dispersion { formula, sd } as nlme's, sigma the first level's", async () => {
    const r = await run("fit", "--data", data("radiomics.csv"), "--columns", data("radiomics.columns.json"), "--formula", reference.formula, "--dispersion", reference.dispersion, "--json");
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const json = JSON.parse(r.stdout);
    expect(json.dispersion.formula).toBe("~ vendor");
    expect(Object.keys(json.dispersion.sd)).toEqual(Object.keys(reference.sd));
    for (const [level, sd] of Object.entries(reference.sd)) expect(relClose(json.dispersion.sd[level], sd as number, 1e-3), level).toBe(true);
    expect(json.sigma).toBe(json.dispersion.sd.Canon);
    expect(Math.abs(json.logLik - reference.logLik)).toBeLessThanOrEqual(1e-4);
  });

  it("lmm fit: the summary prints the variance function as nlme does", async () => {
    const r = await run("fit", "--data", data("radiomics.csv"), "--columns", data("radiomics.columns.json"), "--formula", reference.formula, "--dispersion", reference.dispersion);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("Variance function:\n Structure: Different standard deviations per stratum\n Formula: ~ vendor\n Parameter estimates:\n");
    expect(r.stdout).toMatch(/Canon +GE +Philips +Siemens\n +1\.000 +1\.75\d/);
  });

  it("lmm fit --confint profile adds a profile interval for each level's δ", async () => {
    const r = await run("fit", "--data", data("radiomics.csv"), "--columns", data("radiomics.columns.json"), "--formula", reference.formula, "--dispersion", reference.dispersion, "--confint", "profile", "--json");
    expect(r.code).toBe(0);
    const rows = JSON.parse(r.stdout).confint.filter((c: { parameter: string }) => c.parameter.startsWith("delta_"));
    expect(rows.map((c: { parameter: string }) => c.parameter)).toEqual(["delta_GE", "delta_Philips", "delta_Siemens"]);
    const json = JSON.parse(r.stdout);
    for (const c of rows) expect(c.lower).toBeLessThan(c.upper);
    expect(json.confint.some((c: { parameter: string }) => c.parameter === "sigma")).toBe(true);
  }, 120_000);

  it("lmm fit without --dispersion has no dispersion key (the JSON contract is unchanged)", async () => {
    const r = await run("fit", "--data", data("radiomics.csv"), "--columns", data("radiomics.columns.json"), "--formula", reference.formula, "--json");
    expect(JSON.parse(r.stdout).dispersion).toBeUndefined();
  });

  it("lmm varpart --dispersion: residualLevels per feature add up to the pooled residual's fraction", async () => {
    const r = await run("varpart", "--data", data("radiomics.csv"), "--columns", data("radiomics.columns.json"), "--formula", "{feature} ~ grade + time + (1 | patient)", "--features", "f_firstorder_Mean,f_glcm_Contrast", "--dispersion", "~ vendor", "--json");
    expect(r.stderr).toBe("");
    const json = JSON.parse(r.stdout);
    for (const f of json.features) {
      const levels = Object.values(f.residualLevels) as { fraction: number }[];
      expect(levels).toHaveLength(4);
      expect(levels.reduce((s, l) => s + l.fraction, 0)).toBeCloseTo(f.components.Residual.fraction, 12);
    }
  });
});
