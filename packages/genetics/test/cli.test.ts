// `lmm grm` and `lmm gwas` on the shipped cohort (the CLI lives in packages/cli; its genetics commands are
// tested here, next to the data).
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { main } from "../../cli/src/main.js";
import { computeGrm, lmmScan, parseKinship } from "../src/index.js";
import { readPlinkFiles } from "../src/node.js";
import { cohortData } from "./referencePaths.js";

const dir = mkdtempSync(join(tmpdir(), "lmm-gwas-"));
async function run(...argv: string[]) {
  let stdout = "", stderr = "";
  const code = await main(argv, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t) });
  return { code, stdout, stderr };
}

describe("lmm grm / lmm gwas", () => {
  it("grm writes GEMMA's centred matrix", async () => {
    const out = join(dir, "K.txt");
    const r = await run("grm", "--bfile", cohortData("cohort"), "--out", out);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/600 individuals, 3000 of 3000 SNPs/);
    const K = parseKinship(readFileSync(out, "utf8"));
    const direct = await computeGrm(await readPlinkFiles(cohortData("cohort")));
    // Printed with 10 significant digits: within 5e-10 relative of the double.
    K.values.forEach((v, i) => expect(Math.abs(v - direct.values[i])).toBeLessThanOrEqual(5e-10 * Math.abs(direct.values[i]) + 1e-300));
  });

  it("gwas writes the results table and a JSON summary; ids are matched, missing ones dropped and counted", async () => {
    const pheno = readFileSync(cohortData("cohort.pheno.csv"), "utf8").trim().split("\n");
    // Phenotype file: shuffled rows, one individual missing, one with NA. Covariates in another file.
    const body = pheno.slice(1).reverse();
    const phenoFile = join(dir, "pheno.csv"), covarFile = join(dir, "covar.csv");
    writeFileSync(phenoFile, ["iid,y", ...body.slice(1).map((l, k) => { const [id, y] = l.split(","); return k === 0 ? `${id},NA` : `${id},${y}`; })].join("\n"));
    writeFileSync(covarFile, ["iid,sex", ...body.map((l) => { const [id, , sex] = l.split(","); return `${id},${sex}`; })].join("\n"));
    const out = join(dir, "res.tsv");
    const r = await run("gwas", "--bfile", cohortData("cohort"), "--pheno", phenoFile, "--pheno-col", "y", "--covar", covarFile, "--covar-cols", "sex", "--json", "--out", out);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const summary = JSON.parse(r.stdout);
    expect(summary.individuals).toMatchObject({ total: 600, analysed: 598, dropped: 2, notInPhenotypeFile: 1 });
    expect(summary.snps).toMatchObject({ total: 3000, tested: 3000, filtered: 0 });
    const lines = readFileSync(out, "utf8").trim().split("\n");
    expect(lines[0]).toBe("rs\tchr\tps\tbeta\tse\tlambda\tp_wald\tp_lrt\tp_score");
    expect(lines).toHaveLength(3001);
    // Same numbers as the library on the same individuals (the table prints %.6e).
    const g = await readPlinkFiles(cohortData("cohort"));
    const byId = new Map(pheno.slice(1).map((l) => l.split(",")).map((f) => [f[0], f]));
    const dropped = new Set([body[0].split(",")[0], body[1].split(",")[0]]);
    const y = Float64Array.from(g.individuals.iid, (id) => (dropped.has(id) ? NaN : Number(byId.get(id)![1])));
    const sex = Float64Array.from(g.individuals.iid, (id) => Number(byId.get(id)![2]));
    const lib = await lmmScan({ genotypes: g, phenotype: y, covariates: [sex], snps: [0, 1, 2] });
    for (let p = 0; p < 3; p++) {
      const f = lines[p + 1].split("\t");
      expect(f.slice(0, 3)).toEqual([g.snps.id[p], g.snps.chromosome[p], String(g.snps.position[p])]);
      expect(Number(f[6])).toBeCloseTo(lib.pWald[p], 6 - Math.ceil(Math.log10(lib.pWald[p])));
      expect(Math.abs(Number(f[3]) / lib.beta[p] - 1)).toBeLessThan(1e-6);
    }
    expect(summary.nullModel.lambda).toBeCloseTo(lib.nullModel.lambdaReml, 12);
  }, 60_000);

  it("--approx and --test select the model and columns; bad input exits 2 with one line", async () => {
    const out = join(dir, "approx.tsv");
    const ok = await run("gwas", "--bfile", cohortData("cohort"), "--pheno", cohortData("cohort.pheno.csv"), "--pheno-col", "y", "--approx", "--test", "wald", "--out", out);
    expect(ok.code).toBe(0);
    expect(ok.stderr).toMatch(/approximate; null model: lambda/);
    const row = readFileSync(out, "utf8").split("\n")[1].split("\t");
    expect(row.slice(7)).toEqual(["NA", "NA"]);
    const bad = async (...argv: string[]) => { const r = await run(...argv); expect(r.code).toBe(2); expect(r.stderr.trim().split("\n")).toHaveLength(1); return r.stderr; };
    expect(await bad("gwas", "--bfile", cohortData("cohort"), "--pheno", cohortData("cohort.pheno.csv"), "--pheno-col", "height", "--out", out)).toMatch(/column height: no such column/);
    expect(await bad("gwas", "--bfile", cohortData("cohort"), "--pheno", cohortData("cohort.pheno.csv"), "--pheno-col", "y", "--test", "wald,t", "--out", out)).toMatch(/--test/);
    expect(await bad("gwas", "--bfile", join(dir, "nothing"), "--pheno", cohortData("cohort.pheno.csv"), "--pheno-col", "y", "--out", out)).toMatch(/no such file/);
    expect(await bad("grm", "--bfile", cohortData("cohort"))).toMatch(/--out/);
    const badBed = join(dir, "bad");
    writeFileSync(badBed + ".bed", Uint8Array.of(0x6c, 0x1b, 0x01, 0));
    writeFileSync(badBed + ".bim", readFileSync(cohortData("cohort.bim")));
    writeFileSync(badBed + ".fam", readFileSync(cohortData("cohort.fam")));
    expect(await bad("grm", "--bfile", badBed, "--out", out)).toMatch(/truncated at byte offset 4/);
  }, 60_000);
});
