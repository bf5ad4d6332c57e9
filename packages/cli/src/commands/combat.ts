import { InvalidArgumentError, UnknownColumnError } from "@lmm/core";
import { writeFileAtomic } from "@lmm/core/node";
import { CsvValueError, rewriteCsv, type CsvTable } from "@lmm/arquero";
import { combat } from "@lmm/diagnostics";
import { parseFlags, type Command, type CommandIo, type Flags } from "../command.js";
import { READ_OPTIONS, readCsvFile } from "../io/files.js";
import { checkOutput } from "../io/output.js";

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
  ...READ_OPTIONS,
  out: { type: "string", value: "FILE.csv", help: "output CSV: the input file with the changed feature cells replaced; every other cell (missing ones too) byte for byte as it was; written atomically" },
} as const satisfies Flags;

/** The steps `lmm combat` reports progress on (reading and writing dominate on large tables). */
const STEPS = ["reading the data", "harmonising", "writing the output"] as const;

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
    checkOutput(values.out!, [{ flag: "--data", path: values.data! }, ...(values.columns ? [{ flag: "--columns", path: values.columns }] : [])]);
    step(0);
    const { csv } = readCsvFile(values.data!, values);
    const columns = [...csv.names];
    const batchName = requireColumn(values.batch!, columns);
    const covariateNames = splitList(values.covariates).map((c) => requireColumn(c, columns));
    const featureNames = selectFeatures(values.features!, columns.filter((c) => c !== batchName && !covariateNames.includes(c)));

    const features = new Map<string, Float64Array>(featureNames.map((name) => [name, csv.numbers(name, "harmonised")]));
    const covariates = new Map<string, Float64Array | string[]>(covariateNames.map((name) => [name, covariateColumn(csv, name)]));
    const batch = batchColumn(csv, batchName);
    step(1);
    const { model, harmonised } = combat(
      { features, batch, covariates },
      { prior: values.nonparametric ? "nonparametric" : "parametric", meanOnly: values["mean-only"] ?? false, refBatch: values["ref-batch"] },
    );

    // Only cells whose value changed are rewritten: missing cells stay as written (blank stays blank).
    const replaced = new Map(featureNames.map((name) => [name, changedCells(features.get(name)!, harmonised[name])]));
    step(2);
    await writeFileAtomic(values.out!, rewriteCsv(csv, replaced));
    step(3);
    for (const warning of model.warnings) io.stderr(`lmm combat: warning: ${warning}\n`);
    io.stdout(`harmonised ${featureNames.length} features of ${csv.rows} rows over ${model.batchLevels.length} batches of ${JSON.stringify(batchName)} (${model.prior}${model.meanOnly ? ", mean only" : ""}${model.refBatch !== null ? `, reference ${model.refBatch}` : ""}); wrote ${values.out}\n`);
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

/** New cell text where the harmonised value differs from the one read; null keeps the cell as written. */
function changedCells(read: Float64Array, harmonised: Float64Array): (string | null)[] {
  return Array.from(read, (x, i) => (Number.isNaN(x) || Object.is(x, harmonised[i]) ? null : Number.isNaN(harmonised[i]) ? "NA" : String(harmonised[i])));
}

/** Batch labels as written; a missing batch is refused naming the user's column and the line. */
function batchColumn(csv: CsvTable, name: string): string[] {
  const labels = csv.cells(name);
  completeRows(csv, name, "is missing: every row needs a batch");
  return labels;
}

/** A covariate: numeric when every value is a number, a factor when the column holds text; always complete. */
function covariateColumn(csv: CsvTable, name: string): Float64Array | string[] {
  const column = csv.column(name);
  completeRows(csv, name, "is missing (covariates must be complete)");
  return column.kind === "text" ? (column.values as string[]) : csv.numbers(name, "a numeric covariate");
}

function completeRows(csv: CsvTable, name: string, problem: string): void {
  const values = csv.column(name).values;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v === null || (typeof v === "number" && Number.isNaN(v))) throw new CsvValueError(csv.file, csv.line(i), name, csv.cells(name)[i], problem);
  }
}
