import {
  anovaTypeIII,
  bootstrap,
  coefficients,
  confint,
  dispersionColumn,
  dispersionConfint,
  InvalidArgumentError,
  lmm,
  NotAggregableError,
  profile,
  profileConfint,
  summaryWithTests,
  type AnovaRow,
  type ConfidenceInterval,
  type FitOptions,
  type LinearMixedModel,
} from "@lmm/core";
import { parseColumnSchema, schemaLevels, schemaOrdered } from "@lmm/arquero";
import { parseFlags, type Command, type CommandIo, type Flags } from "../command.js";
import { droppedRowsText } from "../io/droppedRows.js";
import { readText } from "../io/files.js";
import { fitFromArgs, MODEL_OPTIONS, parseContrasts, WORKERS_FLAG } from "../io/modelArgs.js";
import { reportTo } from "../progress/reportTo.js";
import { duckdbSourceOf, fitThroughDuckdb, readRowsThroughDuckdb, SQL_OPTIONS } from "../io/sqlSource.js";

const DDF = ["satterthwaite", "kenward-roger"] as const;
const CONFINT = ["wald", "profile", "boot"] as const;
type Ddf = (typeof DDF)[number];
type ConfintMethod = (typeof CONFINT)[number];

const flags = {
  ...MODEL_OPTIONS,
  ...SQL_OPTIONS,
  ddf: { type: "string", value: DDF.join("|"), help: "denominator degrees of freedom: adds df and p-values to the fixed effects and a type III ANOVA table (lmerTest)" },
  confint: { type: "string", value: CONFINT.join("|"), help: "confidence intervals: Wald for the fixed effects, or profile / parametric bootstrap for every parameter (lme4's confint)" },
  level: { type: "string", value: "P", help: "confidence level (default 0.95)" },
  nsim: { type: "string", value: "N", help: "bootstrap replicates for --confint boot (default 500)" },
  seed: { type: "string", value: "N", help: "random seed for --confint boot (default 1)" },
  workers: { ...WORKERS_FLAG, help: "bootstrap in N worker threads (default 0: this thread)" },
} as const satisfies Flags;

export const fitCommand: Command = {
  name: "fit",
  usage:
    'lmm fit --data FILE.csv --formula "y ~ x + (1 | g)" [--ml] [--columns FILE.columns.json] [--json]\n' +
    "        [--na TOKEN]... [--encoding utf-8|latin1] [--weights COLUMN] [--offset COLUMN] [--contrasts site=sum,grade=poly]\n" +
    '        [--dispersion "~ vendor"]\n' +
    "        [--ddf satterthwaite|kenward-roger] [--confint wald|profile|boot] [--level 0.95]\n" +
    "        [--nsim 500] [--seed 1] [--workers N]\n" +
    'lmm fit --data cells.parquet|"cells/*.parquet"|"cells/*.csv"|duckdb:FILE.duckdb [--table T] [--sql "SELECT …"] --formula … [--ml] [--json]\n' +
    "        [--weights COLUMN] [--offset COLUMN] [--contrasts …] [--ddf satterthwaite] [--confint wald|profile]\n" +
    "lmm fit --data big.csv --engine duckdb --formula … [--na TOKEN]... [--columns FILE.columns.json] [--encoding utf-8|latin1]\n\n" +
    "Fits a linear mixed model as lme4's lmer does (REML unless --ml) and prints lme4's summary, or with --json the\n" +
    "model as JSON. Rows with a missing value in a used column are left out and reported. Parquet files, DuckDB\n" +
    "databases and queries are fitted from sums DuckDB computes next to the data (the same estimates; rows never\n" +
    "read into memory; docs/sql.md); a CSV or TSV file is read into memory by the strict reader unless --engine duckdb\n" +
    "(or a glob of them), which DuckDB reads under the same rules (text typed strictly, missing tokens, errors naming\n" +
    "file, line, column and value).",
  flags,
  async run(argv, io) {
    const values = parseFlags(argv, flags);
    const ddf = oneOf("--ddf", values.ddf, DDF);
    const method = oneOf("--confint", values.confint, CONFINT);
    const level = numberOption("--level", values.level, 0.95, (x) => x > 0 && x < 1, "a number strictly between 0 and 1");
    const nsim = numberOption("--nsim", values.nsim, 500, (x) => Number.isInteger(x) && x >= 1, "a positive whole number");
    const seed = numberOption("--seed", values.seed, 1, (x) => Number.isInteger(x) && x >= 0 && x < 2 ** 32, "a whole number in [0, 2^32)");
    const workers = values.workers === undefined ? undefined : numberOption("--workers", values.workers, 0, (x) => Number.isInteger(x) && x >= 0, "a whole number ≥ 0");
    const sql = duckdbSourceOf(values);
    const model = sql ? await fitSqlSource(sql, values, { ddf, method, level, nsim, seed }, io) : fitFromArgs(values).model;
    if (!model) return 0;
    const intervals = method ? await intervalsOf(model, method, { level, nsim, seed, workers, io }) : undefined;
    if (values.json) {
      io.stdout(JSON.stringify(jsonOf(model, ddf, intervals), null, 2) + "\n");
      return 0;
    }
    io.stdout(ddf ? summaryWithTests(model, { ddf }) : model.summary());
    io.stdout(droppedRowsText(model.droppedRows, model.nobs));
    if (ddf) io.stdout(anovaText(anovaTypeIII(model, { ddf }), ddf));
    if (intervals) io.stdout(confintText(intervals, level));
    return 0;
  },
};

/**
 * A fit from sums DuckDB computes, printed here (null returned); a model that sums cannot give is
 * said so on stderr and fitted from its rows read into memory (the model returned, printed as any).
 * The flags that need rows are refused by name.
 */
async function fitSqlSource(where: Parameters<typeof fitThroughDuckdb>[0], values: ReturnType<typeof parseFlags<typeof flags>>, tests: { ddf?: Ddf; method?: ConfintMethod; level: number; nsim: number; seed: number }, io: CommandIo): Promise<LinearMixedModel | null> {
  const csv = "csv" in where.source;
  const { ddf, method, level, nsim, seed } = tests;
  // Satterthwaite's and Kenward–Roger's df, the type III table, profiles and the bootstrap come from
  // the sums (the criterion in θ and σ; Z'Z, Z'X, X'X and the residual's products; refits on the
  // sums; each cell's sums of a simulated response drawn from their exact law). The bootstrap runs
  // in this thread (--workers is for the rows' refits).
  // The strict CSV reader's flags apply to CSV files read by DuckDB; other sources have their own types.
  for (const flag of csv ? [] : (["columns", "na", "encoding"] as const)) {
    if (values[flag] !== undefined) throw new InvalidArgumentError(`--${flag}`, values[flag], "used with CSV files (Parquet, DuckDB and --sql data carry their own column types)");
  }
  if (!values.formula) throw new InvalidArgumentError("--formula", undefined, 'a formula such as "y ~ x + (1 | g)"');
  const contrasts = values.contrasts === undefined ? undefined : parseContrasts(values.contrasts);
  const schema = values.columns === undefined ? undefined : parseColumnSchema(readText(values.columns), values.columns);
  const declared = schema ? { levels: schemaLevels(schema), ordered: schemaOrdered(schema) } : {};
  // A dispersion formula's column is grouped by in SQL (each cell in one level): fitted from the sums too.
  const dispersion = values.dispersion !== undefined ? { dispersion: values.dispersion } : {};
  const options = {
    reml: !values.ml,
    ...(values.optimizer !== undefined ? { optimizer: values.optimizer as FitOptions["optimizer"] } : {}),
    ...(contrasts ? { contrasts } : {}),
    ...(values.weights !== undefined ? { weights: values.weights } : {}),
    ...(values.offset !== undefined ? { offset: values.offset } : {}),
    ...declared,
    ...dispersion,
  };
  const extra = [values.weights, values.offset, values.dispersion === undefined ? undefined : dispersionColumn(values.dispersion)];
  const reading = { formula: values.formula, extra: extra.filter((c): c is string => c !== undefined), na: values.na ?? [], schema, encoding: values.encoding };
  try {
    const fit = await fitThroughDuckdb(where, reading, options);
    const { anovaTypeIIISql, confintSql, sqlFitJson, sqlFitSummary } = await import("@lmm/sql");
    const text = ddf ? { ddf } : {};
    // Everything is computed before anything is printed: a table the sums cannot give falls back to rows whole.
    const anova = ddf ? anovaTypeIIISql(fit, { ddf }) : undefined;
    const intervals = method ? confintSql(fit, { method, level, nsim, seed, onProgress: reportTo(io, method === "boot" ? "bootstrap refits" : "profiled parameters") }) : undefined;
    if (values.json) {
      const json = sqlFitJson(fit, text);
      if (anova) json.anova = anovaJson(anova);
      if (intervals) json.confint = intervals.map((c) => ({ parameter: c.parameter, lower: finite(c.lower), upper: finite(c.upper) }));
      io.stdout(JSON.stringify(json, null, 2) + "\n");
    } else io.stdout(sqlFitSummary(fit, text) + (anova && ddf ? anovaText(anova, ddf) : "") + (intervals ? confintText(intervals, level) : ""));
    return null;
  } catch (e) {
    if (!(e instanceof NotAggregableError)) throw e;
    const { data, note } = await readRowsThroughDuckdb(where, reading);
    io.stderr(`lmm fit: ${e.message.replace(/; fit it from rows \(in memory\) instead$/, "")}; ${note}\n`);
    return lmm(values.formula, data, options);
  }
}

/** The model's JSON (a stable contract) plus, on request, `df`/`p` per fixed effect, `anova` and `confint`. */
function jsonOf(model: LinearMixedModel, ddf: Ddf | undefined, intervals: ConfidenceInterval[] | undefined) {
  const json: Record<string, unknown> = { ...model.toJSON() };
  if (ddf) {
    const fixef = json.fixef as Record<string, Record<string, number | null>>;
    for (const row of coefficients(model, { ddf })) Object.assign(fixef[row.name], { df: finite(row.df), p: finite(row.pValue) });
    json.anova = anovaJson(anovaTypeIII(model, { ddf }));
  }
  if (intervals) json.confint = intervals.map((c) => ({ parameter: c.parameter, lower: finite(c.lower), upper: finite(c.upper) }));
  return json;
}

function anovaJson(rows: AnovaRow[]) {
  return rows.map((r) => ({ term: r.term, numDf: r.numDf, denDf: finite(r.denDf), F: finite(r.F), p: finite(r.pValue) }));
}

async function intervalsOf(model: LinearMixedModel, method: ConfintMethod, o: { level: number; nsim: number; seed: number; workers?: number; io: CommandIo }): Promise<ConfidenceInterval[]> {
  if (method === "profile") {
    const intervals = profileConfint(profile(model, { onProgress: reportTo(o.io, "profiled parameters") }), o.level);
    // With a dispersion formula, each level's δ (its residual sd over the reference level's), profiled too.
    if (model.dispersion) for (const d of dispersionConfint(model, { level: o.level })) intervals.push({ parameter: `delta_${d.level}`, lower: d.lower, upper: d.upper });
    return intervals;
  }
  if (method !== "boot") return confint(model, { method, level: o.level });
  const boot = await bootstrap(model, o.nsim, { seed: o.seed, workers: o.workers, onProgress: reportTo(o.io, "bootstrap refits") });
  return boot.intervals(o.level).map((i) => ({ parameter: i.parameter, lower: i.percentile[0], upper: i.percentile[1] }));
}

function anovaText(rows: AnovaRow[], ddf: Ddf): string {
  const method = ddf === "satterthwaite" ? "Satterthwaite's" : "Kenward-Roger's";
  const header = ["", "Sum Sq", "Mean Sq", "NumDF", "DenDF", "F value", "Pr(>F)"];
  const cells = rows.map((r) => [r.term, fmt(r.sumSq), fmt(r.meanSq), String(r.numDf), fmt(r.denDf), fmt(r.F), fmtP(r.pValue)]);
  return `\nType III Analysis of Variance Table with ${method} method\n${table([header, ...cells])}`;
}

function confintText(rows: ConfidenceInterval[], level: number): string {
  const a = (1 - level) / 2;
  const header = ["", `${+(100 * a).toPrecision(3)} %`, `${+(100 * (1 - a)).toPrecision(3)} %`];
  return `\n${table([header, ...rows.map((r) => [r.parameter, fmt(r.lower), fmt(r.upper)])])}`;
}

function table(rows: string[][]): string {
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
  return rows.map((r) => r.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join("  ")).join("\n") + "\n";
}

function fmt(x: number): string {
  return Number.isFinite(x) ? String(Number(x.toPrecision(5))) : Number.isNaN(x) ? "NA" : String(x);
}

function fmtP(p: number): string {
  return Number.isNaN(p) ? "NA" : p < 1e-4 ? p.toExponential(3) : p.toPrecision(4);
}

/** JSON has no NaN or Infinity: those become null. */
function finite(x: number): number | null {
  return Number.isFinite(x) ? x : null;
}

function oneOf<T extends string>(flag: string, value: string | undefined, allowed: readonly T[]): T | undefined {
  if (value === undefined) return undefined;
  if (!(allowed as readonly string[]).includes(value)) throw new InvalidArgumentError(flag, value, allowed.join(" or "));
  return value as T;
}

function numberOption(flag: string, value: string | undefined, fallback: number, ok: (x: number) => boolean, expected: string): number {
  if (value === undefined) return fallback;
  const x = Number(value);
  if (value.trim() === "" || !ok(x)) throw new InvalidArgumentError(flag, value, expected);
  return x;
}
