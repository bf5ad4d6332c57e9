// `lmm gwas` on inputs that leave no test defined: exit 2 naming the cause, never a file of p = 1 or NaN;
// SNPs whose tests alone are undefined are written as NA and counted. The phenotype and covariate files
// follow the data-path rules of every other CSV file.
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { main } from "../../cli/src/main.js";
import { DegenerateScanError, lmmScan } from "../src/index.js";
import { readPlinkFiles } from "../src/node.js";
import { cohortData } from "./referencePaths.js";

const dir = mkdtempSync(join(tmpdir(), "lmm-gwas-degenerate-"));
const bfile = cohortData("cohort");
const rows = readFileSync(cohortData("cohort.pheno.csv"), "utf8").trim().split("\n").slice(1).map((l) => l.split(","));
const n = rows.length;

async function gwas(...argv: string[]) {
  let stdout = "", stderr = "";
  const out = join(dir, `out-${Math.random().toString(36).slice(2)}.tsv`);
  const code = await main(["gwas", "--bfile", bfile, ...argv, "--out", out], { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t) });
  return { code, stdout, stderr, out };
}

/** A CSV with iid and the given columns (one value per individual, in file order). */
function csv(name: string, columns: Record<string, (i: number) => string>): string {
  const names = Object.keys(columns);
  const path = join(dir, name);
  writeFileSync(path, [["iid", ...names].join(","), ...rows.map((r, i) => [r[0], ...names.map((c) => columns[c](i))].join(","))].join("\n") + "\n");
  return path;
}

/** A kinship file: `value(i, j)` for every pair. */
function kinship(name: string, value: (i: number, j: number) => number): string {
  const path = join(dir, name);
  writeFileSync(path, Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => String(value(i, j))).join("\t")).join("\n") + "\n");
  return path;
}

const y = (i: number) => rows[i][1];
const sex = (i: number) => rows[i][2];

async function refused(argv: string[], message: RegExp) {
  const r = await gwas(...argv);
  expect(r.code).toBe(2);
  expect(r.stderr.trim().split("\n")).toHaveLength(1);
  expect(r.stderr).toMatch(message);
  expect(existsSync(r.out)).toBe(false);
}

describe("12. gwas with degenerate statistics exits 2 naming the cause", () => {
  it("a constant phenotype", async () => {
    await refused(["--pheno", csv("const.csv", { y: () => "5" }), "--pheno-col", "y"], /^lmm gwas: phenotype "y" is constant \(5\) over the 600 analysed individuals/);
  });

  it("a phenotype so large that its variance overflows", async () => {
    await refused(["--pheno", csv("big.csv", { y: (i) => String(Number(y(i)) * 1e200) }), "--pheno-col", "y"], /phenotype "y" has values as large as .*e\+200: their variance overflows/);
  });

  it("a covariate that is zero, constant or duplicated", async () => {
    const pheno = cohortData("cohort.pheno.csv");
    const covar = csv("covar.csv", { zero: () => "0", one: () => "3", sex });
    await refused(["--pheno", pheno, "--pheno-col", "y", "--covar", covar, "--covar-cols", "zero"], /covariate "zero" is zero in every analysed individual/);
    await refused(["--pheno", pheno, "--pheno-col", "y", "--covar", covar, "--covar-cols", "one"], /covariate "one" is constant over the analysed individuals, which the intercept already covers/);
    await refused(["--pheno", pheno, "--pheno-col", "y", "--covar", covar, "--covar-cols", "sex,sex"], /covariate "sex" is a copy of covariate "sex" \(listed twice\?\)/);
  });

  it("a kinship that makes every test undefined, or holds no relatedness", async () => {
    const pheno = ["--pheno", cohortData("cohort.pheno.csv"), "--pheno-col", "y"];
    await refused([...pheno, "--kinship", kinship("identity.txt", (i, j) => (i === j ? 1 : 0))], /the null model has no estimate with this kinship matrix \(REML λ = NaN/);
    await refused([...pheno, "--kinship", kinship("huge.txt", (i, j) => (i === j ? 1e300 : 0))], /the null model has no estimate with this kinship matrix/);
    await refused([...pheno, "--kinship", kinship("ones.txt", () => 1)], /the kinship matrix is zero after centring \(all 600 eigenvalues are 0\)/);
  });

  it("the library refuses the same inputs with a typed error naming the cause", async () => {
    const g = await readPlinkFiles(bfile);
    const e = await lmmScan({ genotypes: g, phenotype: new Float64Array(n).fill(2), snps: [0] }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(DegenerateScanError);
    expect((e as DegenerateScanError).culprit).toBe("phenotype");
  });
});

describe("12. SNPs with an undefined test are marked NA and counted", () => {
  it("a SNP equal to a covariate: NA in its row, counted in the summary line and the JSON", async () => {
    const g = await readPlinkFiles(bfile);
    const dosage = new Float64Array(n * 2);
    g.read(0, 2, dosage);
    const covar = csv("snp-covariate.csv", { snp0: (i) => String(dosage[i]) });
    const r = await gwas("--pheno", cohortData("cohort.pheno.csv"), "--pheno-col", "y", "--covar", covar, "--covar-cols", "snp0", "--approx");
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/3000 SNPs tested \(0 filtered, 1 with an undefined test written as NA\)/);
    expect(r.stderr).toMatch(/warning: 1 of 3000 tested SNPs have an undefined test/);
    const lines = readFileSync(r.out, "utf8").trim().split("\n");
    expect(lines[1].split("\t").slice(3, 5)).toEqual(["NA", "NA"]);
    expect(lines[1].split("\t").slice(6)).toEqual(["NA", "NA", "NA"]);
    expect(lines[2]).not.toContain("NA");
    expect(lines.slice(2).every((l) => !/\tnan|NA/.test(l))).toBe(true);
    const json = JSON.parse((await gwas("--pheno", cohortData("cohort.pheno.csv"), "--pheno-col", "y", "--covar", covar, "--covar-cols", "snp0", "--json", "--approx")).stdout);
    expect(json.snps.undefinedTests).toEqual({ wald: 1, lrt: 1, score: 1 });
  });
});

describe("the phenotype and covariate files follow the data-path rules", () => {
  it("a byte-order mark is stripped; quoted fields and CRLF are read", async () => {
    const text = "\uFEFF" + ["iid,\"y\"", ...rows.map((r) => `"${r[0]}",${r[1]}`)].join("\r\n");
    writeFileSync(join(dir, "bom.csv"), text);
    const r = await gwas("--pheno", join(dir, "bom.csv"), "--pheno-col", "y", "--json", "--approx");
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).individuals.analysed).toBe(600);
  });

  it("Inf, a stray word, a ragged row, a duplicate column: exit 2 naming file and line", async () => {
    const bad = (name: string, edit: (lines: string[]) => void) => {
      const lines = ["iid,y,sex", ...rows.map((r) => r.join(","))];
      edit(lines);
      writeFileSync(join(dir, name), lines.join("\n"));
      return join(dir, name);
    };
    await refused(["--pheno", bad("inf.csv", (l) => (l[4] = l[4].replace(/,[^,]+,/, ",Inf,"))), "--pheno-col", "y"], /inf\.csv: line 5, column "y": value "Inf" is not a finite number/);
    await refused(["--pheno", bad("word.csv", (l) => (l[9] = l[9].replace(/,[^,]+,/, ",high,"))), "--pheno-col", "y"], /word\.csv: line 10, column "y": value "high" is not a number/);
    await refused(["--pheno", bad("ragged.csv", (l) => (l[20] += ",1")), "--pheno-col", "y"], /ragged\.csv: line 21: 4 fields, but the header has 3 columns/);
    await refused(["--pheno", bad("dup.csv", (l) => (l[0] = "iid,y,y")), "--pheno-col", "y"], /dup\.csv: line 1: column "y" appears twice/);
  });

  it("\".\" and --na tokens are missing: those individuals are dropped and counted", async () => {
    const path = csv("dots.csv", { y: (i) => (i === 0 ? "." : i === 1 ? "-9" : y(i)) });
    const r = await gwas("--pheno", path, "--pheno-col", "y", "--na=-9", "--json", "--approx");
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).individuals).toMatchObject({ analysed: 598, dropped: 2 });
  });
});
