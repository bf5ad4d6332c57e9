// Formulas and data are never evaluated as code: no eval, no Function constructor, no string
// timers anywhere in the sources of the packages, notebooks or CLI.
import { describe, expect, it } from "vitest";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");

function sources(dir: string, out: string[] = []): string[] {
  for (const entry of readdirSync(dir)) {
    if (entry === "node_modules" || entry === "dist" || entry.startsWith(".")) continue;
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) sources(path, out);
    else if (/\.(ts|js|mjs|html)$/.test(entry) && !entry.endsWith(".d.ts")) out.push(path);
  }
  return out;
}

const FORBIDDEN: [RegExp, string][] = [
  [/\beval\s*\(/, "eval("],
  [/\bnew\s+Function\s*\(/, "new Function("],
  [/(?<![\w.])Function\s*\(\s*["'`]/, "Function(\"…\")"],
  [/\bset(?:Timeout|Interval)\s*\(\s*["'`]/, "setTimeout with a string"],
];

describe("no code evaluation in our sources", () => {
  const files = ["packages", "notebooks"].flatMap((d) => {
    try {
      return sources(join(root, d));
    } catch {
      return [];
    }
  });
  it("finds the sources to scan", () => {
    expect(files.length).toBeGreaterThan(50);
  });
  it("none uses eval, the Function constructor or string timers", () => {
    const hits: string[] = [];
    for (const file of files) {
      const lines = readFileSync(file, "utf8").split("\n");
      lines.forEach((line, i) => {
        for (const [pattern, name] of FORBIDDEN) if (pattern.test(line)) hits.push(`${file.slice(root.length + 1)}:${i + 1}: ${name}`);
      });
    }
    expect(hits).toEqual([]);
  });
  it("the scan would catch an offender", () => {
    for (const [pattern] of FORBIDDEN.slice(0, 2)) expect(["const f = eval(s)", "new Function('return 1')"].some((l) => pattern.test(l))).toBe(true);
  });
});
