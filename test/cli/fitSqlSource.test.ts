import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { main } from "@lmm/cli";
import { duckdbEngine } from "@lmm/sql/duckdb";
import { loadCase, loadDataset, relClose } from "../support/reference.js";

async function run(args: string[]) {
  let stdout = "", stderr = "";
  const code = await main(args, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t) });
  return { code, stdout, stderr };
}

// The same data as Parquet, as a DuckDB table and as CSV: the SQL path's JSON is the CSV path's.
describe("lmm fit through DuckDB (Parquet, globs, duckdb:FILE, --sql)", () => {
  const dir = mkdtempSync(join(tmpdir(), "lmm-fit-sql-"));
  const cases = ["sleepstudy__slope_corr__REML", "penicillin__crossed__ML"];
  beforeAll(async () => {
    const engine = await duckdbEngine(join(dir, "db.duckdb"));
    for (const id of cases) {
      const c = loadCase(id);
      const { csvPath } = loadDataset(c.dataset.name);
      const name = c.dataset.name;
      await engine.run(`CREATE TABLE ${name} AS SELECT * FROM read_csv('${csvPath}', header = true, nullstr = 'NA')`);
      await engine.run(`COPY ${name} TO '${join(dir, `${name}.parquet`)}' (FORMAT parquet)`);
      await engine.run(`COPY (SELECT * FROM ${name} LIMIT 100) TO '${join(dir, `${name}-part1.parquet`)}' (FORMAT parquet)`);
      await engine.run(`COPY (SELECT * FROM ${name} OFFSET 100) TO '${join(dir, `${name}-part2.parquet`)}' (FORMAT parquet)`);
    }
    engine.close();
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  for (const id of cases) {
    it(`${id}: Parquet, a glob, a DuckDB table and a query give the CSV fit`, async () => {
      const c = loadCase(id);
      const ds = loadDataset(c.dataset.name);
      const name = c.dataset.name;
      const common = ["--formula", c.model.formula, "--json", ...(c.model.REML ? [] : ["--ml"])];
      const csv = await run(["fit", "--data", ds.csvPath, "--columns", ds.columnsPath, ...common]);
      expect(csv.code).toBe(0);
      const expected = JSON.parse(csv.stdout);
      const sources = [
        ["--data", join(dir, `${name}.parquet`)],
        ["--data", join(dir, `${name}-part*.parquet`)],
        ["--data", `duckdb:${join(dir, "db.duckdb")}`, "--table", name],
        ["--sql", `SELECT * FROM read_parquet('${join(dir, `${name}.parquet`)}')`],
      ];
      for (const source of sources) {
        const out = await run(["fit", ...source, ...common]);
        expect(out.stderr, source.join(" ")).toBe("");
        expect(out.code).toBe(0);
        const json = JSON.parse(out.stdout);
        expect(json.nobs).toBe(expected.nobs);
        expect(json.ngroups).toEqual(expected.ngroups);
        expect(json.thetaNames).toEqual(expected.thetaNames);
        expect(relClose(json.objective, expected.objective, 1e-10)).toBe(true);
        for (const [k, fe] of Object.entries(expected.fixef) as [string, { estimate: number }][]) expect(relClose(json.fixef[k].estimate, fe.estimate, 1e-4)).toBe(true);
        expect(relClose(json.objective, c.criterion.objective, 1e-6)).toBe(true);
      }
    });
  }

  it("CSV through DuckDB (--engine duckdb, or a glob) under the strict rules: the in-memory fit, the same refusals", async () => {
    const ds = loadDataset("sleepstudy");
    const lines = readFileSync(ds.csvPath, "utf8").trimEnd().split("\n");
    // Two missing tokens (NA, and one given with --na), then the file split in two for a glob.
    const days = lines[0].split(",").indexOf("Days");
    const edit = (line: string, value: string) => line.split(",").map((v, j) => (j === days ? value : v)).join(",");
    const holes = [lines[0], ...lines.slice(1).map((l, i) => (i === 4 ? edit(l, "NA") : i === 9 ? edit(l, "-999") : l))];
    writeFileSync(join(dir, "s.csv"), holes.join("\n") + "\n");
    writeFileSync(join(dir, "s-part1.csv"), holes.slice(0, 100).join("\n") + "\n");
    writeFileSync(join(dir, "s-part2.csv"), [holes[0], ...holes.slice(100)].join("\n") + "\n");
    const formula = ["--formula", "Reaction ~ Days + (Days | Subject)", "--na=-999", "--json"];
    const memory = await run(["fit", "--data", join(dir, "s.csv"), ...formula]);
    expect(memory.code).toBe(0);
    const expected = JSON.parse(memory.stdout);
    expect(expected.droppedRows.count).toBe(2);
    for (const source of [["--data", join(dir, "s.csv"), "--engine", "duckdb"], ["--data", join(dir, "s-part*.csv")]]) {
      const out = await run(["fit", ...source, ...formula]);
      expect(out.stderr, source.join(" ")).toBe("");
      const json = JSON.parse(out.stdout);
      expect(json.nobs).toBe(expected.nobs);
      expect(json.droppedRows.count).toBe(2);
      expect(json.droppedRows.byColumn.find((c: { column: string }) => c.column === "Days").missing).toBe(2);
      expect(relClose(json.objective, expected.objective, 1e-10)).toBe(true);
    }
    // A stray word in a numeric column: refused naming file, line, column and value, as the in-memory reader does.
    writeFileSync(join(dir, "stray.csv"), [lines[0], ...lines.slice(1).map((l, i) => (i === 10 ? edit(l, "n/a") : l))].join("\n") + "\n");
    const inMemory = await run(["fit", "--data", join(dir, "stray.csv"), "--formula", "Reaction ~ Days + (1 | Subject)"]);
    const duck = await run(["fit", "--data", join(dir, "stray.csv"), "--engine", "duckdb", "--formula", "Reaction ~ Days + (1 | Subject)"]);
    expect(inMemory.code).toBe(2);
    expect(duck.code).toBe(2);
    expect(inMemory.stderr).toMatch(/line 12, column "Days": value "n\/a" is not a number, though 179 of 180 values are numbers/);
    expect(duck.stderr).toMatch(/stray\.csv: line 12, column "Days": value "n\/a" is not a number, though 179 of 180 values are numbers/);
  });

  it("a basis learned from the rows is fitted from sums too (its parameters learned by DuckDB), as the CSV fit", async () => {
    const ds = loadDataset("sleepstudy");
    const formula = "Reaction ~ poly(Days, 2) + (Days | Subject)";
    const parquet = await run(["fit", "--data", join(dir, "sleepstudy.parquet"), "--formula", formula, "--json"]);
    expect(parquet.code).toBe(0);
    expect(parquet.stderr).toBe("");
    const csv = await run(["fit", "--data", ds.csvPath, "--columns", ds.columnsPath, "--formula", formula, "--json"]);
    const a = JSON.parse(parquet.stdout), b = JSON.parse(csv.stdout);
    expect(a.nobs).toBe(b.nobs);
    expect(relClose(a.objective, b.objective, 1e-10)).toBe(true);
    expect(Object.keys(a.fixef)).toEqual(Object.keys(b.fixef));
  });

  it("prints lme4's summary layout", async () => {
    const out = await run(["fit", "--data", join(dir, "sleepstudy.parquet"), "--formula", "Reaction ~ Days + (Days | Subject)"]);
    expect(out.code).toBe(0);
    expect(out.stdout).toMatch(/REML criterion at convergence: 1743.6/);
    expect(out.stdout).toMatch(/Number of obs: 180, groups:  Subject, 18/);
  });

  it("--ddf satterthwaite: lmerTest's df and p-values from the sums, as the CSV fit's", async () => {
    for (const id of cases) {
      const c = loadCase(id);
      const ds = loadDataset(c.dataset.name);
      const common = ["--formula", c.model.formula, "--ddf", "satterthwaite", ...(c.model.REML ? [] : ["--ml"])];
      const parquet = await run(["fit", "--data", join(dir, `${c.dataset.name}.parquet`), "--json", ...common]);
      expect(parquet.code).toBe(0);
      const csv = JSON.parse((await run(["fit", "--data", ds.csvPath, "--columns", ds.columnsPath, "--json", ...common])).stdout);
      const json = JSON.parse(parquet.stdout);
      // Tolerances of the in-memory fit against lmerTest (inferenceSatterthwaite.test.ts): df and p 1e-3.
      for (const name of Object.keys(csv.fixef)) {
        expect(relClose(json.fixef[name].df, csv.fixef[name].df, 1e-3)).toBe(true);
        expect(relClose(json.fixef[name].p, csv.fixef[name].p, 1e-3)).toBe(true);
      }
      // lmerTest's own numbers where the reference has them (REML fits).
      for (const row of c.satterthwaite.coefficients ?? []) {
        expect(relClose(json.fixef[row.name].df, row.df, 1e-3)).toBe(true);
        expect(relClose(json.fixef[row.name].p, row.p_value, 1e-3)).toBe(true);
      }
      const text = (await run(["fit", "--data", join(dir, `${c.dataset.name}.parquet`), ...common])).stdout;
      expect(text).toMatch(/t-tests use Satterthwaite's method \['lmerModLmerTest'\], from sums computed by SQL/);
      expect(text).toMatch(/Estimate\s+Std\. Error\s+df\s+t value\s+Pr\(>\|t\|\)/);
      expect(text).toMatch(/Type III Analysis of Variance Table with Satterthwaite's method/);
      expect(json.anova.map((r: { term: string }) => r.term)).toEqual(csv.anova.map((r: { term: string }) => r.term));
      json.anova.forEach((r: { denDf: number; F: number }, i: number) => expect(relClose(r.denDf, csv.anova[i].denDf, 1e-3) && relClose(r.F, csv.anova[i].F, 1e-3)).toBe(true));
    }
  });

  it("--ddf kenward-roger: adjusted SEs, df, p-values and the type III table from the sums, as the CSV fit's", async () => {
    const c = loadCase("sleepstudy__slope_corr__REML");
    const ds = loadDataset(c.dataset.name);
    const common = ["--formula", c.model.formula, "--ddf", "kenward-roger"];
    const csvJson = JSON.parse((await run(["fit", "--data", ds.csvPath, "--columns", ds.columnsPath, "--json", ...common])).stdout);
    const csvText = (await run(["fit", "--data", ds.csvPath, "--columns", ds.columnsPath, ...common])).stdout;
    const anovaOf = (text: string) => text.slice(text.indexOf("Type III Analysis of Variance Table"));
    expect(anovaOf(csvText)).toMatch(/^Type III Analysis of Variance Table with Kenward-Roger's method\n.*\nDays /);
    const sources = [
      ["--data", join(dir, "sleepstudy.parquet")],
      ["--data", `duckdb:${join(dir, "db.duckdb")}`, "--table", "sleepstudy"],
      ["--sql", `SELECT * FROM read_parquet('${join(dir, "sleepstudy.parquet")}')`],
    ];
    for (const source of sources) {
      const out = await run(["fit", ...source, "--json", ...common]);
      expect(out.stderr, source.join(" ")).toBe("");
      expect(out.code).toBe(0);
      const json = JSON.parse(out.stdout);
      // The two fits' θ̂ differ by the optimiser's tolerance: the reference tests' 1e-4 for what follows from them.
      for (const name of Object.keys(csvJson.fixef)) {
        expect(relClose(json.fixef[name].df, csvJson.fixef[name].df, 1e-4)).toBe(true);
        expect(relClose(json.fixef[name].p, csvJson.fixef[name].p, 1e-4)).toBe(true);
      }
      expect(json.anova.map((r: { term: string }) => r.term)).toEqual(csvJson.anova.map((r: { term: string }) => r.term));
      json.anova.forEach((r: { denDf: number; F: number }, i: number) => expect(relClose(r.denDf, csvJson.anova[i].denDf, 1e-4) && relClose(r.F, csvJson.anova[i].F, 1e-4)).toBe(true));
      // pbkrtest's own df where the reference has them.
      for (const row of c.kenward_roger.coefficients) expect(relClose(json.fixef[row.name].df, row.df, 1e-3)).toBe(true);
      c.kenward_roger.anova_type3.forEach((e, i) => expect(relClose(json.anova[i].denDf, e.den_df, 1e-3) && relClose(json.anova[i].F, e.F_value, 1e-3)).toBe(true));
      const text = (await run(["fit", ...source, ...common])).stdout;
      expect(text).toMatch(/t-tests use Kenward-Roger's method \['lmerModLmerTest'\], from sums computed by SQL/);
      expect(text).toMatch(/Estimate\s+Std\. Error\s+KR Std\. Error\s+KR t value\s+df\s+t value\s+Pr\(>\|t\|\)/);
      // The same printed table as the CSV fit's.
      expect(anovaOf(text)).toBe(anovaOf(csvText));
    }
    // An ML fit: refused as lmerTest refuses it (exit 2), as the CSV fit is.
    const ml = await run(["fit", "--data", join(dir, "sleepstudy.parquet"), "--ml", ...common]);
    expect(ml.code).toBe(2);
    expect(ml.stderr).toMatch(/Kenward-Roger.*REML/);
  });

  it("--confint profile and wald: lme4's intervals from the sums, as the CSV fit's", async () => {
    const c = loadCase("sleepstudy__slope_corr__REML");
    const ds = loadDataset(c.dataset.name);
    const common = ["--formula", c.model.formula, "--confint", "profile", "--json"];
    const parquet = await run(["fit", "--data", join(dir, "sleepstudy.parquet"), ...common]);
    expect(parquet.code).toBe(0);
    const csv = JSON.parse((await run(["fit", "--data", ds.csvPath, "--columns", ds.columnsPath, ...common])).stdout);
    const json = JSON.parse(parquet.stdout);
    expect(json.confint.map((r: { parameter: string }) => r.parameter)).toEqual(csv.confint.map((r: { parameter: string }) => r.parameter));
    // The profile tests' tolerance against lme4 (inferenceProfile.test.ts): 1e-3.
    json.confint.forEach((r: { lower: number; upper: number }, i: number) => {
      expect(relClose(r.lower, csv.confint[i].lower, 1e-3)).toBe(true);
      expect(relClose(r.upper, csv.confint[i].upper, 1e-3)).toBe(true);
    });
    const wald = ["--formula", c.model.formula, "--confint", "wald", "--json"];
    const wp = JSON.parse((await run(["fit", "--data", join(dir, "sleepstudy.parquet"), ...wald])).stdout).confint;
    const wc = JSON.parse((await run(["fit", "--data", ds.csvPath, "--columns", ds.columnsPath, ...wald])).stdout).confint;
    expect(wp.map((r: { parameter: string }) => r.parameter)).toEqual(wc.map((r: { parameter: string }) => r.parameter));
    // Estimates and standard errors of the two fits agree to the reference tests' fixed-effect tolerance (1e-4).
    wp.forEach((r: { lower: number; upper: number }, i: number) => expect(relClose(r.lower, wc[i].lower, 1e-4) && relClose(r.upper, wc[i].upper, 1e-4)).toBe(true));
    // The bootstrap from the sums: confint(method = "boot")'s rows; the intervals are the bootstrap's
    // own (packages/sql/test/bootstrapSql.test.ts compares them with the rows' bootstrap).
    const boot = await run(["fit", "--data", join(dir, "sleepstudy.parquet"), "--formula", c.model.formula, "--confint", "boot", "--nsim", "20", "--seed", "2", "--json"]);
    expect(boot.code).toBe(0);
    const bootCsv = JSON.parse((await run(["fit", "--data", ds.csvPath, "--columns", ds.columnsPath, "--formula", c.model.formula, "--confint", "boot", "--nsim", "20", "--seed", "2", "--json"])).stdout);
    const bp = JSON.parse(boot.stdout).confint;
    expect(bp.map((r: { parameter: string }) => r.parameter)).toEqual(bootCsv.confint.map((r: { parameter: string }) => r.parameter));
    bp.forEach((r: { lower: number; upper: number }) => expect(r.lower).toBeLessThan(r.upper));
  });

  it("refuses what it cannot do, naming it (exit 2)", async () => {
    const missing = await run(["fit", "--data", join(dir, "none.parquet"), "--formula", "y ~ x + (1 | g)"]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/none\.parquet: no such file/);
    const table = await run(["fit", "--data", join(dir, "sleepstudy.parquet"), "--table", "t", "--formula", "y ~ x + (1 | g)"]);
    expect(table.code).toBe(2);
    expect(table.stderr).toMatch(/--table/);
    const column = await run(["fit", "--data", join(dir, "sleepstudy.parquet"), "--formula", "Reaction ~ Dayz + (1 | Subject)"]);
    expect(column.code).toBe(2);
    expect(column.stderr).toMatch(/unknown column "Dayz"/);
  });
});
