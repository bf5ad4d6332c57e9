// `lmm varpart` end to end: the JSON contract of issue 6, fractions against lme4's variance
// components of the reference cases (sds to 1e-3 relative, so fractions to 4e-3), and the text form.
import { writeFileSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { main } from "../src/index.js";
import { loadCase, loadDataset, relClose } from "../../../test/support/reference.js";

async function run(...argv: string[]) {
  let stdout = "", stderr = "";
  const code = await main(["varpart", ...argv], { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t) });
  return { code, stdout, stderr };
}

const tma = (name: string) => new URL(`../../datasets/data/${name}`, import.meta.url).pathname;

describe("lmm varpart", () => {
  for (const id of ["penicillin__crossed__REML", "pastes__nested__REML", "dyestuff__intercept__ML", "dyestuff2__intercept__REML"]) {
    it(`${id}: fractions are lme4's variance components over their total`, async () => {
      const c = loadCase(id);
      const ds = loadDataset(c.dataset.name);
      const [response, rhs] = c.model.formula.split("~");
      const args = ["--data", ds.csvPath, "--columns", ds.columnsPath, "--formula", `{feature} ~${rhs}`, "--features", response.trim(), "--json"];
      if (!c.model.REML) args.push("--ml");
      const r = await run(...args);
      expect(r.stderr).toBe("");
      expect(r.code).toBe(0);
      const json = JSON.parse(r.stdout);
      expect(Object.keys(json)).toEqual(["features"]);
      const [f] = json.features;
      expect(Object.keys(f)).toEqual(["feature", "components", "singular"]);
      expect(f.feature).toBe(response.trim());
      expect(f.singular).toBe(c.singular);
      const total = c.varcorr.reduce((s: number, t: { variance: number[] }) => s + t.variance[0], 0) + c.residual.variance;
      const expected: [string, number][] = [...c.varcorr.map((t: { grouping_factor: string; variance: number[] }) => [t.grouping_factor, t.variance[0]]), ["Residual", c.residual.variance]];
      expect(Object.keys(f.components)).toEqual(expected.map(([name]) => name));
      for (const [name, v] of expected) {
        expect(relClose(f.components[name].fraction, v / total, 4e-3, 1e-3), `${name}: ${f.components[name].fraction} vs ${v / total}`).toBe(true);
        expect(relClose(f.components[name].variance, v, 2e-3, 1e-3 * total)).toBe(true);
      }
    });
  }

  it("the TMA example: every feature, components named by the formula's factors, text table too", async () => {
    const base = ["--data", tma("tma.csv"), "--columns", tma("tma.columns.json"), "--formula", "{feature} ~ 1 + (1|patient) + (1|batch) + (1|reader)", "--features", "feature_0*,feature_10"];
    const r = await run(...base, "--json");
    expect(r.code).toBe(0);
    const json = JSON.parse(r.stdout);
    expect(json.features.map((f: { feature: string }) => f.feature)).toEqual([...Array.from({ length: 9 }, (_, i) => `feature_0${i + 1}`), "feature_10"]);
    for (const f of json.features) {
      expect(Object.keys(f.components)).toEqual(["patient", "batch", "reader", "Residual"]);
      const sum = Object.values(f.components as Record<string, { fraction: number }>).reduce((s, c) => s + c.fraction, 0);
      expect(sum).toBeCloseTo(1, 12);
    }
    const text = await run(...base);
    expect(text.code).toBe(0);
    const lines = text.stdout.trim().split("\n");
    expect(lines[0].split(/\s+/)).toEqual(["feature", "patient", "%", "batch", "%", "reader", "%", "Residual", "%", "singular"]);
    expect(lines).toHaveLength(11);
    const batch01 = 100 * json.features[0].components.batch.fraction;
    expect(lines[1]).toContain(batch01.toFixed(1));
  });

  it("a feature that cannot be fitted is reported, the others are not affected", async () => {
    const dir = mkdtempSync(join(tmpdir(), "lmm-varpart-"));
    const csv = join(dir, "d.csv");
    const rows = ["g,a,flat", ...Array.from({ length: 24 }, (_, i) => `g${i % 6},${Math.sin(i) + (i % 6)},1`)];
    writeFileSync(csv, rows.join("\n") + "\n");
    const r = await run("--data", csv, "--formula", "{feature} ~ 1 + (1|g)", "--features", "a,flat", "--json");
    expect(r.code).toBe(0);
    expect(r.stderr).toContain("flat");
    const json = JSON.parse(r.stdout);
    expect(json.features[1]).toMatchObject({ feature: "flat", components: {}, singular: false });
    expect(json.features[1].error).toContain("constant");
  });

  it("bad input: exit code 2 and one line naming the culprit", async () => {
    const base = ["--data", tma("tma.csv"), "--formula", "{feature} ~ 1 + (1|batch)"];
    for (const [args, culprit] of [
      [[...base], "--features"],
      [[...base, "--features", "nope_*"], "nope_*"],
      [[...base, "--features", "feature_01", "--workers=-1"], "--workers"],
      [["--data", tma("missing.csv"), "--formula", "{feature} ~ 1 + (1|batch)", "--features", "f"], "missing.csv"],
      [["--data", tma("tma.csv"), "--formula", "y ~ 1 + (1|batch)", "--features", "feature_01"], "{feature}"],
    ] as [string[], string][]) {
      const r = await run(...args);
      expect(r.code, args.join(" ")).toBe(2);
      expect(r.stderr).toContain(culprit);
      expect(r.stderr.trim().split("\n")).toHaveLength(1);
    }
  });
});
