// Progress of long work: the stderr line (terminal and log forms), when main shows it (a terminal,
// --progress, never --quiet), and that every long command reports through the injected sink while
// stdout stays the result alone.
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { main, type ProgressUpdate } from "../src/index.js";
import { progressLine } from "../src/progress/progressLine.js";
import { loadDataset } from "../../../test/support/reference.js";

const sleepstudy = loadDataset("sleepstudy");
const fitArgs = ["fit", "--data", sleepstudy.csvPath, "--formula", "Reaction ~ Days + (Days | Subject)"];
const datasets = (name: string) => new URL(`../../datasets/data/${name}`, import.meta.url).pathname;
const cohort = (name: string) => new URL(`../../genetics/data/${name}`, import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), "lmm-progress-"));

async function run(argv: string[], options: { terminal?: boolean; sink?: (u: ProgressUpdate) => void } = {}) {
  let stdout = "", stderr = "";
  const io = { stdout: (t: string) => void (stdout += t), stderr: (t: string) => void (stderr += t), ...(options.sink ? { progress: options.sink } : {}) };
  const code = await main(argv, io, { terminal: options.terminal });
  return { code, stdout, stderr };
}

/** A clock the test moves by hand. */
function clock() {
  let t = 0;
  return { now: () => t, advance: (ms: number) => void (t += ms) };
}

describe("progress line", () => {
  it("in a terminal: one line rewritten in place, thinned to 10 a second, closed at the end", () => {
    const c = clock();
    let out = "";
    const line = progressLine("fit", (t) => (out += t), { terminal: true, now: c.now });
    line.sink({ task: "bootstrap refits", done: 0, total: 100 });
    for (let done = 1; done < 100; done++) {
      c.advance(10);
      line.sink({ task: "bootstrap refits", done, total: 100 });
    }
    c.advance(10);
    line.sink({ task: "bootstrap refits", done: 100, total: 100 });
    const frames = out.split("\r\x1b[K").slice(1);
    // 0, then every 100 ms (each 10th of 99 updates 10 ms apart), then the last.
    expect(frames.length).toBe(1 + 9 + 1);
    expect(frames[0]).toBe("lmm fit: bootstrap refits 0/100 (0%)");
    expect(frames.at(-1)).toBe("lmm fit: bootstrap refits 100/100 (100%)\n");
    expect(frames.slice(0, -1).every((f) => !f.includes("\n"))).toBe(true);
    line.end();
    expect(out.endsWith("(100%)\n")).toBe(true);
  });

  it("to a file or pipe: whole lines, at most one a second, first and last always; a guess of the time left", () => {
    const c = clock();
    let out = "";
    const line = progressLine("gwas", (t) => (out += t), { terminal: false, now: c.now });
    for (let done = 0; done <= 50; done++) {
      line.sink({ task: "SNPs tested", done, total: 50 });
      c.advance(100);
    }
    const lines = out.split("\n").filter(Boolean);
    expect(lines[0]).toBe("lmm gwas: SNPs tested 0/50 (0%)");
    expect(lines.at(-1)).toBe("lmm gwas: SNPs tested 50/50 (100%)");
    expect(lines).toContain("lmm gwas: SNPs tested 20/50 (40%, about 3.0 s left)");
    expect(lines.length).toBe(1 + 4 + 1);
    expect(out.includes("\r")).toBe(false);
  });

  it("a new task closes the previous line and starts its own", () => {
    let out = "";
    const c = clock();
    const line = progressLine("combat", (t) => (out += t), { terminal: true, now: c.now });
    line.sink({ task: "reading the data", done: 0, total: 3 });
    line.sink({ task: "harmonising", done: 1, total: 3 });
    line.end();
    expect(out).toBe("\r\x1b[Klmm combat: reading the data 0/3 (0%)\n\r\x1b[Klmm combat: harmonising 1/3 (33%)\n");
  });
});

describe("when main shows progress", () => {
  const boot = [...fitArgs, "--confint", "boot", "--nsim", "20", "--json"];

  it("with --progress: on stderr, stdout stays the JSON alone", async () => {
    const r = await run([...boot, "--progress"]);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).confint).toHaveLength(6);
    expect(r.stderr).toMatch(/^lmm fit: bootstrap refits \d+\/20 \(\d+%\)\n/);
    expect(r.stderr.trim().split("\n").at(-1)).toBe("lmm fit: bootstrap refits 20/20 (100%)");
  });

  it("in a terminal without flags: shown in place; --quiet (or -q) silences it", async () => {
    const shown = await run(boot, { terminal: true });
    expect(shown.stderr).toContain("\r\x1b[Klmm fit: bootstrap refits 20/20 (100%)\n");
    for (const quiet of ["--quiet", "-q"]) {
      const r = await run([...boot, quiet], { terminal: true });
      expect(r.code).toBe(0);
      expect(r.stderr).toBe("");
      expect(r.stdout).toBe(shown.stdout);
    }
  });

  it("not a terminal and no --progress: nothing", async () => {
    const r = await run(boot);
    expect(r.stderr).toBe("");
  });

  it("a sink given in CommandIo receives the updates unless --quiet", async () => {
    const updates: ProgressUpdate[] = [];
    await run(boot, { sink: (u) => updates.push(u) });
    expect(updates.length).toBeGreaterThan(0);
    const quiet: ProgressUpdate[] = [];
    await run([...boot, "--quiet"], { sink: (u) => quiet.push(u) });
    expect(quiet).toEqual([]);
  });
});

describe("every long command reports progress", () => {
  const cases: [string, string[]][] = [
    ["fit --confint boot", [...fitArgs, "--confint", "boot", "--nsim", "10"]],
    ["fit --confint profile", [...fitArgs, "--confint", "profile"]],
    ["varpart", ["varpart", "--data", datasets("tma.csv"), "--columns", datasets("tma.columns.json"), "--formula", "{feature} ~ 1 + (1|patient) + (1|batch)", "--features", "feature_01,feature_02,feature_03"]],
    ["influence", ["influence", "--data", datasets("clinics.csv"), "--columns", datasets("clinics.columns.json"), "--formula", "y ~ time + (1 | clinic)", "--groups", "clinic"]],
    ["loso", ["loso", "--data", datasets("clinics.csv"), "--columns", datasets("clinics.columns.json"), "--formula", "y ~ time + (1 | clinic)", "--group", "clinic"]],
    ["combat", ["combat", "--data", datasets("tma.csv"), "--batch", "batch", "--features", "feature_0*", "--out", join(dir, "combat.csv")]],
    ["grm", ["grm", "--bfile", cohort("cohort"), "--out", join(dir, "K.txt")]],
    ["gwas", ["gwas", "--bfile", cohort("cohort"), "--pheno", cohort("cohort.pheno.csv"), "--pheno-col", "y", "--approx", "--out", join(dir, "gwas.tsv")]],
  ];
  for (const [what, argv] of cases) {
    it(`${what}: counts up to its total; nothing of it on stdout or in the output file`, async () => {
      const updates: ProgressUpdate[] = [];
      const out = argv.includes("--out") ? argv[argv.indexOf("--out") + 1] : null;
      const quiet = await run(argv);
      const quietFile = out && readFileSync(out, "utf8");
      const r = await run(argv, { sink: (u) => updates.push(u) });
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toBe(quiet.stdout);
      if (out) expect(readFileSync(out, "utf8")).toBe(quietFile);
      expect(updates.length).toBeGreaterThan(0);
      const byTask = new Map<string, ProgressUpdate[]>();
      for (const u of updates) byTask.set(u.task, [...(byTask.get(u.task) ?? []), u]);
      for (const [task, list] of byTask) {
        for (const u of list) expect(u.done >= 0 && u.done <= u.total, task).toBe(true);
        for (let i = 1; i < list.length; i++) expect(list[i].done, task).toBeGreaterThanOrEqual(list[i - 1].done);
      }
      const last = updates.at(-1)!;
      expect(last.done).toBe(last.total);
    });
  }

  it("gwas without --kinship reports the kinship's SNPs to their total, then the tested SNPs", async () => {
    const updates: ProgressUpdate[] = [];
    const r = await run(cases.find(([what]) => what === "gwas")![1], { sink: (u) => updates.push(u) });
    expect(r.code, r.stderr).toBe(0);
    const tasks = [...new Set(updates.map((u) => u.task))];
    expect(tasks).toEqual(["SNPs read for the kinship", "SNPs tested"]);
    const kinship = updates.filter((u) => u.task === tasks[0]);
    expect(kinship.at(-1)!.done).toBe(kinship.at(-1)!.total);
  });
});
