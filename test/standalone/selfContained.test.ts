// The repository stands alone: no source, test, script or notebook reads a folder beside the checkout.
// (.ci/run proves it end to end by running the tests in a fresh clone with nothing beside it.)
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const root = fileURLToPath(new URL("../..", import.meta.url));
// Built from parts so that this file does not match itself.
const outside = [["..", "shared"].join("/"), ["shared", "reference"].join("/"), ["shared", "DESIGN"].join("/")];

describe("a clone with nothing beside it", () => {
  it("no tracked file points outside the repository", () => {
    const files = execFileSync("git", ["ls-files"], { cwd: root, encoding: "utf8" }).trim().split("\n");
    const offenders = files
      .filter((f) => /\.(ts|mjs|js|json|md|R|sh|html|yaml)$/.test(f) || f === ".ci/run")
      .filter((f) => outside.some((s) => readFileSync(`${root}/${f}`, "utf8").includes(s)));
    expect(offenders).toEqual([]);
  });
});
