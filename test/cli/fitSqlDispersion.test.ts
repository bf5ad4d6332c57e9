import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { main } from "@lmm/cli";
import { duckdbEngine } from "@lmm/sql/duckdb";

async function run(args: string[]) {
  let stdout = "", stderr = "";
  const code = await main(args, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t) });
  return { code, stdout, stderr };
}

// `lmm fit --dispersion` on Parquet and CSV through DuckDB fits from the sums (no fallback to rows) and
// equals the in-memory fit of the CSV and nlme's varIdent fit (test/reference/dispersion, made by generate.R).
const root = join(import.meta.dirname, "..", "..");
const reference = JSON.parse(readFileSync(join(root, "test/reference/dispersion/cases.json"), "utf8")) as {
  cases: { name: string; data: string; formula: string; dispersion: string; reml: boolean; logLik: number; sd: Record<string, number> }[];
};

describe("lmm fit --dispersion through DuckDB", () => {
  const dir = mkdtempSync(join(tmpdir(), "lmm-fit-sql-dispersion-"));
  const cases = reference.cases.filter((c) => c.data.endsWith("radiomics.csv")).slice(0, 2);
  beforeAll(async () => {
    const engine = await duckdbEngine();
    await engine.run(`COPY (SELECT * FROM read_csv('${join(root, "packages/datasets/data/radiomics.csv")}', header = true)) TO '${join(dir, "radiomics.parquet")}' (FORMAT parquet)`);
    engine.close();
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  for (const c of cases) {
    it(`${c.name}: Parquet and CSV through DuckDB give the CSV fit and nlme's`, async () => {
      const common = ["--formula", c.formula, "--dispersion", c.dispersion, "--json", ...(c.reml ? [] : ["--ml"])];
      const csv = await run(["fit", "--data", join(root, c.data), ...common]);
      expect(csv.code).toBe(0);
      const expected = JSON.parse(csv.stdout);
      for (const source of [["--data", join(dir, "radiomics.parquet")], ["--data", join(root, c.data), "--engine", "duckdb"]]) {
        const out = await run(["fit", ...source, ...common]);
        // From the sums: no note about reading rows into memory.
        expect(out.stderr, source.join(" ")).toBe("");
        expect(out.code).toBe(0);
        const json = JSON.parse(out.stdout);
        expect(json.cells).toBeGreaterThan(0);
        expect(json.nobs).toBe(expected.nobs);
        expect(Math.abs(json.objective - expected.objective) / Math.abs(expected.objective)).toBeLessThan(1e-10);
        expect(Object.keys(json.dispersion.sd)).toEqual(Object.keys(expected.dispersion.sd));
        for (const [level, sd] of Object.entries(expected.dispersion.sd) as [string, number][]) expect(Math.abs(json.dispersion.sd[level] - sd) / sd).toBeLessThan(1e-3);
        // nlme (the issue-20 reference tolerances): logLik 1e-4 absolute, per-level sds 1e-3.
        expect(Math.abs(json.logLik - c.logLik)).toBeLessThan(1e-4);
        for (const [level, sd] of Object.entries(c.sd)) expect(Math.abs(json.dispersion.sd[level] - sd) / sd).toBeLessThan(1e-3);
      }
    });
  }

  it("--confint profile on a dispersion fit is refitted from rows, said so on stderr", async () => {
    const c = cases[0];
    const out = await run(["fit", "--data", join(dir, "radiomics.parquet"), "--formula", c.formula, "--dispersion", c.dispersion, "--confint", "profile", "--json"]);
    expect(out.code).toBe(0);
    expect(out.stderr).toMatch(/a profile of a fit with a dispersion formula \(~ vendor\) cannot be fitted from grouped sums.*reading the [\d,]+ rows of \d+ columns into memory/);
    expect(JSON.parse(out.stdout).confint.some((r: { parameter: string }) => r.parameter.startsWith("delta_"))).toBe(true);
  });
});
