import { writeFileSync } from "node:fs";
import { fromCSV, toCSV } from "arquero";
import type { ColumnTable } from "arquero";
import { InvalidArgumentError, InvalidValueError, UnknownColumnError } from "@lmm/core";
import { combat } from "@lmm/diagnostics";
import { parseFlags, type Command, type CommandIo, type Flags } from "../command.js";
import { InputFileError, readText } from "../io/files.js";

const usage = `lmm combat --data F.csv --batch COLUMN --features LIST|GLOB --out harmonised.csv
           [--covariates A,B] [--nonparametric] [--mean-only] [--ref-batch LEVEL]

Harmonises feature columns across batches with ComBat (as sva::ComBat), keeping the covariates' effects.`;

const flags = {
  data: { type: "string", value: "FILE.csv", help: "input CSV with a header row" },
  batch: { type: "string", value: "COLUMN", help: "batch column (site, scanner, staining batch …)" },
  features: { type: "string", value: "LIST|GLOB", help: "comma-separated column names and/or globs, e.g. 'f_*' or 'feature_*,volume'" },
  covariates: { type: "string", value: "A,B", help: "comma-separated biological covariates to protect (numeric columns as they are, others as factors)" },
  nonparametric: { type: "boolean", help: "non-parametric empirical-Bayes priors (default parametric)" },
  "mean-only": { type: "boolean", help: "adjust locations only" },
  "ref-batch": { type: "string", value: "LEVEL", help: "leave this batch unchanged and move the others onto it" },
  out: { type: "string", value: "FILE.csv", help: "output CSV: the input table with the features replaced (missing values written as NA)" },
} as const satisfies Flags;

/** The steps `lmm combat` reports progress on (reading and writing dominate on large tables). */
const STEPS = ["reading the data", "harmonising", "writing the output"] as const;

const MISSING = new Set(["", "NA", "NaN"]);

/** `lmm combat`: the input table with its feature columns harmonised by ComBat. */
export const combatCommand: Command = {
  name: "combat",
  usage,
  flags,
  async run(argv: string[], io: CommandIo): Promise<number> {
    const values = parseFlags(argv, flags);
    const step = (k: number) => io.progress?.({ task: STEPS[k] ?? "done", done: k, total: STEPS.length });
    for (const required of ["data", "batch", "features", "out"] as const) {
      if (!values[required]) throw new InvalidArgumentError(`--${required}`, values[required], `a value (${usage.split("\n")[0]})`);
    }
    step(0);
    // Every column as text, so columns we do not harmonise are written back exactly as they were read.
    const text = readText(values.data!);
    if (text.trim() === "") throw new InputFileError(values.data!, "is empty");
    const table: ColumnTable = fromCSV(text, { autoType: false });
    const columns = table.columnNames();
    const batchName = requireColumn(values.batch!, columns);
    const covariateNames = splitList(values.covariates).map((c) => requireColumn(c, columns));
    const featureNames = selectFeatures(values.features!, columns.filter((c) => c !== batchName && !covariateNames.includes(c)));

    const features = new Map<string, Float64Array>(featureNames.map((name) => [name, numericColumn(table, name, true)]));
    const covariates = new Map<string, Float64Array | string[]>(covariateNames.map((name) => [name, covariateColumn(table, name)]));
    const batch = textColumn(table, batchName);
    step(1);
    const { model, harmonised } = combat(
      { features, batch, covariates },
      { prior: values.nonparametric ? "nonparametric" : "parametric", meanOnly: values["mean-only"] ?? false, refBatch: values["ref-batch"] },
    );

    const replaced = Object.fromEntries(featureNames.map((name) => [name, Array.from(harmonised[name], (v) => (Number.isNaN(v) ? "NA" : String(v)))]));
    step(2);
    try {
      writeFileSync(values.out!, toCSV(table.assign(replaced)));
    } catch (error) {
      throw new InvalidArgumentError("--out", values.out, `a writable file path (${(error as Error).message.split("\n")[0]})`);
    }
    step(3);
    for (const warning of model.warnings) io.stderr(`lmm combat: warning: ${warning}\n`);
    io.stdout(`harmonised ${featureNames.length} features of ${table.numRows()} rows over ${model.batchLevels.length} batches of ${JSON.stringify(batchName)} (${model.prior}${model.meanOnly ? ", mean only" : ""}${model.refBatch !== null ? `, reference ${model.refBatch}` : ""}); wrote ${values.out}\n`);
    return 0;
  },
};

function splitList(list: string | undefined): string[] {
  return (list ?? "").split(",").map((s) => s.trim()).filter((s) => s.length > 0);
}

function requireColumn(name: string, columns: string[]): string {
  if (!columns.includes(name)) throw new UnknownColumnError(name, columns);
  return name;
}

/** Column names and globs (`*` any run of characters, `?` one character), in table order, without repeats. */
export function selectFeatures(spec: string, candidates: string[]): string[] {
  const chosen = new Set<string>();
  for (const item of splitList(spec)) {
    if (/[*?]/.test(item)) {
      const pattern = new RegExp("^" + item.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*").replace(/\?/g, ".") + "$");
      const matched = candidates.filter((c) => pattern.test(c));
      if (matched.length === 0) throw new InvalidArgumentError("--features", item, "a glob that matches at least one column");
      matched.forEach((c) => chosen.add(c));
    } else {
      chosen.add(requireColumn(item, candidates));
    }
  }
  if (chosen.size === 0) throw new InvalidArgumentError("--features", spec, "at least one feature column");
  return candidates.filter((c) => chosen.has(c));
}

function textColumn(table: ColumnTable, name: string): string[] {
  return Array.from(table.array(name) as ArrayLike<string | null>, (v) => v ?? "");
}

/** Numbers from text; "", NA and NaN are missing (refused unless `allowMissing`), anything else non-numeric is refused. */
function numericColumn(table: ColumnTable, name: string, allowMissing: boolean): Float64Array {
  const text = textColumn(table, name);
  return Float64Array.from(text, (v, i) => {
    const s = v.trim();
    if (MISSING.has(s)) {
      if (allowMissing) return NaN;
      throw new InvalidValueError(name, i, v, "is missing (covariates must be complete)");
    }
    const x = Number(s);
    if (!Number.isFinite(x)) throw new InvalidValueError(name, i, v, "is not a number");
    return x;
  });
}

/** A covariate is numeric when every value reads as a number (as R's read.csv decides), a factor otherwise. */
function covariateColumn(table: ColumnTable, name: string): Float64Array | string[] {
  const text = textColumn(table, name);
  const numeric = text.every((v) => v.trim() !== "" && Number.isFinite(Number(v.trim())));
  if (numeric) return numericColumn(table, name, false);
  text.forEach((v, i) => {
    if (MISSING.has(v.trim())) throw new InvalidValueError(name, i, v, "is missing (covariates must be complete)");
  });
  return text;
}
