// fitEach and variance-decomposition benchmark (not run by CI):
//  1. fitEach of 1,000 features on the TMA design (393 cores; patient, batch, reader crossed random
//     intercepts), serial and in 2 workers, against R looping lmer over the same features;
//  2. varpart of 20,000 features × 500 samples with 4 crossed random intercepts (target ≤ 60 s on
//     2 cores), against variancePartition's approach (an lmer per feature) timed on a sample and
//     extrapolated.
//   node --conditions=source --import tsx bench/arquero.ts [--no-r] [--features N] [--varpart-features N] [--r-sample N] [--skip-tma] [--skip-varpart]
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Rng } from "@lmm/core/numerics";
import { createFitEachPool, fitEach } from "@lmm/arquero";
// bench/package.json lists only @lmm/core and @lmm/arquero: arquero itself and the other packages'
// sources are imported by path.
import { table as aqTable, toCSV, type ColumnTable } from "arquero";
import { decodeTable, simulateTma } from "@lmm/datasets";
import { varpart } from "@lmm/diagnostics";
import { hasLme4, runR } from "./lme4.js";

const seconds = (t0: number) => (performance.now() - t0) / 1000;

/**
 * Seconds R takes to loop lmer over every column of a CSV that is not a factor (lme4's defaults but
 * calc.derivs = FALSE, as variancePartition fits; favourable to R, since fitEach runs no derivative checks either).
 */
function rLoopSeconds(csv: string, factors: string[], template: string): number {
  const list = (xs: string[]) => `c(${xs.map((x) => JSON.stringify(x)).join(",")})`;
  const code = `
suppressMessages({library(lme4); library(jsonlite)})
d <- read.csv(${JSON.stringify(csv)})
for (f in ${list(factors)}) d[[f]] <- factor(d[[f]])
feats <- setdiff(names(d), ${list(factors)})
ctrl <- lmerControl(calc.derivs = FALSE)
t <- system.time(for (f in feats) { m <- lmer(as.formula(sub("{feature}", f, ${JSON.stringify(template)}, fixed = TRUE)), d, control = ctrl); v <- VarCorr(m) })[["elapsed"]]
cat(toJSON(list(seconds = t), auto_unbox = TRUE), "\\n")`;
  return runR<{ seconds: number }>(code).seconds;
}

function writeCsv(table: ColumnTable, name: string): string {
  const path = join(mkdtempSync(join(tmpdir(), "lmm-bench-")), name);
  writeFileSync(path, toCSV(table));
  return path;
}

export async function benchTmaFitEach(options: { withR: boolean; nFeatures: number; rSample: number }): Promise<void> {
  const { nFeatures } = options;
  const sim = simulateTma({ nFeatures });
  const d = decodeTable(sim.table, sim.truth);
  const table = aqTable(d.columns);
  const template = "{feature} ~ grade + (1|patient) + (1|batch) + (1|reader)";
  const features = d.names.filter((n) => n.startsWith("feature_"));
  console.log(`\n# fitEach: ${nFeatures} features on the TMA design (${d.nRows} cores; patient × batch × reader random intercepts)`);
  // Warm timings, as the core bench's: the JIT has compiled the fit in this thread and in the workers.
  await fitEach(table, template, features.slice(0, 200), { levels: d.levels });
  let t = performance.now();
  const serial = await fitEach(table, template, features, { levels: d.levels });
  const tSerial = seconds(t);
  const pool = createFitEachPool(2);
  try {
    await fitEach(table, template, features.slice(0, 400), { levels: d.levels, workers: pool });
    t = performance.now();
    const parallel = await fitEach(table, template, features, { levels: d.levels, workers: pool });
    const tParallel = seconds(t);
    const same = JSON.stringify(parallel.fits.map((f) => Array.from(f.theta))) === JSON.stringify(serial.fits.map((f) => Array.from(f.theta)));
    const evals = serial.fits.reduce((s, f) => s + f.evaluations, 0) / nFeatures;
    console.log(`  serial     ${tSerial.toFixed(2)} s   ${(nFeatures / tSerial).toFixed(0)} features/s   (${evals.toFixed(0)} evaluations per fit)`);
    console.log(`  2 workers  ${tParallel.toFixed(2)} s   ${(nFeatures / tParallel).toFixed(0)} features/s   (identical to serial: ${same})`);
    if (options.withR) {
      const sample = features.slice(0, Math.min(options.rSample, nFeatures));
      const csv = writeCsv(table.select(["patient", "grade", "batch", "reader", ...sample]), "tma.csv");
      const r = rLoopSeconds(csv, ["patient", "grade", "batch", "reader"], template) * (nFeatures / sample.length);
      const note = sample.length < nFeatures ? ` (${sample.length} features timed, scaled to ${nFeatures})` : "";
      console.log(`  R lmer loop ${r.toFixed(1)} s${note}   → serial ${(r / tSerial).toFixed(1)}×, 2 workers ${(r / tParallel).toFixed(1)}× faster`);
    }
  } finally {
    await pool.close();
  }
}

/** n samples with 4 crossed grouping factors and features whose variance fractions vary. */
function simulateVarpartData(nFeatures: number, n: number, seed: number): { table: ColumnTable; features: string[] } {
  const rng = new Rng(seed);
  const factors = { donor: 125, batch: 20, tissue: 8, lab: 4 };
  const codes = Object.fromEntries(Object.entries(factors).map(([name, k]) => [name, Int32Array.from({ length: n }, (_, i) => (name === "donor" ? i % k : rng.int(k)))]));
  const columns = new Map<string, ArrayLike<unknown>>();
  for (const [name, k] of Object.entries(factors)) columns.set(name, Array.from(codes[name], (c) => `${name}${String(c).padStart(String(k).length, "0")}`));
  const features: string[] = [];
  for (let f = 0; f < nFeatures; f++) {
    const y = new Float64Array(n);
    for (const [name, k] of Object.entries(factors)) {
      const sd = Math.sqrt(rng.uniform() * 0.5);
      const effects = Float64Array.from({ length: k }, () => sd * rng.normal());
      const c = codes[name];
      for (let i = 0; i < n; i++) y[i] += effects[c[i]];
    }
    for (let i = 0; i < n; i++) y[i] += 10 + rng.normal();
    const name = `g${f}`;
    columns.set(name, y);
    features.push(name);
  }
  return { table: aqTable(columns), features };
}

export async function benchVarpart(options: { withR: boolean; nFeatures: number; rSample: number }): Promise<void> {
  const { nFeatures } = options;
  const n = 500;
  let t = performance.now();
  const { table, features } = simulateVarpartData(nFeatures, n, 7);
  const template = "{feature} ~ 1 + (1|donor) + (1|batch) + (1|tissue) + (1|lab)";
  console.log(`\n# varpart: ${nFeatures} features × ${n} samples, 4 crossed random intercepts (donor 125, batch 20, tissue 8, lab 4 levels); data simulated in ${seconds(t).toFixed(1)} s`);
  const pool = createFitEachPool(2);
  try {
    await varpart(table, template, features.slice(0, 400), { workers: pool }); // warm the workers' JIT
    t = performance.now();
    const r = await varpart(table, template, features, { workers: pool });
    const tOurs = seconds(t);
    const failed = r.features.filter((f) => f.error).length;
    console.log(`  2 workers  ${tOurs.toFixed(1)} s   ${(nFeatures / tOurs).toFixed(0)} features/s   (target ≤ 60 s; ${failed} failed, ${r.summary.array("singular").filter(Boolean).length} singular)`);
    if (options.withR) {
      const sample = features.slice(0, Math.min(options.rSample, nFeatures));
      const csv = writeCsv(table.select(["donor", "batch", "tissue", "lab", ...sample]), "varpart.csv");
      const rSeconds = rLoopSeconds(csv, ["donor", "batch", "tissue", "lab"], template) * (nFeatures / sample.length);
      console.log(`  R lmer per feature (variancePartition's approach, 1 core) ≈ ${rSeconds.toFixed(0)} s (${sample.length} features timed, scaled to ${nFeatures}) → ${(rSeconds / tOurs).toFixed(1)}× faster`);
    }
  } finally {
    await pool.close();
  }
}

export async function benchArquero(options: { only?: string; withR: boolean; args?: string[] }): Promise<void> {
  if (options.only && !["arquero", "fitEach", "varpart"].includes(options.only)) return;
  const args = options.args ?? [];
  const num = (flag: string, fallback: number) => (args.includes(flag) ? Number(args[args.indexOf(flag) + 1]) : fallback);
  const withR = options.withR && hasLme4();
  if (!args.includes("--skip-tma") && options.only !== "varpart") await benchTmaFitEach({ withR, nFeatures: num("--features", 1000), rSample: num("--r-sample", 1000) });
  if (!args.includes("--skip-varpart") && options.only !== "fitEach") await benchVarpart({ withR, nFeatures: num("--varpart-features", 20000), rSample: num("--r-sample", 200) });
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const args = process.argv.slice(2);
  await benchArquero({ withR: !args.includes("--no-r"), args });
}
