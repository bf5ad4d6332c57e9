// One test-file naming style: `name.test.ts` with `name` in lower camel case, as the sources are named
// (`fitEach.ts` → `fitEach.test.ts`), so a test is found by the name of what it tests.
import { readdirSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");

function testFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === "node_modules" || name === "dist" ? [] : testFiles(path);
    return name.endsWith(".test.ts") ? [path] : [];
  });
}

describe("test files", () => {
  it("are all named name.test.ts with a lower-camel-case name", () => {
    const files = [...readdirSync(join(root, "packages")).map((p) => join(root, "packages", p, "test")), join(root, "test")]
      .filter((dir) => statSync(dir, { throwIfNoEntry: false })?.isDirectory())
      .flatMap(testFiles)
      .map((f) => relative(root, f));
    expect(files.length).toBeGreaterThan(50);
    expect(files.filter((f) => !/^[a-z][a-zA-Z0-9]*\.test\.ts$/.test(f.split("/").pop()!))).toEqual([]);
  });
});
