import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fromCSV } from "arquero";
import { describe, expect, it } from "vitest";
import { main } from "../src/index.js";

const reference = (path: string) => new URL(`../../../test/reference/combat/${path}`, import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), "lmm-combat-"));

async function run(...argv: string[]) {
  let stdout = "", stderr = "";
  const code = await main(["combat", ...argv], { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t) });
  return { code, stdout, stderr };
}

describe("lmm combat", () => {
  for (const kind of ["parametric", "nonparametric"] as const) {
    it(`writes sva::ComBat's ${kind} output (reference to 10 significant digits), other columns untouched`, async () => {
      const out = join(dir, `${kind}.csv`);
      const args = ["--data", reference("data/features_raw.csv"), "--batch", "site", "--covariates", "grade", "--features", "firstorder_*,shape_*,gl?m_*,glrlm_*,glszm_*,shape_Volume", "--out", out];
      const r = await run(...args, ...(kind === "nonparametric" ? ["--nonparametric"] : []));
      expect(r.stderr).toBe("");
      expect(r.code).toBe(0);
      expect(r.stdout).toContain(`harmonised 40 features of 300 rows over 5 batches`);
      const ours = fromCSV(readFileSync(out, "utf8"));
      const expected = fromCSV(readFileSync(reference(`results/combat_${kind}.csv`), "utf8"));
      const input = readFileSync(reference("data/features_raw.csv"), "utf8").split("\n")[0];
      expect(ours.columnNames()).toEqual(input.split(","));
      expect(ours.columnNames()).toEqual(expected.columnNames());
      expect(ours.array("patient_id")).toEqual(expected.array("patient_id"));
      for (const name of ours.columnNames().slice(3)) {
        const a = ours.array(name) as number[], b = expected.array(name) as number[];
        // 10 significant digits in the reference: 5e-10 relative rounding; the library test covers the rest.
        b.forEach((x, i) => expect(Math.abs(a[i] - x)).toBeLessThanOrEqual(5e-10 * Math.abs(x) + 1e-12 * Math.abs(x) + 1e-300));
      }
    });
  }

  it("names the culprit of bad input, exit code 2", async () => {
    const data = reference("data/features_raw.csv");
    const out = join(dir, "bad.csv");
    let r = await run("--data", data, "--batch", "sites", "--features", "shape_*", "--out", out);
    expect([r.code, r.stderr]).toEqual([2, expect.stringContaining('"sites"')]);
    r = await run("--data", data, "--batch", "site", "--covariates", "grades", "--features", "shape_*", "--out", out);
    expect(r.stderr).toContain('"grades"');
    r = await run("--data", data, "--batch", "site", "--features", "shape_Volume,grade", "--out", out);
    expect(r.stderr).toMatch(/features_raw.csv: line 2, column "grade": value "G2" is not a number/);
    r = await run("--data", data, "--batch", "site", "--features", "nothing_*", "--out", out);
    expect([r.code, r.stderr]).toEqual([2, expect.stringContaining('"nothing_*"')]);
    r = await run("--data", join(dir, "absent.csv"), "--batch", "site", "--features", "x", "--out", out);
    expect([r.code, r.stderr]).toEqual([2, expect.stringContaining("absent.csv: no such file")]);
    r = await run("--data", data, "--batch", "site", "--features", "shape_*", "--out", join(dir, "no-such-dir", "x.csv"));
    expect([r.code, r.stderr]).toEqual([2, expect.stringContaining("--out")]);
    r = await run("--data", data, "--batch", "site", "--features", "shape_*");
    expect([r.code, r.stderr]).toEqual([2, expect.stringContaining("--out")]);
  });

  it("a batch with a single sample is named; --mean-only accepts it; missing values stay NA", async () => {
    const csv = "id,batch,x,y\n1,a,1.5,2\n2,a,2.5,3\n3,a,2,NA\n4,b,7,1\n5,b,9,2\n6,b,8,4\n7,c,4,5\n";
    const data = join(dir, "small.csv");
    writeFileSync(data, csv);
    const out = join(dir, "small-out.csv");
    let r = await run("--data", data, "--batch", "batch", "--features", "x,y", "--out", out);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('batch "c" has a single sample');
    r = await run("--data", data, "--batch", "batch", "--features", "x,y", "--mean-only", "--out", out);
    expect(r.code).toBe(0);
    const lines = readFileSync(out, "utf8").trim().split("\n");
    expect(lines[0]).toBe("id,batch,x,y");
    expect(lines[3].split(",")[3]).toBe("NA");
    r = await run("--data", data, "--batch", "batch", "--features", "x,y", "--mean-only", "--ref-batch", "z", "--out", out);
    expect([r.code, r.stderr]).toEqual([2, expect.stringContaining('"z"')]);
  });
});
