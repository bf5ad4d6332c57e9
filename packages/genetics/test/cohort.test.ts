// The example cohort shipped in ../data: it is exactly what the seeded script writes, and it shows what it is
// for (structure inflates naive regression; the LMM is calibrated and finds the strongest causal SNPs).
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { compareMethods, comparisonTable } from "../src/index.js";
import { readPlinkFiles } from "../src/node.js";
import { cohortData } from "./referencePaths.js";

const files = ["cohort.bed", "cohort.bim", "cohort.fam", "cohort.pheno.csv", "cohort.truth.json"];

describe("example cohort (packages/genetics/data)", () => {
  it("is reproduced byte for byte by scripts/simulate-cohort.ts", () => {
    const dir = mkdtempSync(join(tmpdir(), "cohort-"));
    const script = new URL("../scripts/simulate-cohort.ts", import.meta.url).pathname;
    execFileSync(process.execPath, ["--conditions=source", "--import", "tsx", script, dir], { cwd: new URL("..", import.meta.url).pathname });
    for (const f of files) expect(Buffer.compare(readFileSync(join(dir, f)), readFileSync(cohortData(f))), f).toBe(0);
  }, 60_000);

  it("naive regression is inflated by structure, PCs and the LMM correct it; the LMM finds the big causal SNPs", async () => {
    const g = await readPlinkFiles(cohortData("cohort"));
    const rows = readFileSync(cohortData("cohort.pheno.csv"), "utf8").trim().split("\n").slice(1).map((l) => l.split(","));
    expect(rows.map((r) => r[0])).toEqual(g.individuals.iid);
    const y = Float64Array.from(rows, (r) => Number(r[1])), sex = Float64Array.from(rows, (r) => Number(r[2]));
    const truth = JSON.parse(readFileSync(cohortData("cohort.truth.json"), "utf8"));
    const cmp = await compareMethods({ genotypes: g, phenotype: y, covariates: [sex] });
    const [naive, pc, wald, lrt, score] = cmp.summary;
    expect(naive.lambdaGC).toBeGreaterThan(2);
    expect(pc.lambdaGC).toBeLessThan(naive.lambdaGC);
    for (const s of [wald, lrt, score]) expect(Math.abs(s.lambdaGC - 1)).toBeLessThan(0.1);
    expect(comparisonTable(cmp).split("\n")).toHaveLength(6);
    // The two largest causal effects (designed variance 5 % and 4 %) are genome-wide significant in the LMM.
    const idx = new Map(g.snps.id.map((s, k) => [s, k]));
    for (const c of truth.causal.slice(0, 2)) {
      const p = cmp.lmm.snpIndex.indexOf(idx.get(c.snp)!);
      expect(cmp.lmm.pWald[p]).toBeLessThan(5e-8 * 10);
      expect(Math.sign(cmp.lmm.beta[p])).toBe(Math.sign(c.beta));
    }
    expect(cmp.lmm.nullModel.pve).toBeGreaterThan(0.3);
  }, 60_000);
});
