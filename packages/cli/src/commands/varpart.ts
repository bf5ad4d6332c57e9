import { dispersionColumn, InvalidArgumentError } from "@lmm/core";
import { checkFormulaColumns, featureFormula, formulaColumns, schemaLevels, schemaOrdered, selectColumns } from "@lmm/arquero";
import { varpart, type VarianceDecomposition } from "@lmm/diagnostics";
import { parseFlags, type Command, type Flags } from "../command.js";
import { readCsvFile } from "../io/files.js";
import { MODEL_OPTIONS, parseWorkers, WORKERS_FLAG } from "../io/modelArgs.js";
import { reportTo } from "../progress/reportTo.js";

const usage = `lmm varpart --data F.csv --formula "{feature} ~ 1 + (1|patient) + (1|batch) + (1|reader)" --features LIST|GLOB
            [--columns F.columns.json] [--fixed] [--ml] [--dispersion "~ vendor"] [--workers N] [--json]

Variance decomposition of every feature column (variancePartition): one linear mixed model per feature,
each component's variance and its fraction of the total (random effects and residual; with --fixed also
the fixed-effect terms).`;

const flags = {
  ...MODEL_OPTIONS,
  formula: { type: "string", value: "TEMPLATE", help: "formula template; {feature} stands for each feature column" },
  features: { type: "string", value: "LIST|GLOB", help: "comma-separated column names and/or globs, e.g. 'feature_*'" },
  fixed: { type: "boolean", default: false, help: "include fixed-effect terms as variance shares" },
  workers: WORKERS_FLAG,
  json: { type: "boolean", default: false, help: "print {features: [{feature, components: {NAME: {variance, fraction}}, singular}]}" },
} as const satisfies Flags;

/** `lmm varpart`: variance components and fractions per feature. */
export const varpartCommand: Command = {
  name: "varpart",
  usage,
  flags,
  async run(argv, io) {
    const values = parseFlags(argv, flags);
    for (const required of ["data", "formula", "features"] as const) {
      if (!values[required]) throw new InvalidArgumentError(`--${required}`, values[required], `a value (${usage.split("\n")[0]})`);
    }
    const workers = parseWorkers(values.workers);
    const { csv, schema } = readCsvFile(values.data!, values);
    const levels = schema ? schemaLevels(schema) : (Object.create(null) as Record<string, string[]>);
    const ordered = schema ? schemaOrdered(schema) : [];
    // Every feature and every design column is checked here, so a bad cell is refused with its line;
    // only the columns the models use go into the Arquero table (which cannot hold a column named __proto__).
    const features = selectColumns(values.features!, csv.names);
    for (const feature of features) checkFormulaColumns(csv, featureFormula(values.formula!, feature), { levels, ordered });
    // Every column the formula reads (a response expression may read more than the feature: log({feature} / area)).
    const design = formulaColumns(featureFormula(values.formula!, features[0])).filter((c) => c.column !== features[0] && csv.has(c.column)).map((c) => c.column);
    if (values.dispersion !== undefined) design.push(dispersionColumn(values.dispersion));
    const table = csv.arquero([...new Set([...design, ...features])]);
    const dispersion = values.dispersion !== undefined ? { dispersion: values.dispersion } : {};
    const result = await varpart(table, values.formula!, features, { levels, ordered, reml: !values.ml, fixed: values.fixed, workers, onProgress: reportTo(io, "features fitted"), ...dispersion });
    for (const f of result.features) if (f.error) io.stderr(`lmm varpart: warning: ${f.feature} not fitted: ${f.error}\n`);
    if (values.json) {
      const features = result.features.map((f) => ({
        feature: f.feature,
        components: components(f.decomposition),
        singular: f.decomposition?.singular ?? false,
        ...(f.decomposition?.residualLevels ? { residualLevels: residualLevels(f.decomposition) } : {}),
        ...(f.error ? { error: f.error } : {}),
      }));
      io.stdout(JSON.stringify({ features }, null, 2) + "\n");
    } else {
      io.stdout(textTable(result.features.map((f) => ({ feature: f.feature, d: f.decomposition }))));
    }
    return 0;
  },
};

/** Components by name; a prototype-free object, so a component called `__proto__` stays data. */
function components(d: VarianceDecomposition | null): Record<string, { variance: number; fraction: number }> {
  const out: Record<string, { variance: number; fraction: number }> = Object.create(null);
  for (const c of d?.components ?? []) out[c.name] = { variance: c.variance, fraction: c.fraction };
  return out;
}

/** The residual of each dispersion level: its sd, variance and share of the total. */
function residualLevels(d: VarianceDecomposition): Record<string, { sd: number; variance: number; fraction: number }> {
  const out: Record<string, { sd: number; variance: number; fraction: number }> = Object.create(null);
  for (const r of d.residualLevels ?? []) out[r.level] = { sd: r.sd, variance: r.variance, fraction: r.fraction };
  return out;
}

/** Fractions in percent, one row per feature, one column per component. */
function textTable(rows: { feature: string; d: VarianceDecomposition | null }[]): string {
  const names: string[] = [];
  for (const r of rows) for (const c of r.d?.components ?? []) if (!names.includes(c.name)) names.push(c.name);
  const header = ["feature", ...names.map((n) => `${n} %`), "singular"];
  const body = rows.map((r) => [
    r.feature,
    ...names.map((n) => {
      const c = r.d?.components.find((x) => x.name === n);
      return c ? (100 * c.fraction).toFixed(1) : "-";
    }),
    r.d ? (r.d.singular ? "yes" : "no") : "failed",
  ]);
  const widths = header.map((h, j) => Math.max(h.length, ...body.map((b) => b[j].length)));
  const line = (cells: string[]) => cells.map((c, j) => (j === 0 ? c.padEnd(widths[j]) : c.padStart(widths[j]))).join("  ").trimEnd();
  return [line(header), ...body.map(line)].join("\n") + "\n";
}
