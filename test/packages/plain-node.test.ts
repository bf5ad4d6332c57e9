// Every package builds to ESM with types and works from plain Node (built output, no loader).
import { describe, expect, it } from "vitest";
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");

describe("packages from plain Node", () => {
  it("build with tsc -b to ESM with declarations", () => {
    const build = spawnSync("pnpm", ["exec", "tsc", "-b"], { cwd: root, encoding: "utf8" });
    expect(build.status, build.stdout + build.stderr).toBe(0);
    for (const p of ["core", "arquero", "diagnostics", "plot", "report", "genetics", "datasets", "cli"]) {
      expect(existsSync(join(root, "packages", p, "dist", "index.js")), p).toBe(true);
      expect(existsSync(join(root, "packages", p, "dist", "index.d.ts")), p).toBe(true);
    }
  }, 240_000);

  it("import, fit, tidy and a worker job run from the built output", () => {
    // Without --conditions=source the "default" export (dist) is used; the environment of this
    // test process (vitest's loader flags) must not leak into the child.
    const run = spawnSync(process.execPath, [join(root, "test", "packages", "plain-node.mjs")], { cwd: root, encoding: "utf8", env: { PATH: process.env.PATH ?? "" } });
    expect(run.status, run.stderr).toBe(0);
    const out = JSON.parse(run.stdout.trim().split("\n").pop()!);
    expect(Number.isFinite(out.objective)).toBe(true);
    expect(out.tidyRows).toBe(3);
    expect(out.features).toBe(3);
    expect(out.exports).toEqual(["function", "function", "function", "function", "function", "function"]);
  }, 120_000);
});
