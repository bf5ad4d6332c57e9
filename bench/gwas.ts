// GWAS benchmark (not run by CI): the reference cohort (1000 × 10 000) against GEMMA's wall times, a
// simulated 2000 × 20 000 exact scan by phase, and whole processes beside GEMMA 0.98.5 on the same PLINK
// files (`lmm gwas` with Wald, LRT and score against `gemma -gk 1` + `gemma -lmm 4`; target ≤ 0.3×), with
// peak memory: 2000 × 20 000 by default, more points with --point NxM (e.g. --point 10000x50000).
//   node --conditions=source --import tsx bench/gwas.ts [--skip-reference] [--skip-large] [--skip-gemma] [--workers N] [--point NxM]
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { computeGrm, createScanPool, genomicControl, lmmScan, symmetricEigen } from "@lmm/genetics";
import { simulateCohort as simulate, writeCohort } from "./gwasCohort.js";
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
    const K = await computeGrm(g, { pool });
    const tGrm = seconds(t);
    t = performance.now();
    symmetricEigen(K.values, n);
    const tEigen = seconds(t);
    t = performance.now();
    let last = 0;
    const res = await lmmScan({ genotypes: g, phenotype: y, kinship: K, pool, onProgress: (d) => { last = d; } });
    const tScan = seconds(t);
    console.log(`simulated ${n} × ${m} (${workers} workers)`);
    console.log(`  GRM (in the pool)            ${fmt(tGrm)}`);
    console.log(`  eigen-decomposition alone    ${fmt(tEigen)}   (one thread; the scan splits its back-transformation over the pool)`);
    console.log(`  exact scan                   ${fmt(tScan)}   target ≤ 30 s (eigen + null model + ${last} SNPs; λGC wald ${genomicControl(res.pWald).toFixed(3)})`);
  } finally {
    await pool.close();
  }
}

/** Wall seconds and peak resident memory (MB, from GNU time where installed) of one command. */
function measure(command: string, argv: string[], cwd: string): { seconds: number; peakMb: number } {
  const time = existsSync("/usr/bin/time");
  const t = performance.now();
  const r = time
    ? spawnSync("/usr/bin/time", ["-f", "PEAK_KB %M", command, ...argv], { cwd, encoding: "utf8", maxBuffer: 1 << 26 })
    : spawnSync(command, argv, { cwd, encoding: "utf8", maxBuffer: 1 << 26 });
  const s = seconds(t);
  if (r.status !== 0) throw new Error(`${command} ${argv.join(" ")} failed: ${r.stderr}`);
  const kb = /PEAK_KB (\d+)/.exec(r.stderr ?? "")?.[1];
  return { seconds: s, peakMb: kb ? Number(kb) / 1024 : NaN };
}

/** Whole processes on the same PLINK files: `lmm gwas` (Wald, LRT, score) against GEMMA's kinship and -lmm 4. */
function againstGemma(n: number, m: number): void {
  const dir = mkdtempSync(join(tmpdir(), "gwas-point-"));
  try {
    writeCohort(dir, n, m, 42);
    const root = new URL("..", import.meta.url).pathname;
    execFileSync("pnpm", ["exec", "tsc", "-b", "packages/cli"], { cwd: root, stdio: "ignore" });
    const ours = measure(process.execPath, [join(root, "packages/cli/dist/bin.js"), "gwas", "--bfile", "cohort", "--pheno", "pheno.csv", "--pheno-col", "y", "--out", "ours.tsv"], dir);
    const peak = (x: { peakMb: number }) => (Number.isFinite(x.peakMb) ? `peak ${x.peakMb.toFixed(0)} MB` : "peak memory: no GNU time here");
    console.log(`simulated ${n} × ${m}, whole processes on the same .bed/.bim/.fam`);
    console.log(`  lmm gwas (wald, lrt, score)  ${fmt(ours.seconds)}   ${peak(ours)}`);
    try {
      execFileSync("gemma", ["-h"], { stdio: "ignore" });
    } catch {
      console.log("  (gemma not installed here)");
      return;
    }
    const kin = measure("gemma", ["-bfile", "cohort", "-gk", "1", "-o", "kin"], dir);
    const lmm = measure("gemma", ["-bfile", "cohort", "-k", "output/kin.cXX.txt", "-lmm", "4", "-o", "lmm"], dir);
    console.log(`  GEMMA -gk 1 + -lmm 4         ${fmt(kin.seconds + lmm.seconds)}   (${fmt(kin.seconds)} + ${fmt(lmm.seconds)}; ${peak({ peakMb: Math.max(kin.peakMb, lmm.peakMb) })})`);
    console.log(`  ratio ours / GEMMA           ${(ours.seconds / (kin.seconds + lmm.seconds)).toFixed(3)}   target ≤ 0.3`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (!args.includes("--skip-reference")) await reference();
if (!args.includes("--skip-large")) await large();
if (!args.includes("--skip-gemma")) {
  const points = args.flatMap((a, i) => (a === "--point" ? [args[i + 1]] : []));
  for (const p of points.length > 0 ? points : ["2000x20000"]) {
    const [n, m] = p.split("x").map(Number);
    againstGemma(n, m);
  }
}
