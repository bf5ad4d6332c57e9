// Large data through DuckDB (not run by CI): cell-level Parquet files of 1 M, 10 M and 100 M rows made by DuckDB
// itself, y ~ x + (1 | patient) + (1 | batch) + (1 | reader). For each: DuckDB's own GROUP BY scan of the file
// (the floor: reading the columns once and grouping), the whole CLI fit (`lmm fit --data FILE.parquet --json`,
// a fresh process: wall time and peak memory), and lme4 where it can (1 M rows: estimates compared).
// lme4 runs up to --lme4-max-rows (default 1 M: at 10 M it took about an hour and 6.4 GB here).
//   node --conditions=source --import tsx bench/sql.ts [--rows 1e6,1e7,1e8] [--no-r] [--keep DIR] [--lme4-max-rows 1e7]
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, rmSync, statSync } from "node:fs";
import { availableParallelism, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { duckdbEngine } from "@lmm/sql/duckdb";
import { hasLme4 } from "./lme4.js";

const FORMULA = "y ~ x + (1 | patient) + (1 | batch) + (1 | reader)";
const seconds = (t0: number) => (performance.now() - t0) / 1000;

/**
 * Writes n cells (rows) of a TMA-like design: patients (n / 1000, at most 20,000) with two cores each; a
 * patient's slide is stained in one of 40 batches, each core read by one of 12 readers; effects drawn once per
 * level. Cells of a core share its patient, batch and reader, so the grouped sums have one row per core.
 */
async function writeParquet(path: string, n: number): Promise<void> {
  const engine = await duckdbEngine();
  try {
    const patients = Math.min(20_000, Math.max(50, Math.round(n / 1000)));
    await engine.run("SELECT setseed(0.19)");
    await engine.run(`CREATE TABLE pe AS SELECT range AS patient, (random() + random() + random() - 1.5) * 2.0 AS e FROM range(${patients})`);
    await engine.run(`CREATE TABLE be AS SELECT range AS batch, (random() + random() + random() - 1.5) * 1.2 AS e FROM range(40)`);
    await engine.run(`CREATE TABLE re AS SELECT range AS reader, (random() + random() + random() - 1.5) * 0.6 AS e FROM range(12)`);
    await engine.run(
      `COPY (SELECT 'P' || lpad(CAST(r.patient AS VARCHAR), 5, '0') AS patient, r.batch, r.reader, r.x,
              10 + 0.5 * r.x + pe.e + be.e + re.e + (random() + random() + random() + random() - 2.0) AS y
            FROM (SELECT patient, hash(patient) % 40 AS batch, hash(patient * 2 + core) % 12 AS reader, x
                  FROM (SELECT hash(i) % ${patients} AS patient, hash(i + 1) % 2 AS core, (hash(i + 3) % 10000) / 1000.0 AS x FROM range(${n}) t(i))) r
            JOIN pe USING (patient) JOIN be USING (batch) JOIN re USING (reader))
       TO '${path}' (FORMAT parquet, ROW_GROUP_SIZE 1000000)`,
    );
  } finally {
    engine.close();
  }
}

/** DuckDB's GROUP BY scan of the file: the columns read once, grouped by the three factors (best of 2). */
async function scanFloor(path: string): Promise<number> {
  const engine = await duckdbEngine();
  try {
    let best = Infinity;
    for (let rep = 0; rep < 2; rep++) {
      const t = performance.now();
      await engine.query(`SELECT patient, batch, reader, COUNT(*), SUM(x), SUM(y) FROM read_parquet('${path}') GROUP BY patient, batch, reader`);
      best = Math.min(best, seconds(t));
    }
    return best;
  } finally {
    engine.close();
  }
}

/** The CLI end to end in a fresh process: wall seconds, peak resident memory (MB) and its JSON. */
function cliFit(path: string, extra: string[] = []): { seconds: number; peakMb: number; json: Record<string, unknown> } {
  const bin = join(import.meta.dirname, "..", "packages", "cli", "dist", "bin.js");
  const r = spawnSync("/usr/bin/time", ["-f", "%e %M", process.execPath, bin, "fit", "--data", path, "--formula", FORMULA, "--json", ...extra], { encoding: "utf8", maxBuffer: 64 << 20 });
  if (r.status !== 0) throw new Error(`lmm fit failed: ${r.stderr}`);
  const [wall, kb] = r.stderr.trim().split("\n").pop()!.split(" ").map(Number);
  return { seconds: wall, peakMb: kb / 1024, json: JSON.parse(r.stdout) };
}

/** lme4 on the same rows (from a CSV DuckDB writes): seconds of lmer, R's peak memory, and its estimates. */
async function lme4Fit(path: string, dir: string): Promise<{ seconds: number; peakMb: number; objective: number; fixef: number[] }> {
  const csv = join(dir, "lme4.csv");
  const engine = await duckdbEngine();
  try {
    await engine.run(`COPY (SELECT * FROM read_parquet('${path}')) TO '${csv}' (HEADER, DELIMITER ',')`);
  } finally {
    engine.close();
  }
  const code = `
suppressMessages({library(lme4); library(jsonlite)})
d <- read.csv(${JSON.stringify(csv)}, colClasses = c("character", "character", "character", "numeric", "numeric"))
t <- system.time(m <- lmer(${FORMULA}, d))[["elapsed"]]
cat(toJSON(list(seconds = t, objective = unname(REMLcrit(m)), fixef = unname(fixef(m))), auto_unbox = TRUE, digits = NA), "\\n")`;
  const r = spawnSync("/usr/bin/time", ["-f", "%M", "Rscript", "-e", code], { encoding: "utf8", maxBuffer: 64 << 20 });
  rmSync(csv, { force: true });
  if (r.status !== 0) throw new Error(`Rscript failed: ${r.stderr}`);
  const kb = Number(r.stderr.trim().split("\n").pop());
  return { ...JSON.parse(r.stdout.trim().split("\n").pop()!), peakMb: kb / 1024 };
}

/** A CSV of about 200 MB (7.25 M rows of the same design) fitted through DuckDB under the strict CSV rules. */
async function csvPoint(dir: string): Promise<void> {
  const csv = join(dir, "cells-7.25e6.csv");
  if (!existsSync(csv)) {
    const parquet = join(dir, "cells-csv-source.parquet");
    await writeParquet(parquet, 7.25e6);
    const engine = await duckdbEngine();
    try {
      await engine.run(`COPY (SELECT patient, batch, reader, x, round(y, 6) AS y FROM read_parquet('${parquet}')) TO '${csv}' (HEADER, DELIMITER ',')`);
    } finally {
      engine.close();
    }
  }
  const fit = cliFit(csv, ["--engine", "duckdb"]);
  console.log(`  CSV ${(statSync(csv).size / 1e6).toFixed(0)} MB (7.25 M rows), lmm fit --engine duckdb: ${fit.seconds.toFixed(2)} s, peak ${fit.peakMb.toFixed(0)} MB (strict typing pass included)`);
}

export async function benchSql(options: { rows: number[]; withR: boolean; keep?: string; csv?: boolean; lme4MaxRows?: number }): Promise<void> {
  const dir = options.keep ?? mkdtempSync(join(tmpdir(), "lmm-bench-sql-"));
  mkdirSync(dir, { recursive: true });
  const bin = join(import.meta.dirname, "..", "packages", "cli", "dist", "bin.js");
  if (!existsSync(bin)) spawnSync("pnpm", ["exec", "tsc", "-b", "packages/cli"], { stdio: "inherit" });
  console.log(`\n# Parquet through DuckDB: ${FORMULA} (machine shared with other work: timings are indicative)`);
  try {
    for (const n of options.rows) {
      const path = join(dir, `cells-${n}.parquet`);
      let t = performance.now();
      if (!existsSync(path)) await writeParquet(path, n);
      const made = seconds(t);
      const floor = await scanFloor(path);
      const fit = cliFit(path);
      const mb = statSync(path).size / 2 ** 20;
      console.log(`  ${n.toExponential(0)} rows (${mb.toFixed(0)} MB Parquet, written in ${made.toFixed(1)} s): DuckDB GROUP BY scan ${floor.toFixed(2)} s; lmm fit ${fit.seconds.toFixed(2)} s (${(fit.seconds / floor).toFixed(1)}× the scan), peak ${fit.peakMb.toFixed(0)} MB; ${fit.json.evaluations} evaluations`);
      if (options.withR && n <= (options.lme4MaxRows ?? 1e6)) {
        t = performance.now();
        const r = await lme4Fit(path, dir);
        const fixef = Object.values(fit.json.fixef as Record<string, { estimate: number }>).map((f) => f.estimate);
        const objectiveRel = Math.abs((fit.json.objective as number) - r.objective) / Math.abs(r.objective);
        const fixefRel = Math.max(...fixef.map((b, j) => Math.abs(b - r.fixef[j]) / Math.abs(r.fixef[j])));
        console.log(`    lme4 lmer ${r.seconds.toFixed(1)} s (CSV read not counted; ${(r.seconds / fit.seconds).toFixed(1)}× our whole CLI fit), peak ${r.peakMb.toFixed(0)} MB; REML criterion ours − lme4's: ${((fit.json.objective as number) - r.objective).toExponential(2)} (${objectiveRel.toExponential(1)} relative), fixed effects ${fixefRel.toExponential(1)} relative`);
      } else if (options.withR) console.log(`    lme4: not run at this size (above --lme4-max-rows ${options.lme4MaxRows ?? 1e6}: measured here at 10 M rows, lmer took about an hour and 6.4 GB; at 100 M its model matrices would need about ten times that memory, more than this 24 GB machine has)`);
    }
    if (options.csv ?? true) await csvPoint(dir);
  } finally {
    if (!options.keep) rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Many features from one grouped pass: a long table (gene, sample, value, donor, batch, day) of `features` genes
 * × `samples` samples made by DuckDB, `value ~ (1 | donor) + (1 | batch) + (1 | day)` per gene. Prints the grouped
 * query, then the fits in this thread and in 2 workers (the query runs again each time; its time is subtracted).
 */
export async function benchSqlEach(options: { features?: number; samples?: number } = {}): Promise<void> {
  const { createFitSqlPool, fitSqlEach } = await import("@lmm/sql");
  const features = options.features ?? 2000, samples = options.samples ?? 400;
  const formula = "value ~ (1 | donor) + (1 | batch) + (1 | day)";
  const engine = await duckdbEngine();
  try {
    await engine.run("SELECT setseed(0.2)");
    await engine.run(`CREATE TABLE design AS SELECT range AS sample, 'D' || (hash(range) % 30) AS donor, 'B' || (hash(range + 7) % 8) AS batch, 'T' || (hash(range + 13) % 5) AS day FROM range(${samples})`);
    await engine.run(`CREATE TABLE expression AS SELECT 'g' || g.range AS gene, d.sample, d.donor, d.batch, d.day,
        (hash(g.range, d.donor) % 1000) / 400.0 + (hash(g.range, d.batch) % 1000) / 700.0 + (hash(g.range, d.day) % 1000) / 900.0 + (random() + random() + random() - 1.5) AS value
      FROM range(${features}) g CROSS JOIN design d`);
    const cells = await engine.query("SELECT COUNT(*) FROM (SELECT DISTINCT donor, batch, day FROM design)");
    let t = performance.now();
    await engine.query("SELECT gene, donor, batch, day, COUNT(*), SUM(value), SUM(value * value) FROM expression GROUP BY gene, donor, batch, day");
    const query = seconds(t);
    console.log(`\n# fitSqlEach: ${features} features × ${samples} samples (${Number(cells.columns[0][0])} cells each), ${formula}`);
    console.log(`  grouped query alone ${query.toFixed(2)} s`);
    const times: Record<string, number> = {};
    // CPU of the whole process (every thread: DuckDB's, the workers'): what the fits cost wherever they run.
    const cpu = (c: NodeJS.CpuUsage) => (c.user + c.system) / 1e6;
    for (const workers of [0, 2, 0, 2]) {
      t = performance.now();
      const c0 = process.cpuUsage();
      const fits = await fitSqlEach(engine, { table: "expression" }, formula, { by: "gene", workers });
      const total = seconds(t);
      const failed = fits.filter((f) => !f.fit).length;
      times[workers] = Math.min(times[workers] ?? Infinity, total);
      console.log(`  workers ${workers}: ${total.toFixed(2)} s in all, process CPU ${cpu(process.cpuUsage(c0)).toFixed(2)} s (${failed} failed)`);
    }
    // A pool kept over calls (started and warmed once, as a notebook or server would keep it).
    const pool = createFitSqlPool(2);
    try {
      await fitSqlEach(engine, { query: "SELECT * FROM expression WHERE gene IN ('g0', 'g1', 'g2', 'g3')" }, formula, { by: "gene", workers: pool });
      for (let rep = 0; rep < 2; rep++) {
        t = performance.now();
        const c0 = process.cpuUsage();
        await fitSqlEach(engine, { table: "expression" }, formula, { by: "gene", workers: pool });
        times.pool = Math.min(times.pool ?? Infinity, seconds(t));
        console.log(`  a started pool of 2: ${seconds(t).toFixed(2)} s in all, process CPU ${cpu(process.cpuUsage(c0)).toFixed(2)} s`);
      }
    } finally {
      await pool.close();
    }
    console.log(`  (load average ${loadavg()[0].toFixed(1)} on ${availableParallelism()} cores: wall times depend on the cores free)`);
    console.log(`  best: in this thread ${times[0].toFixed(2)} s, 2 workers started for the call ${times[2].toFixed(2)} s, a started pool of 2 ${times.pool.toFixed(2)} s`);
    console.log(`  fits alone (query subtracted): ${(times[0] - query).toFixed(2)} s here, ${(times.pool - query).toFixed(2)} s in 2 workers (${((times[0] - query) / (times.pool - query)).toFixed(2)}×)`);
  } finally {
    engine.close();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const args = process.argv.slice(2);
  const at = args.indexOf("--rows");
  const rows = at >= 0 ? args[at + 1].split(",").map(Number) : [1e6, 1e7, 1e8];
  const keep = args.includes("--keep") ? args[args.indexOf("--keep") + 1] : undefined;
  const lme4MaxRows = args.includes("--lme4-max-rows") ? Number(args[args.indexOf("--lme4-max-rows") + 1]) : undefined;
  await benchSql({ rows, withR: !args.includes("--no-r") && hasLme4(), keep, csv: !args.includes("--no-csv"), lme4MaxRows });
}
