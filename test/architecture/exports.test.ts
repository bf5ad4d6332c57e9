// One owner per exported name: across the public entry points of all our packages (every subpath in
// each package.json's `exports`), a name is declared once. Re-exporting another package's name is
// allowed (it is the same declaration); two different declarations under one name are not, because a
// notebook importing from two packages would get two meanings for one word.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";
import { describe, expect, it } from "vitest";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");
const packages = readdirSync(join(root, "packages")).filter((p) => statSync(join(root, "packages", p)).isDirectory());

/** Every public entry point: package name + subpath → its TypeScript source. */
function entryPoints(): { entry: string; file: string }[] {
  return packages.flatMap((p) => {
    const manifest = JSON.parse(readFileSync(join(root, "packages", p, "package.json"), "utf8")) as { name: string; exports?: Record<string, { source?: string }> };
    return Object.entries(manifest.exports ?? {})
      .filter(([, target]) => typeof target === "object" && target.source)
      .map(([subpath, target]) => ({ entry: subpath === "." ? manifest.name : `${manifest.name}/${subpath.slice(2)}`, file: join(root, "packages", p, target.source!) }));
  });
}

/** Each exported name → the entry points and the declarations (file:name) it resolves to. */
function exportedNames(): Map<string, { entries: Set<string>; declarations: Set<string> }> {
  const entries = entryPoints();
  const program = ts.createProgram(
    entries.map((e) => e.file),
    { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext, customConditions: ["source"], strict: true, skipLibCheck: true, noEmit: true },
  );
  const checker = program.getTypeChecker();
  const names = new Map<string, { entries: Set<string>; declarations: Set<string> }>();
  for (const { entry, file } of entries) {
    const source = program.getSourceFile(file);
    const moduleSymbol = source && checker.getSymbolAtLocation(source);
    if (!moduleSymbol) throw new Error(`cannot read the entry point ${entry} (${relative(root, file)})`);
    for (const exported of checker.getExportsOfModule(moduleSymbol)) {
      const original = exported.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exported) : exported;
      const declaration = original.declarations?.[0];
      const where = declaration ? `${relative(root, declaration.getSourceFile().fileName)}:${original.name}` : original.name;
      const slot = names.get(exported.name) ?? { entries: new Set(), declarations: new Set() };
      slot.entries.add(entry);
      slot.declarations.add(where);
      names.set(exported.name, slot);
    }
  }
  return names;
}

describe("exports", () => {
  it("no name is exported with two meanings across our packages' entry points", () => {
    const names = exportedNames();
    expect(names.size).toBeGreaterThan(100);
    const duplicates = [...names.entries()]
      .filter(([, slot]) => slot.declarations.size > 1)
      .map(([name, slot]) => `${name}: ${[...slot.entries].join(", ")} (${[...slot.declarations].join(" | ")})`);
    expect(duplicates).toEqual([]);
  });
});
