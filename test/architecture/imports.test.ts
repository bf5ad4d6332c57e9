// The house's rules, read from the sources: no import cycles inside a package (imports that survive
// compilation: `import type` is erased), other packages reach a package only through its entry points,
// and only the packages that refit import the core's engine.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");
const packages = readdirSync(join(root, "packages")).filter((p) => statSync(join(root, "packages", p)).isDirectory());

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === "node_modules" || name === "dist" ? [] : sources(path);
    return /\.ts$/.test(name) && !name.endsWith(".d.ts") ? [path] : [];
  });
}

/** Module specifiers a file imports at run time (static imports and re-exports that are not type-only, and import()). */
function runtimeImports(text: string): string[] {
  const out: string[] = [];
  const statement = /^\s*(import|export)\s+(type\s+)?([^;]*?)\s+from\s+["']([^"']+)["']/gm;
  for (const m of text.matchAll(statement)) {
    if (m[2]) continue;
    // `import { type A, type B } from` imports nothing at run time.
    const names = /^\{([^}]*)\}$/.exec(m[3].trim());
    if (names && names[1].split(",").map((s) => s.trim()).filter(Boolean).every((s) => s.startsWith("type "))) continue;
    out.push(m[4]);
  }
  for (const m of text.matchAll(/^\s*import\s+["']([^"']+)["']/gm)) out.push(m[1]);
  for (const m of text.matchAll(/\bimport\(\s*["']([^"']+)["']\s*\)/g)) out.push(m[1]);
  return out;
}

function resolveLocal(from: string, spec: string): string | null {
  if (!spec.startsWith(".")) return null;
  return resolve(dirname(from), spec).replace(/\.js$/, ".ts");
}

/** The cycles of a directed graph (Tarjan's strongly connected components of more than one file). */
function cycles(graph: Map<string, string[]>): string[][] {
  let index = 0;
  const stack: string[] = [], on = new Set<string>(), idx = new Map<string, number>(), low = new Map<string, number>(), out: string[][] = [];
  const visit = (v: string) => {
    idx.set(v, index);
    low.set(v, index++);
    stack.push(v);
    on.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!graph.has(w)) continue;
      if (!idx.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (on.has(w)) low.set(v, Math.min(low.get(v)!, idx.get(w)!));
    }
    if (low.get(v) === idx.get(v)) {
      const scc: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        on.delete(w);
        scc.push(w);
      } while (w !== v);
      if (scc.length > 1) out.push(scc.map((f) => relative(root, f)).sort());
    }
  };
  for (const v of graph.keys()) if (!idx.has(v)) visit(v);
  return out;
}

describe("imports", () => {
  for (const p of packages) {
    it(`${p}: no import cycles`, () => {
      const files = sources(join(root, "packages", p, "src"));
      const graph = new Map(files.map((f) => [f, runtimeImports(readFileSync(f, "utf8")).map((s) => resolveLocal(f, s)).filter((s): s is string => s !== null)]));
      expect(cycles(graph)).toEqual([]);
    });
  }

  it("other packages reach a package only through its entry points", () => {
    const offenders: string[] = [];
    for (const p of packages) {
      for (const f of sources(join(root, "packages", p, "src"))) {
        for (const spec of runtimeImports(readFileSync(f, "utf8"))) {
          const local = resolveLocal(f, spec);
          if ((local && !local.startsWith(join(root, "packages", p) + "/")) || /^@lmm\/[^/]+\/(src|dist)\//.test(spec)) offenders.push(`${relative(root, f)} → ${spec}`);
        }
      }
    }
    expect(offenders).toEqual([]);
  });

  it("only the packages that refit import the core's engine", () => {
    const refitting = new Set(["arquero", "diagnostics", "genetics"]);
    const importers = packages.flatMap((p) =>
      sources(join(root, "packages", p, "src"))
        .filter((f) => /from\s+["']@lmm\/core\/engine["']/.test(readFileSync(f, "utf8")))
        .map((f) => ({ p, f: relative(root, f) })),
    );
    expect(importers.filter(({ p }) => !refitting.has(p))).toEqual([]);
  });

  it("the core's numerics and parallel folders stand alone (every package may use them; of core they use only its errors)", () => {
    const errors = join(root, "packages", "core", "src", "errors") + "/";
    const offenders = ["numerics", "parallel"].flatMap((folder) => {
      const dir = join(root, "packages", "core", "src", folder);
      return sources(dir).flatMap((f) =>
        runtimeImports(readFileSync(f, "utf8"))
          .map((spec) => ({ spec, local: resolveLocal(f, spec) }))
          .filter(({ spec, local }) => (local && !local.startsWith(dir + "/") && !local.startsWith(errors)) || spec.startsWith("@lmm/"))
          .map(({ spec }) => `${relative(root, f)} → ${spec}`),
      );
    });
    expect(offenders).toEqual([]);
  });

  it("no code outside the core's engine touches Λ storage", () => {
    const offenders = packages.flatMap((p) =>
      sources(join(root, "packages", p, "src"))
        .filter((f) => !f.includes(join("packages", "core", "src", "engine")))
        .filter((f) => /\b(re|remat)\.lambda\b|\.theta\.(apply|fill)\(/.test(readFileSync(f, "utf8")))
        .map((f) => relative(root, f)),
    );
    expect(offenders).toEqual([]);
  });
});
