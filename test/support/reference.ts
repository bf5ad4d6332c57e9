// Loads the lme4 reference cases and data sets from test/reference/lme4 at run time.
import { readFileSync, readdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { dirname, join } from "node:path";
import { parseColumnSchema, readCsv, schemaLevels, schemaOrdered, tableColumns } from "@lmm/arquero";
import type { DataColumns } from "@lmm/core";

/** Absolute path of test/reference: the reference results of R, GEMMA, plink2 and sva kept in the repository. */
export const referenceDir = join(dirname(fileURLToPath(import.meta.url)), "..", "reference");
/** The lme4 / lmerTest / pbkrtest reference set (cases and data). */
export const lme4Dir = join(referenceDir, "lme4");

/** Ids of every case in reference/cases, sorted. */
export function caseIds(): string[] {
  return readdirSync(join(lme4Dir, "cases"))
    .filter((f) => f.endsWith(".json"))
    .map((f) => f.replace(/\.json$/, ""))
    .sort();
}

// The case files are large; the parsed JSON is typed loosely on purpose.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type ReferenceCase = any;

export function loadCase(id: string): ReferenceCase {
  return JSON.parse(readFileSync(join(lme4Dir, "cases", `${id}.json`), "utf8"));
}

/** The formula-language reference set (issue 15): cases and data of test/reference/formula. */
export const formulaDir = join(referenceDir, "formula");

const datasets = new Map<string, { data: DataColumns; levels: Record<string, string[]>; ordered: string[]; csvPath: string; columnsPath: string }>();

/** A reference data set as columns plus its factor level order and ordered factors (from `folder`, default the lme4 set). */
export function loadDataset(name: string, folder = lme4Dir) {
  const csvPath = join(folder, "data", `${name}.csv`);
  const hit = datasets.get(csvPath);
  if (hit) return hit;
  const columnsPath = join(folder, "data", `${name}.columns.json`);
  const schema = parseColumnSchema(readFileSync(columnsPath, "utf8"));
  const table = readCsv(readFileSync(csvPath, "utf8"), { schema });
  const out = { data: tableColumns(table), levels: schemaLevels(schema), ordered: schemaOrdered(schema), csvPath, columnsPath };
  datasets.set(csvPath, out);
  return out;
}

/**
 * How far above lme4's optimised criterion ours may end, relative (issue 21: never a worse optimum
 * than lme4's; BOBYQA is followed by a Newton polish where it stops short).
 */
export const OPTIMUM_TOLERANCE = 1e-7;

/** |a − b| ≤ tol · max(|b|, floor): relative error with a floor for values near zero. */
export function relClose(a: number, b: number, tol: number, floor = 1e-8): boolean {
  return Math.abs(a - b) <= tol * Math.max(Math.abs(b), floor);
}

const repositoryTables = new Map<string, DataColumns>();

/** A CSV named by its path from the repository root (as the dispersion references name their data), read once. */
export function repositoryCsv(file: string): DataColumns {
  let d = repositoryTables.get(file);
  if (!d) repositoryTables.set(file, (d = tableColumns(readCsv(readFileSync(join(referenceDir, "..", "..", file), "utf8")))));
  return d;
}
