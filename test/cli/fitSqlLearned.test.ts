import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { main } from "@lmm/cli";
import { duckdbEngine } from "@lmm/sql/duckdb";
import { formulaDir, relClose } from "../support/reference.js";

async function run(args: string[]) {
  let stdout = "", stderr = "";
  const code = await main(args, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t) });
  return { code, stdout, stderr };
}

// Bases learned from the rows, --weights and --offset go through DuckDB (no fallback), and CSV files
// read by DuckDB take --columns and --encoding latin1 as the in-memory reader does: the JSON is the
// in-memory CSV fit's (criterion 1e-10 relative, the same rows, names and groups).
describe("lmm fit through DuckDB: bases, weights, offsets, a column schema, Latin-1", () => {
  const dir = mkdtempSync(join(tmpdir(), "lmm-fit-learned-"));
  const csv = join(formulaDir, "data", "sleepstudy.csv");
  const schema = join(formulaDir, "data", "sleepstudy.columns.json");
  beforeAll(async () => {
    const engine = await duckdbEngine();
    await engine.run(`COPY (SELECT * FROM read_csv('${csv}', header = true, types = {'Subject': 'VARCHAR', 'pair': 'VARCHAR'})) TO '${join(dir, "sleep.parquet")}' (FORMAT parquet)`);
    engine.close();
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const same = (a: Record<string, unknown>, b: Record<string, unknown>) => {
    expect(a.nobs).toBe(b.nobs);
    expect(a.ngroups).toEqual(b.ngroups);
    expect(Object.keys(a.fixef as object)).toEqual(Object.keys(b.fixef as object));
    expect(relClose(a.objective as number, b.objective as number, 1e-10)).toBe(true);
  };

  const models: string[][] = [
    ["--formula", "Reaction ~ poly(Days, 2) + (1 | Subject)", "--weights", "w0"],
    ["--formula", "Reaction ~ ns(Days, knots = c(3, 6)) + offset(Days) + (Days | Subject)", "--offset", "off"],
    ["--formula", "log(Reaction) ~ scale(Days) + bs(Days, df = 4, degree = 2) + (1 | Subject)", "--weights", "w", "--ml"],
  ];
  for (const model of models) {
    it(`Parquet and CSV (--engine duckdb, --columns): ${model.join(" ")}`, async () => {
      const memory = await run(["fit", "--data", csv, "--columns", schema, ...model, "--json"]);
      expect(memory.code).toBe(0);
      const expected = JSON.parse(memory.stdout);
      for (const source of [["--data", join(dir, "sleep.parquet")], ["--data", csv, "--engine", "duckdb", "--columns", schema]]) {
        const out = await run(["fit", ...source, ...model, "--json"]);
        // No "cannot be fitted from grouped sums … reading rows into memory" note: the sums are DuckDB's.
        expect(out.stderr, source.join(" ")).toBe("");
        expect(out.code).toBe(0);
        same(JSON.parse(out.stdout), expected);
      }
    });
  }

  it("says what still needs rows, and fits those from rows with a memory estimate", async () => {
    const formula = "Reaction ~ log1p(Days) + (1 | Subject)";
    const parquet = await run(["fit", "--data", join(dir, "sleep.parquet"), "--formula", formula, "--json"]);
    expect(parquet.code).toBe(0);
    expect(parquet.stderr).toMatch(/log1p\(\) cannot be fitted from grouped sums.*reading the 180 rows of 3 columns into memory instead \(about 0\.0 MB/);
    same(JSON.parse(parquet.stdout), JSON.parse((await run(["fit", "--data", csv, "--columns", schema, "--formula", formula, "--json"])).stdout));
    // A dispersion formula is fitted from the sums (cells grouped by its column): no fallback.
    const dispersion = await run(["fit", "--data", join(dir, "sleep.parquet"), "--formula", "Reaction ~ Days + (1 | Subject)", "--dispersion", "~ half", "--json"]);
    expect(dispersion.code).toBe(0);
    expect(dispersion.stderr).not.toMatch(/cannot be fitted from grouped sums/);
  });

  it("--columns: a cell the schema does not allow is refused as the in-memory reader refuses it", async () => {
    const lines = readFileSync(csv, "utf8").trimEnd().split("\n");
    const half = lines[0].split(",").indexOf("half");
    const bad = [lines[0], ...lines.slice(1).map((l, i) => (i === 20 ? l.split(",").map((v, j) => (j === half ? "middle" : v)).join(",") : l))];
    writeFileSync(join(dir, "bad.csv"), bad.join("\n") + "\n");
    const args = ["--columns", schema, "--formula", "Reaction ~ Days + half + (1 | Subject)"];
    const memory = await run(["fit", "--data", join(dir, "bad.csv"), ...args]);
    const duck = await run(["fit", "--data", join(dir, "bad.csv"), "--engine", "duckdb", ...args]);
    expect(memory.code).toBe(2);
    expect(duck.code).toBe(2);
    const message = /bad\.csv: line 22, column "half": value "middle" is not one of its 2 levels \(the column schema declares "half" factor\)/;
    expect(memory.stderr).toMatch(message);
    expect(duck.stderr).toMatch(message);
    expect(duck.stderr.trim().split("\n")).toHaveLength(1);
  });

  it("--encoding latin1: the same text as the in-memory reader (windows-1252), the same fit", async () => {
    const lines = readFileSync(csv, "utf8").trimEnd().split("\n");
    const subject = lines[0].split(",").indexOf("Subject"), half = lines[0].split(",").indexOf("half");
    // é (0xE9 in Latin-1) and € (0x80 in windows-1252) in the subjects' names and in a factor's levels (named in the fixed effects).
    const mark = (v: string, j: number) => (j === subject ? `${v}${Number(v) % 2 ? "é" : "€"}` : j === half ? `${v}${v === "late" ? "€" : "é"}` : v);
    const text = [lines[0], ...lines.slice(1).map((l) => l.split(",").map(mark).join(","))].join("\n") + "\n";
    const bytes = Buffer.from(Array.from(text, (ch) => (ch === "€" ? 0x80 : ch.charCodeAt(0))));
    writeFileSync(join(dir, "latin1.csv"), bytes);
    const args = ["--encoding", "latin1", "--formula", "Reaction ~ Days + half + (Days | Subject)", "--json"];
    const memory = await run(["fit", "--data", join(dir, "latin1.csv"), ...args]);
    const duck = await run(["fit", "--data", join(dir, "latin1.csv"), "--engine", "duckdb", ...args]);
    expect(memory.code).toBe(0);
    expect(duck.stderr).toBe("");
    const a = JSON.parse(duck.stdout), b = JSON.parse(memory.stdout);
    same(a, b);
    // The byte 0x80 as the in-memory reader decodes it (the platform's windows-1252 decoder).
    expect(Object.keys(a.fixef)).toContain(`halflate${new TextDecoder("windows-1252").decode(Uint8Array.of(0x80))}`);
    expect(relClose(a.sigma, b.sigma, 1e-9)).toBe(true);
    // Without --encoding the bytes are not UTF-8: refused (not read as something else).
    // Without --encoding the bytes are not UTF-8: refused (not read as something else), with the in-memory reader's line.
    const strictArgs = ["--formula", "Reaction ~ Days + (1 | Subject)"];
    const strict = await run(["fit", "--data", join(dir, "latin1.csv"), "--engine", "duckdb", ...strictArgs]);
    const inMemory = await run(["fit", "--data", join(dir, "latin1.csv"), ...strictArgs]);
    expect(strict.code).toBe(2);
    expect(inMemory.code).toBe(2);
    expect(strict.stderr).toMatch(/latin1\.csv: line 2, byte offset \d+: byte 0x(e9|80) is not UTF-8 text/);
    expect(strict.stderr).toBe(inMemory.stderr);
  });
});
