// The packages as users get them. Built with tsc -b, they work from plain Node in the workspace and through
// `pnpm lmm`; packed with `pnpm pack` and installed by npm (its default resolution, the npm registry only)
// into an empty project, every entry point imports from plain Node ESM, the `lmm` bin runs, every README's
// example runs, and a page importing @lmm/core, @lmm/plot and @lmm/report, bundled by Vite, runs in Chromium.
// One file, so the build happens once and before everything that needs it.
import { afterAll, describe, expect, it } from "vitest";
import { spawnSync, type SpawnSyncOptions } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { serve } from "../../notebooks/scripts/serve.js";
import { launchChromium } from "../browser/chromium.js";
import { loadCase, loadDataset, relClose } from "../support/reference.js";
import { readmeExample } from "./readmeExample.js";

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, "..", "..");
const names = readdirSync(join(root, "packages")).filter((p) => existsSync(join(root, "packages", p, "package.json"))).sort();
const manifest = (name: string) => JSON.parse(readFileSync(join(root, "packages", name, "package.json"), "utf8"));
/** Every entry point: `@lmm/x` and its subpaths (`@lmm/genetics/node`). */
const entries = names.flatMap((p) => Object.keys(manifest(p).exports).map((k) => manifest(p).name + k.slice(1)));

const work = mkdtempSync(join(tmpdir(), "lmm-packed-"));
const tarballs = join(work, "tarballs");
const app = join(work, "app");
afterAll(() => rmSync(work, { recursive: true, force: true }));

// The environment of this test process (vitest's variables and loader flags) must not leak into children;
// the rest (PATH, HOME with npm's cache, certificates) is what a user's shell has.
const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith("VITEST") && k !== "NODE_OPTIONS" && k !== "NODE_ENV"));

function run(command: string, args: string[], options: SpawnSyncOptions = {}) {
  const r = spawnSync(command, args, { encoding: "utf8", env, maxBuffer: 64 * 1024 * 1024, ...options });
  return { status: r.status, stdout: String(r.stdout ?? ""), stderr: String(r.stderr ?? "") + (r.error ? String(r.error) : "") };
}

const sleepstudy = loadDataset("sleepstudy");
const sleepstudyFit = ["fit", "--data", sleepstudy.csvPath, "--columns", sleepstudy.columnsPath, "--formula", "Reaction ~ Days + (Days | Subject)", "--json"];
const sleepstudyObjective: number = loadCase("sleepstudy__slope_corr__REML").criterion.objective;

describe("packages from plain Node", () => {
  it("build with tsc -b to ESM with declarations", () => {
    const build = run("pnpm", ["exec", "tsc", "-b"], { cwd: root });
    expect(build.status, build.stdout + build.stderr).toBe(0);
    for (const p of names) {
      expect(existsSync(join(root, "packages", p, "dist", "index.js")), p).toBe(true);
      expect(existsSync(join(root, "packages", p, "dist", "index.d.ts")), p).toBe(true);
    }
  }, 240_000);

  it("import, fit, tidy and a worker job run from the built output", () => {
    // Without --conditions=source the "default" export (dist) is used.
    const r = run(process.execPath, [join(here, "plain-node.mjs")], { cwd: root });
    expect(r.status, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout.trim().split("\n").pop()!);
    expect(Number.isFinite(out.objective)).toBe(true);
    expect(out.tidyRows).toBe(3);
    expect(out.features).toBe(3);
    expect(out.exports).toEqual(["function", "function", "function", "function", "function", "function"]);
  }, 120_000);

  it("pnpm lmm runs the compiled CLI from the repository root", () => {
    const help = run("pnpm", ["lmm", "--help"], { cwd: root });
    expect(help.status, help.stderr).toBe(0);
    expect(help.stdout).toContain("usage: lmm <command> [flags]");
    const fit = run("pnpm", ["lmm", ...sleepstudyFit], { cwd: root });
    expect(fit.status, fit.stderr).toBe(0);
    expect(relClose(JSON.parse(fit.stdout).objective, sleepstudyObjective, 1e-6)).toBe(true);
  }, 120_000);
});

describe("packed packages installed by npm outside the workspace", () => {
  it("pnpm pack: built files, types, README, a bin for the CLI; no workspace links, no source condition", () => {
    mkdirSync(tarballs, { recursive: true });
    for (const p of names) {
      const r = run("pnpm", ["pack", "--pack-destination", tarballs], { cwd: join(root, "packages", p) });
      expect(r.status, `${p}: ${r.stderr}`).toBe(0);
    }
    const files = readdirSync(tarballs).filter((f) => f.endsWith(".tgz"));
    expect(files).toHaveLength(names.length);
    for (const file of files) {
      const listing = run("tar", ["tzf", join(tarballs, file)]).stdout.split("\n");
      for (const needed of ["package/package.json", "package/README.md", "package/dist/index.js", "package/dist/index.d.ts"]) expect(listing, `${file}: ${needed}`).toContain(needed);
      expect(listing.filter((f) => /tsbuildinfo|\/test\//.test(f)), file).toEqual([]);
      const packed = JSON.parse(run("tar", ["xzf", join(tarballs, file), "-O", "package/package.json"]).stdout);
      expect(JSON.stringify(packed.exports), file).not.toContain("source");
      for (const [entry, target] of Object.entries(packed.exports as Record<string, { types: string; default: string }>)) {
        expect(Object.keys(target), `${file} ${entry}`).toEqual(["types", "default"]);
        expect(listing, `${file} ${entry}`).toContain(`package/${target.default.slice(2)}`);
        expect(listing, `${file} ${entry}`).toContain(`package/${target.types.slice(2)}`);
      }
      expect(JSON.stringify(packed.dependencies ?? {}), file).not.toContain("workspace:");
      for (const bin of Object.values((packed.bin ?? {}) as Record<string, string>)) {
        expect(listing, `${file} bin ${bin}`).toContain(`package/${bin.slice(2)}`);
        const head = run("tar", ["xzf", join(tarballs, file), "-O", `package/${bin.slice(2)}`]).stdout.split("\n")[0];
        expect(head, `${file} bin ${bin}`).toBe("#!/usr/bin/env node");
      }
    }
    expect(manifest("cli").bin).toEqual({ lmm: "./dist/bin.js" });
  }, 240_000);

  it("npm installs them into an empty project with its default resolution, nothing missing or invalid", () => {
    mkdirSync(app, { recursive: true });
    writeFileSync(join(app, "package.json"), JSON.stringify({ name: "lmm-packed-app", private: true, type: "module" }, null, 2));
    const tgz = readdirSync(tarballs).map((f) => join(tarballs, f));
    // jsdom: the DOM the plot and report READMEs use in Node. npm's cache first: no download of what it holds.
    const install = run("npm", ["install", "--prefer-offline", "--no-audit", "--no-fund", "--loglevel=error", ...tgz, "jsdom@29.1.1"], { cwd: app, timeout: 600_000 });
    expect(install.status, install.stdout + install.stderr).toBe(0);
    const ls = run("npm", ["ls", "--all", "--json"], { cwd: app });
    expect(ls.status, ls.stderr).toBe(0);
    expect(JSON.parse(ls.stdout).problems ?? []).toEqual([]);
  }, 600_000);

  it("every entry point imports from plain Node ESM, from the project's node_modules, with the workspace build's exports", () => {
    copyFileSync(join(here, "import-all.mjs"), join(app, "import-all.mjs"));
    const installed = run(process.execPath, ["import-all.mjs", JSON.stringify(entries)], { cwd: app });
    expect(installed.status, installed.stderr).toBe(0);
    const workspace = run(process.execPath, [join(here, "import-all.mjs"), JSON.stringify(entries)], { cwd: root });
    expect(workspace.status, workspace.stderr).toBe(0);
    const ours = JSON.parse(installed.stdout), theirs = JSON.parse(workspace.stdout);
    for (const entry of entries) {
      expect(ours[entry].path.startsWith(join(app, "node_modules") + "/"), `${entry}: ${ours[entry].path}`).toBe(true);
      expect(ours[entry].names.length, entry).toBeGreaterThan(0);
      expect(ours[entry].names, entry).toEqual(theirs[entry].names);
    }
  }, 120_000);

  it("the lmm bin runs: --version, --help, a fit (bad input: exit code 2, one line)", () => {
    const lmm = join(app, "node_modules", ".bin", "lmm");
    const version = run(lmm, ["--version"], { cwd: app });
    expect(version.stdout).toBe(`lmm ${manifest("cli").version}\n`);
    expect(run(lmm, ["--help"], { cwd: app }).stdout).toContain("usage: lmm <command> [flags]");
    const fit = run(lmm, sleepstudyFit, { cwd: app });
    expect(fit.status, fit.stderr).toBe(0);
    expect(relClose(JSON.parse(fit.stdout).objective, sleepstudyObjective, 1e-6)).toBe(true);
    const bad = run(lmm, ["fit", "--data", "missing.csv", "--formula", "y ~ 1 + (1 | g)"], { cwd: app });
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/^lmm fit: .*missing\.csv.*\n$/);
  }, 120_000);

  for (const p of names) {
    it(`${p}: the README says what it does, how to install it, its main exports and API docs; its example runs`, () => {
      const readme = readFileSync(join(root, "packages", p, "README.md"), "utf8");
      expect(readme).toMatch(new RegExp(`^# ${manifest(p).name.replace("/", "\\/")}\\b`));
      expect(readme).toContain(`npm install ${manifest(p).name}`);
      for (const section of ["## Install", "## Example", "## Main exports", "## API documentation"]) expect(readme, section).toMatch(new RegExp(`^${section}\\b`, "m"));
      const example = readmeExample(readme);
      expect(example, "an ## Example section with a fenced block").not.toBeNull();
      let r;
      if (example!.language === "js") {
        writeFileSync(join(app, `readme-${p}.mjs`), example!.code);
        r = run(process.execPath, [`readme-${p}.mjs`], { cwd: app });
      } else {
        expect(example!.language).toBe("sh");
        // Installing was done above; `npx lmm` runs the project's own bin.
        const commands = example!.code.split("\n").filter((l) => l.trim() !== "" && !l.startsWith("#") && !l.startsWith("npm install"));
        r = run("sh", ["-ec", commands.join("\n").replace(/\bnpx lmm\b/g, "lmm")], { cwd: app, env: { ...env, PATH: `${join(app, "node_modules", ".bin")}:${env.PATH}` } });
      }
      expect(r.status, `${p} README example:\n${r.stdout}\n${r.stderr}`).toBe(0);
      expect(r.stdout.trim(), `${p} README example prints what it shows`).not.toBe("");
    }, 120_000);
  }

  it("a page importing @lmm/core, @lmm/plot and @lmm/report, bundled by Vite, runs in Chromium as in Node", async () => {
    for (const f of ["index.html", "main.js", "data.js"]) copyFileSync(join(here, "page", f), join(app, f));
    copyFileSync(join(here, "node-reference.mjs"), join(app, "node-reference.mjs"));
    const bundle = run(process.execPath, [join(here, "bundle-page.mjs"), app], { cwd: root });
    expect(bundle.status, bundle.stdout + bundle.stderr).toBe(0);
    const reference = run(process.execPath, ["node-reference.mjs"], { cwd: app });
    expect(reference.status, reference.stderr).toBe(0);
    const inNode = JSON.parse(reference.stdout);

    const { server, url } = await serve(join(app, "dist"));
    const browser = await launchChromium();
    try {
      const page = await browser.newPage();
      const problems: string[] = [];
      page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
      page.on("console", (m) => void (m.type() === "error" && problems.push(`console error: ${m.text()}`)));
      page.on("requestfailed", (r) => problems.push(`request failed: ${r.url()}`));
      await page.goto(url);
      await page.waitForFunction(() => (window as unknown as { lmmPage?: unknown }).lmmPage !== undefined, undefined, { timeout: 60_000 });
      const inPage = await page.evaluate(() => (window as unknown as { lmmPage: Record<string, unknown> }).lmmPage);
      expect(inPage.error, String(inPage.error)).toBeUndefined();
      expect(problems).toEqual([]);
      expect(relClose(inPage.objective as number, inNode.objective, 1e-10)).toBe(true);
      expect(inPage.fixef).toEqual(inNode.fixef);
      expect(inPage.svgs as number).toBeGreaterThan(0);
      expect(inPage.reportTables as number).toBeGreaterThan(0);
      expect(inPage.bootstrapFailures).toBe(0);
      // Same simulated responses, but two JavaScript engines (Node 20's V8, Chromium's) whose rounding may
      // differ in the last bits; each refit stops where the optimiser's tolerance lets it, so refits agree to
      // that tolerance (about 1e-8 seen), not to the bit.
      (inPage.bootstrapSigma as number[]).forEach((s, k) => expect(relClose(s, inNode.bootstrapSigma[k], 1e-6), `refit ${k}`).toBe(true));
    } finally {
      await browser.close();
      await new Promise((ok) => server.close(ok));
    }
  }, 300_000);
});
