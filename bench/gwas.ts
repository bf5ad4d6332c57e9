// GWAS benchmark (not run by CI): the reference cohort (1000 × 10 000) against GEMMA's wall times, and a
// simulated 2000 × 20 000 exact scan (target ≤ 30 s on 2 cores).
//   node --conditions=source --import tsx bench/gwas.ts [--skip-reference] [--skip-large] [--workers N]
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { computeGrm, createScanPool, genomicControl, lmmScan, symmetricEigen } from "@lmm/genetics";
import { simulateCohort as simulate } from "./gwasCohort.js";
import { readPlinkFiles } from "@lmm/genetics/node";

const args = process.argv.slice(2);
const workers = args.includes("--workers") ? Number(args[args.indexOf("--workers") + 1]) : 2;
const ref = (p: string) => new URL(`../test/reference/gwas/${p}`, import.meta.url).pathname;
const seconds = (t0: number) => (performance.now() - t0) / 1000;
const fmt = (s: number) => `${s.toFixed(2)} s`;

async function reference(): Promise<void> {
  const timings = readFileSync(ref("results/timings.tsv"), "utf8").trim().split("\n").slice(1).map((l) => l.split("\t"));
  const median = (step: string) => { const v = timings.filter((r) => r[0] === step).map((r) => Number(r[2])).sort((a, b) => a - b); return v[v.length >> 1]; };
  const pheno = readFileSync(ref("data/pheno.csv"), "utf8").trim().split("\n").slice(1).map((l) => l.split(","));
  const y = Float64Array.from(pheno, (r) => Number(r[1])), sex = Float64Array.from(pheno, (r) => Number(r[2]));
  const pool = createScanPool({ size: workers });
  try {
    let t = performance.now();
    const g = await readPlinkFiles(ref("data/geno"));
    const tRead = seconds(t);
    t = performance.now();
    const K = await computeGrm(g);
    const tGrm = seconds(t);
    t = performance.now();
    const res = await lmmScan({ genotypes: g, phenotype: y, covariates: [sex], kinship: K, pool });
    const tScan = seconds(t);
    t = performance.now();
    await lmmScan({ genotypes: g, phenotype: y, covariates: [sex], kinship: K, pool, mode: "approximate" });
    const tApprox = seconds(t);
    console.log(`reference 1000 × 10 000 (${workers} workers)`);
    console.log(`  read .bed/.bim/.fam          ${fmt(tRead)}`);
    console.log(`  GRM (gemma -gk 1)            ${fmt(tGrm)}   GEMMA ${fmt(median("gemma_kinship"))}`);
    console.log(`  exact scan (gemma -lmm 4)    ${fmt(tScan)}   GEMMA ${fmt(median("gemma_lmm4"))}   (eigen + null model + 10 000 SNPs; λGC wald ${genomicControl(res.pWald).toFixed(4)})`);
    console.log(`  approximate scan (EMMAX)     ${fmt(tApprox)}`);
    gemmaHere();
  } finally {
    await pool.close();
  }
}

// GEMMA on this machine, when installed (apt-get install gemma): the same two commands as the reference.
function gemmaHere(): void {
  try {
    execFileSync("gemma", ["-h"], { stdio: "ignore" });
  } catch {
    console.log("  (gemma not installed here: GEMMA times above are from results/timings.tsv)");
    return;
  }
  const dir = mkdtempSync(join(tmpdir(), "gemma-"));
  writeFileSync(join(dir, "covar.txt"), readFileSync(ref("data/gemma_covar.txt")));
  const time = (args: string[]) => { const t = performance.now(); execFileSync("gemma", args, { cwd: dir, stdio: "ignore" }); return seconds(t); };
  const tk = time(["-bfile", ref("data/geno"), "-gk", "1", "-o", "kin"]);
  const tl = time(["-bfile", ref("data/geno"), "-k", "output/kin.cXX.txt", "-lmm", "4", "-c", "covar.txt", "-o", "lmm"]);
  console.log(`  GEMMA on this machine: -gk 1 ${fmt(tk)}, -lmm 4 ${fmt(tl)}`);
}

async function large(): Promise<void> {
  const n = 2000, m = 20000;
  const { g, y } = simulate(n, m, 42);
  const pool = createScanPool({ size: workers });
  try {
    let t = performance.now();
    const K = await computeGrm(g);
    const tGrm = seconds(t);
    t = performance.now();
    symmetricEigen(K.values, n);
    const tEigen = seconds(t);
    t = performance.now();
    let last = 0;
    const res = await lmmScan({ genotypes: g, phenotype: y, kinship: K, pool, onProgress: (d) => { last = d; } });
    const tScan = seconds(t);
    console.log(`simulated ${n} × ${m} (${workers} workers)`);
    console.log(`  GRM                          ${fmt(tGrm)}`);
    console.log(`  eigen-decomposition alone    ${fmt(tEigen)}`);
    console.log(`  exact scan                   ${fmt(tScan)}   target ≤ 30 s (eigen + null model + ${last} SNPs; λGC wald ${genomicControl(res.pWald).toFixed(3)})`);
  } finally {
    await pool.close();
  }
}

if (!args.includes("--skip-reference")) await reference();
if (!args.includes("--skip-large")) await large();
