// The catalogue of bad inputs: each entry is one input a user may give, the typed error (or
// warning) it must produce, and what the message must name. catalogue.test.ts runs every entry;
// `pnpm errors-doc` writes docs/errors.md from the same list (a test keeps the two in step).
import { main } from "@lmm/cli";
import { anova, lmm, LmmError, type DataColumns } from "@lmm/core";
import { ResponseFits } from "@lmm/core/engine";
import { createPool } from "@lmm/core/parallel";
import { writeFileAtomic, type AtomicWriteFs } from "@lmm/core/node";
import { combat, plan, batchClassifier, clusterInfluence } from "@lmm/diagnostics";
import { checkFormulaColumns, fitEach, parseColumnSchema, readCsv, readCsvColumns, type ReadCsvOptions } from "@lmm/arquero";
import { lmmScan, readPlink } from "@lmm/genetics";
import { table } from "arquero";
import { readFileSync } from "node:fs";
import { bootstrapAggregated, fitAggregated, modelVariables, planAggregation } from "@lmm/core/aggregate";
import { anovaSql, anovaTypeIIISql, coefficientsSql, confintSql, fitSql, fitSqlEach, varpartSql, type FitSqlOptions } from "@lmm/sql";
import { duckdbEngine } from "@lmm/sql/duckdb";

export interface CatalogueEntry {
  area: string;
  input: string;
  /** Runs the bad input; must throw (or, for warnings, return the warning's message). */
  run: () => unknown | Promise<unknown>;
  /** Error class name, or "warning <CODE>" for inputs that are answered with a warning. */
  error: string;
  /** What the message must contain (the culprit). */
  names: RegExp;
}

const g6 = ["a", "a", "b", "b", "c", "c", "d", "d", "e", "e", "f", "f"];
const base: Record<string, unknown[]> = {
  y: [3.1, 2.9, 4.2, 4.4, 1.9, 2.3, 3.3, 3.0, 5.1, 4.8, 2.2, 2.6],
  x: [1, 2, 1, 3, 2, 4, 1, 2, 5, 4, 3, 1],
  f: ["u", "v", "u", "v", "u", "v", "u", "v", "u", "v", "u", "v"],
  g: g6,
};
const data = (over: Record<string, unknown[]> = {}): DataColumns => ({ ...base, ...over }) as DataColumns;
const fitOf = (formula: string, over: Record<string, unknown[]> = {}, options = {}) => () => lmm(formula, data(over), options);
const warningOf = (formula: string, over: Record<string, unknown[]>) => () => {
  const w = ResponseFits.build(formula, data(over)).structure.warnings;
  return w.map((x) => `${x.code}: ${x.message}`).join("; ");
};
async function cli(args: string[]): Promise<void> {
  let err = "";
  const code = await main(args, { stdout: () => {}, stderr: (t) => (err += t) });
  if (code !== 2) throw new Error(`exit code ${code}`);
  throw Object.assign(new Error(err.trim()), { name: "exit code 2" });
}
/** Work on DuckDB with the base data as table `d` (with a text column and a zero in `z` where asked). */
const withBaseTable = async <T>(work: (engine: Awaited<ReturnType<typeof duckdbEngine>>) => Promise<T>): Promise<T> => {
  const engine = await duckdbEngine();
  try {
    const rows = base.y.map((_, i) => `(${base.y[i]}, ${base.x[i]}, '${base.f[i]}', '${base.g[i]}', ${i === 4 ? 0 : base.x[i]})`).join(", ");
    await engine.run(`CREATE TABLE d AS SELECT * FROM (VALUES ${rows}) AS v(y, x, f, g, z)`);
    return await work(engine);
  } finally {
    engine.close();
  }
};
/** A fit through DuckDB of the base data as a table (or a query of it). */
const sqlFitOf = (formula: string, source?: string, options: FitSqlOptions & { by?: string } = {}) => () =>
  withBaseTable((engine) => {
    const from = source ? { query: source } : { table: "d" };
    return options.by === undefined ? fitSql(engine, from, formula, options) : fitSqlEach(engine, from, formula, { ...options, by: options.by });
  });
const bedFiles = (bed: number[]) => () => readPlink({ bed: Uint8Array.from(bed), bim: "1\tsnp1\t0\t100\tA\tG\n", fam: "f1 i1 0 0 1 -9\nf2 i2 0 0 2 -9\n" });
/** `k` numeric columns v0 … v(k−1) over `rows` rows, with a response and a grouping factor. */
const wideCache = new Map<string, { names: string[]; data: DataColumns }>();
function wide(k: number, rows: number): { names: string[]; data: DataColumns } {
  const key = `${k}x${rows}`;
  const hit = wideCache.get(key);
  if (hit) return hit;
  const names = Array.from({ length: k }, (_, j) => `v${j}`);
  const data: Record<string, ArrayLike<unknown>> = { y: Float64Array.from({ length: rows }, (_, i) => Math.sin(i)), g: Array.from({ length: rows }, (_, i) => `g${i % 8}`) };
  names.forEach((name, j) => (data[name] = Float64Array.from({ length: rows }, (_, i) => Math.cos(i * (j + 1)))));
  const out = { names, data };
  wideCache.set(key, out);
  return out;
}
const K = (matrix: number[][], ids = ["a", "b", "c", "d", "e", "f"]) => ({ covariance: { g: { ids, matrix } } });
const I6 = Array.from({ length: 6 }, (_, i) => Array.from({ length: 6 }, (_, j) => (i === j ? 1 : 0)));

// Data files as the CLI reads them: the lossless reader, then the formula's check of numeric use.
const sleep = readFileSync(new URL("../reference/lme4/data/sleepstudy.csv", import.meta.url), "utf8").trim().split("\n");
const sleepWith = (line: number, column: number, cell: string) => sleep.map((l, i) => (i === line - 1 ? l.split(",").map((c, j) => (j === column ? cell : c)).join(",") : l)).join("\n");
const readData = (text: string | Uint8Array, options: ReadCsvOptions = {}) => () => readCsvColumns(text, { file: "data.csv", ...options });
const fitCsv = (text: string, formula = "Reaction ~ Days + (Days | Subject)") => () => {
  const csv = readCsvColumns(text, { file: "data.csv" });
  checkFormulaColumns(csv, formula);
  return lmm(formula, csv.dataColumns());
};
const schema = (text: string) => () => parseColumnSchema(text, "data.columns.json");
const latin1 = Uint8Array.from([...new TextEncoder().encode("y,site\n1,Caf"), 0xe9, 0x0a]);

// A full disk: a file system in memory whose writes fail with ENOSPC.
const fullDisk: AtomicWriteFs = {
  open: async () => ({ write: async () => { throw Object.assign(new Error("ENOSPC"), { code: "ENOSPC" }); }, sync: async () => {}, close: async () => {}, chmod: async () => {} }),
  rename: async () => {}, unlink: async () => {}, realpath: async (p) => p, stat: async () => ({ mode: 0o644 }),
};

// A tiny PLINK fileset (12 individuals, 3 SNPs) for the scan's degenerate inputs.
const N = 12;
const genotypes = () => {
  const codes = [[0, 2, 3, 2, 0, 3, 2, 2, 3, 0, 2, 3], [2, 2, 0, 3, 3, 0, 2, 3, 0, 2, 2, 3], [3, 0, 2, 2, 0, 3, 3, 2, 0, 2, 3, 0]];
  const bed = [0x6c, 0x1b, 0x01, ...codes.flatMap((snp) => [0, 1, 2].map((b) => snp.slice(4 * b, 4 * b + 4).reduce((byte, c, k) => byte | (c << (2 * k)), 0)))];
  return readPlink({ bed: Uint8Array.from(bed), bim: [1, 2, 3].map((k) => `1\tsnp${k}\t0\t${100 * k}\tA\tG`).join("\n"), fam: Array.from({ length: N }, (_, i) => `f${i} i${i} 0 0 1 -9`).join("\n") });
};
const phenotype = Float64Array.from({ length: N }, (_, i) => Math.sin(i * 1.7) * 2 + (i % 3));
const related = { n: N, values: Float64Array.from({ length: N * N }, (_, k) => (Math.floor(k / N) === k % N ? 1 : Math.abs(Math.floor(k / N) - (k % N)) < 3 ? 0.3 : 0.05)) };
const scan = (options: Partial<Parameters<typeof lmmScan>[0]>) => async () => lmmScan({ genotypes: await genotypes(), phenotype, kinship: related, ...options });
const scanWarning = async () => {
  const g = await genotypes();
  const dosage = new Float64Array(N);
  g.read(0, 1, dosage);
  return `SNP_TEST_UNDEFINED: ${(await lmmScan({ genotypes: g, phenotype, kinship: related, covariates: [dosage] })).warnings[0]}`;
};

const halves = async () => {
  const sleepData = readCsvColumns(sleep.join("\n"));
  const subject = sleepData.column("Subject").values as ArrayLike<number>;
  const days = sleepData.numbers("Days");
  const data = { ...sleepData.dataColumns(), Days2: days.map((d) => d * d), half: Array.from(subject, (s) => (s < 335 ? "first" : "second")) };
  const r = await clusterInfluence(lmm("Reaction ~ Days + Days2 + (Days | Subject)", data), { data, group: "half" });
  return `COOKS_UNDEFINED: ${r.warnings[0]}`;
};
const largeResults = async () => {
  const pool = createPool<{ column: (n: number) => Float64Array }>({ workerUrl: new URL("../../packages/core/test/fixtures/largeResults.js", import.meta.url), size: 1 });
  try {
    return await pool.run("column", [375_000, 375_000], { chunkSize: 2 });
  } finally {
    await pool.close();
  }
};

export const CATALOGUE: CatalogueEntry[] = [
  // Formulas
  { area: "formula", input: "unbalanced parentheses `y ~ x + (1 | g`", run: fitOf("y ~ x + (1 | g"), error: "FormulaSyntaxError", names: /character 15: expected '\)' matching '\(' at character 9/ },
  { area: "formula", input: "a closing parenthesis too many `y ~ x + (1 | g))`", run: fitOf("y ~ x + (1 | g))"), error: "FormulaSyntaxError", names: /character 16.*parentheses do not match/ },
  { area: "formula", input: "empty random term `y ~ x + ( | g)`", run: fitOf("y ~ x + ( | g)"), error: "FormulaSyntaxError", names: /a term left of '\|'/ },
  { area: "formula", input: "nothing left of the bar `y ~ x + (0 | g)`", run: fitOf("y ~ x + (0 | g)"), error: "FormulaTermError", names: /nothing is left of the bar/ },
  { area: "formula", input: "no grouping factor `y ~ (1 | )`", run: fitOf("y ~ (1 | )"), error: "FormulaSyntaxError", names: /a grouping factor right of '\|'/ },
  { area: "formula", input: "`|` outside parentheses `y ~ x + 1 | g`", run: fitOf("y ~ x + 1 | g"), error: "FormulaSyntaxError", names: /'\|' only inside parentheses/ },
  { area: "formula", input: "unknown operator `y ~ x $ g`", run: fitOf("y ~ x $ g"), error: "FormulaSyntaxError", names: /character 7.*"\$"/ },
  { area: "formula", input: "a function that is not a formula function `y ~ foo(x) + (1 | g)`", run: fitOf("y ~ foo(x) + (1 | g)"), error: "FormulaSyntaxError", names: /formula functions I, factor, log/ },
  { area: "formula", input: "no `~` `y + x`", run: fitOf("y + x"), error: "FormulaSyntaxError", names: /'~'/ },
  { area: "formula", input: "no random term `y ~ x`", run: fitOf("y ~ x"), error: "FormulaTermError", names: /no random-effects terms/ },
  { area: "formula", input: "a number other than 0 or 1 `y ~ 2 + x + (1 | g)`", run: fitOf("y ~ 2 + x + (1 | g)"), error: "FormulaTermError", names: /only 0 and 1/ },
  { area: "formula", input: "the response on the right `y ~ y + (1 | g)`", run: fitOf("y ~ y + (1 | g)"), error: "FormulaTermError", names: /response y also appears/ },
  // Formula functions (issue 15)
  { area: "formula functions", input: "`poly(x, d)` with d not below the number of distinct values", run: fitOf("y ~ poly(f2, 2) + (1 | g)", { f2: base.x.map((v) => (v as number) % 2) }), error: "BasisError", names: /poly\(f2, 2\): degree 2 needs at least 3 distinct values; the data have 2/ },
  { area: "formula functions", input: "`ns(x, df = 0)`", run: fitOf("y ~ ns(x, df = 0) + (1 | g)"), error: "FormulaTermError", names: /ns\(\) needs a whole df of at least 1, not 0/ },
  { area: "formula functions", input: "`bs(x, df = 2)` (fewer columns than the degree needs)", run: fitOf("y ~ bs(x, df = 2) + (1 | g)"), error: "FormulaTermError", names: /df of at least 3 with degree 3/ },
  { area: "formula functions", input: "`I()` with an unknown column", run: fitOf("y ~ I(xx^2) + (1 | g)"), error: "UnknownColumnError", names: /unknown column "xx" \(did you mean "x"\?\)/ },
  { area: "formula functions", input: "`scale()` of a constant column", run: fitOf("y ~ scale(k) + (1 | g)", { k: Array(12).fill(3) }), error: "BasisError", names: /scale\(k\): cannot divide by a scale of 0/ },
  { area: "formula functions", input: "a basis nested in arithmetic `log(poly(x, 2))`", run: fitOf("y ~ log(poly(x, 2)) + (1 | g)"), error: "FormulaTermError", names: /poly\(\) cannot be used inside another function/ },
  { area: "formula functions", input: "an unknown argument `poly(x, 2, coefs = 1)`", run: fitOf("y ~ poly(x, 2, coefs = 1) + (1 | g)"), error: "FormulaTermError", names: /poly\(\) has no argument "coefs"/ },
  { area: "formula functions", input: "`offset()` of a non-numeric column", run: fitOf("y ~ x + offset(f) + (1 | g)"), error: "InvalidValueError", names: /column "f", row 1: "u" is not a number/ },
  { area: "formula functions", input: "`offset()` inside an interaction", run: fitOf("y ~ x:offset(x) + (1 | g)"), error: "FormulaTermError", names: /offset\(\) is a term of its own/ },
  { area: "formula functions", input: "an arithmetic result that is not finite `log(x - 1)` at x = 1", run: fitOf("y ~ log(x - 1) + (1 | g)"), error: "InvalidValueError", names: /column "x", row 1: 1 has no finite log\(x - 1\)/ },
  { area: "formula functions", input: "predicting new rows when the offset was given as numbers", run: () => lmm("y ~ x + (1 | g)", data(), { offset: base.x as number[] }).predict({ x: [1], g: ["a"] }), error: "InvalidArgumentError", names: /the offset too/ },
  // Prior weights and contrasts
  { area: "weights", input: "a negative weight", run: fitOf("y ~ x + (1 | g)", { w: base.x.map((v, i) => (i === 3 ? -2 : 1)) }, { weights: "w" }), error: "InvalidValueError", names: /column "w", row 4: -2 is a negative weight/ },
  { area: "weights", input: "a weights column that is not numeric", run: fitOf("y ~ x + (1 | g)", {}, { weights: "f" }), error: "InvalidValueError", names: /column "f", row 1: "u" is not a number/ },
  { area: "weights", input: "an infinite weight (given as numbers)", run: fitOf("y ~ x + (1 | g)", {}, { weights: base.x.map((v, i) => (i === 7 ? Infinity : 1)) }), error: "InvalidValueError", names: /column "weights", row 8: Infinity is not finite/ },
  { area: "weights", input: "weights of the wrong length", run: fitOf("y ~ x + (1 | g)", {}, { weights: [1, 2, 3] }), error: "ColumnLengthError", names: /"weights" has 3 values but other columns have 12/ },
  { area: "weights", input: "an unknown weights column", run: fitOf("y ~ x + (1 | g)", {}, { weights: "wt" }), error: "UnknownColumnError", names: /unknown column "wt"/ },
  { area: "weights", input: "zero weights: the rows are left out and reported", run: () => lmm("y ~ x + (1 | g)", data({ w: base.x.map((v, i) => (i === 0 || i === 5 ? 0 : 1)) }), { weights: "w" }).warnings.map((x) => `${x.code}: ${x.message}`).join("; "), error: "warning ZERO_WEIGHTS", names: /2 rows with prior weight 0 left out of the fit \(data rows 1, 6\)/ },
  { area: "contrasts", input: "an unknown coding", run: fitOf("y ~ f + (1 | g)", {}, { contrasts: { f: "effects" } }), error: "InvalidArgumentError", names: /contrasts\["f"\]: "effects"; expected "treatment", "sum", "helmert", "poly"/ },
  { area: "contrasts", input: "contrasts for a column that is not a factor of the formula", run: fitOf("y ~ f + (1 | g)", {}, { contrasts: { x: "sum" } }), error: "InvalidArgumentError", names: /invalid contrasts: "x"; expected a factor of the formula/ },
  { area: "command line", input: "`--contrasts` that is not COLUMN=CODING", run: () => cli(["fit", "--data", "nope.csv", "--formula", "y ~ x + (1 | g)", "--contrasts", "site:sum"]), error: "exit code 2", names: /--contrasts: "site:sum"; expected COLUMN=CODING/ },
  // Dispersion formula (issue 20): a residual variance per level of a factor
  { area: "dispersion", input: "a dispersion level with a single observation", run: fitOf("y ~ x + (1 | g)", { v: ["p", "p", "p", "p", "p", "q", "q", "q", "q", "q", "q", "r"] }, { dispersion: "~ v" }), error: "DispersionError", names: /level "r" of "v" has a single observation/ },
  { area: "dispersion", input: "a dispersion level whose rows are all dropped (missing values)", run: fitOf("y ~ x + (1 | g)", { v: ["p", "p", "p", "p", "p", "q", "q", "q", "q", "q", "r", "r"], x: [1, 2, 1, 3, 2, 4, 1, 2, 5, 4, null, null] }, { dispersion: "~ v" }), error: "DispersionError", names: /level "r" of "v": all its 2 rows were dropped/ },
  { area: "dispersion", input: "a dispersion formula that is not one factor", run: fitOf("y ~ x + (1 | g)", { v: g6 }, { dispersion: "~ v + f" }), error: "DispersionError", names: /dispersion "~ v \+ f": expected a one-sided formula naming one factor/ },
  { area: "dispersion", input: "an unknown dispersion column", run: fitOf("y ~ x + (1 | g)", {}, { dispersion: "~ vendor" }), error: "UnknownColumnError", names: /unknown column "vendor"/ },
  { area: "command line", input: "`--dispersion` with a level of one row", run: () => cli(["fit", "--data", "test/reliability/data/dispersion-single.csv", "--formula", "y ~ x + (1 | g)", "--dispersion", "~ v"]), error: "exit code 2", names: /lmm fit: dispersion "~ v": level "r" of "v" has a single observation/ },
  // Model size (issue 14, item 8): refused before anything large is built
  { area: "model size", input: "`(v0 + … + v19)^20` on 80 rows (a million terms)", run: () => ResponseFits.build(`y ~ (${wide(20, 80).names.join(" + ")})^20 + (1 | g)`, wide(20, 80).data), error: "ModelSizeError", names: /expands to more than 80 terms.*80 rows/ },
  { area: "model size", input: "a fixed factor with a level per row `y ~ id`", run: fitOf("y ~ id + (1 | g)", { id: g6.map((_, i) => `r${i}`) }), error: "ModelSizeError", names: /the fixed part has 12 columns for 12 observations/ },
  { area: "model size", input: "a fixed factor of 200,000 levels", run: () => ResponseFits.build("y ~ f + (1 | g)", { y: Float64Array.from({ length: 400_000 }, (_, i) => Math.sin(i)), f: Array.from({ length: 400_000 }, (_, i) => `f${i % 200_000}`), g: Array.from({ length: 400_000 }, (_, i) => `g${i % 100}`) }), error: "ModelSizeError", names: /200000 columns; at most 4096 are supported.*usually a grouping factor, as in \(1 \| f\)/ },
  { area: "model size", input: "a formula of 6,000 terms on 80 rows", run: () => ResponseFits.build(`y ~ ${wide(6000, 80).names.join(" + ")} + (1 | g)`, wide(6000, 80).data), error: "ModelSizeError", names: /"v0 \+ v1 \+ .*" expands to more than 80 terms, and each term needs at least one column/ },
  // Data
  { area: "data", input: "unknown column", run: fitOf("y ~ z + (1 | g)"), error: "UnknownColumnError", names: /unknown column "z"/ },
  { area: "data", input: "misspelt column", run: fitOf("y ~ xx + (1 | g)"), error: "UnknownColumnError", names: /did you mean "x"/ },
  { area: "data", input: "empty data", run: () => lmm("y ~ x + (1 | g)", { y: [], x: [], g: [] }), error: "EmptyDataError", names: /no rows/ },
  { area: "data", input: "mismatched column lengths", run: fitOf("y ~ x + (1 | g)", { x: [1, 2, 3] }), error: "ColumnLengthError", names: /"x" has 3 values but other columns have 12/ },
  { area: "data", input: "non-numeric (categorical) response", run: fitOf("f ~ x + (1 | g)"), error: "ResponseError", names: /"f" is categorical/ },
  { area: "data", input: "constant response", run: fitOf("y ~ x + (1 | g)", { y: Array(12).fill(2) }), error: "ResponseError", names: /"y" is constant/ },
  { area: "data", input: "response missing in every row", run: fitOf("y ~ x + (1 | g)", { y: Array(12).fill(null) }), error: "ResponseError", names: /"y" is missing in every row/ },
  { area: "data", input: "NaN in a numeric column with `na: \"fail\"`", run: fitOf("y ~ x + (1 | g)", { x: [1, 2, NaN, 3, 2, 4, 1, 2, 5, 4, 3, 1] }, { na: "fail" }), error: "MissingValueError", names: /"x" has a missing value at row 3/ },
  { area: "data", input: "+Infinity in a numeric column", run: fitOf("y ~ x + (1 | g)", { x: [1, 2, Infinity, 3, 2, 4, 1, 2, 5, 4, 3, 1] }), error: "InvalidValueError", names: /column "x", row 3: Infinity is not finite/ },
  { area: "data", input: "-Infinity in the response", run: fitOf("y ~ x + (1 | g)", { y: [-Infinity, 2.9, 4.2, 4.4, 1.9, 2.3, 3.3, 3.0, 5.1, 4.8, 2.2, 2.6] }), error: "InvalidValueError", names: /column "y", row 1: -Infinity is not finite/ },
  { area: "data", input: "a string in a numeric column", run: fitOf("y ~ x + (1 | g)", { x: [1, 2, 3, 4, 5, "six", 7, 8, 9, 10, 11, 12] }), error: "InvalidValueError", names: /column "x", row 6: "six" is not a number/ },
  { area: "data", input: "log of a non-positive value `log(x)` with x = 0", run: fitOf("y ~ log(x) + (1 | g)", { x: [0, 2, 1, 3, 2, 4, 1, 2, 5, 4, 3, 1] }), error: "InvalidValueError", names: /column "x", row 1: 0 has no finite log\(x\)/ },
  { area: "data", input: "a value outside the given levels", run: fitOf("y ~ f + (1 | g)", {}, { levels: { f: ["u"] } }), error: "InvalidValueError", names: /"v" is not one of the given levels of "f"/ },
  { area: "data", input: "values so large their squares overflow (1e200)", run: fitOf("y ~ x + (1 | g)", { y: base.y.map((v) => (v as number) * 1e200) }), error: "FitFailedError", names: /values as large as 5\.100e\+200/ },
  { area: "formula", input: "an unquoted name with letters outside A-Z `y ~ Größe + (1 | g)`", run: fitOf("y ~ Größe + (1 | g)"), error: "FormulaSyntaxError", names: /between backticks: `Größe`/ },
  // Data files (CSV and TSV, as the CLI and readCsv read them)
  { area: "data file", input: "`Inf` (or `-Inf`, `1e400`) in a numeric column used as a number (`NaN`, `NA`, empty, `null` are missing)", run: fitCsv(sleepWith(12, 1, "Inf")), error: "CsvValueError", names: /data\.csv: line 12, column "Days": value "Inf" is not a finite number/ },
  { area: "data file", input: "a decimal comma `\"1,5\"` in a numeric column", run: fitCsv(sleepWith(12, 1, '"1,5"')), error: "CsvValueError", names: /line 12, column "Days": value "1,5" is not a number: numbers are written with a decimal point/ },
  { area: "data file", input: "a stray word in a numeric column used as a number", run: fitCsv(sleepWith(12, 1, "n/a")), error: "CsvValueError", names: /line 12, column "Days": value "n\/a" is not a number, though 179 of 180 values are numbers/ },
  { area: "data file", input: "a mostly numeric column read by `readCsv` without a schema", run: () => readCsv(sleepWith(20, 0, "high"), { file: "data.csv" }), error: "CsvValueError", names: /line 20, column "Reaction": value "high"/ },
  { area: "data file", input: "a cell that does not fit the type a `--columns` schema declares", run: readData(sleepWith(7, 1, "2.5"), { schema: { columns: [{ name: "Days", type: "integer" }] } }), error: "CsvValueError", names: /line 7, column "Days": value "2.5" is not a whole number \(the column schema declares "Days" integer\)/ },
  { area: "data file", input: "a duplicate column name", run: readData("y,x,g,x\n1,2,a,3\n"), error: "CsvHeaderError", names: /line 1: column "x" appears twice \(columns 2 and 4\)/ },
  { area: "data file", input: "a row with too few fields", run: readData("y,x,g\n1,2,a\n3,4\n"), error: "CsvFieldCountError", names: /data\.csv: line 3: 2 fields, but the header has 3 columns/ },
  { area: "data file", input: "a row with too many fields", run: readData("y,x,g\n1,2,a,b\n"), error: "CsvFieldCountError", names: /line 2: 4 fields.*quote the value/ },
  { area: "data file", input: "bytes that are not UTF-8 (a Latin-1 `é`)", run: readData(latin1), error: "CsvEncodingError", names: /line 2, byte offset 12: byte 0xe9 is not UTF-8 text; re-save the file as UTF-8.*--encoding latin1/ },
  { area: "data file", input: "UTF-16 text", run: readData(Uint8Array.of(0xff, 0xfe, 0x79, 0)), error: "CsvEncodingError", names: /UTF-16 text/ },
  { area: "data file", input: "a quoted field never closed", run: readData('y,g\n1,"a\n2,b\n'), error: "CsvSyntaxError", names: /line 2: a quoted field is opened here and never closed/ },
  { area: "data file", input: "text after a closing quote", run: readData('y,g\n1,"a"b\n'), error: "CsvSyntaxError", names: /line 2: text after the closing quote of "a"/ },
  { area: "data file", input: "an empty file", run: readData("\n"), error: "CsvHeaderError", names: /the file is empty: no header row/ },
  { area: "data file", input: "a column named `__proto__` given to an Arquero table", run: () => readCsv("y,__proto__\n1,a\n", { file: "data.csv" }), error: "CsvHeaderError", names: /column "__proto__" cannot be held by an Arquero table/ },
  { area: "column schema", input: "`null`", run: schema("null"), error: "ColumnSchemaError", names: /data\.columns\.json: expected an object with a "columns" array, found null/ },
  { area: "column schema", input: "not an object (an array)", run: schema("[]"), error: "ColumnSchemaError", names: /found an array/ },
  { area: "column schema", input: "an unknown type", run: schema('{"columns":[{"name":"x","type":"float"}]}'), error: "ColumnSchemaError", names: /column "x" has type "float"; known types: numeric, integer, factor, ordered, string, logical/ },
  { area: "column schema", input: "a column the data file does not have", run: readData("y\n1\n", { schema: { columns: [{ name: "x", type: "numeric" }] } }), error: "CsvHeaderError", names: /the column schema declares column "x", which the file does not have/ },
  { area: "data file", input: "`combat --batch site` with a blank site", run: () => cli(["combat", "--data", "test/reliability/data/blank-site.csv", "--batch", "site", "--features", "f1,f2", "--out", "test/reliability/data/harmonised.csv"]), error: "exit code 2", names: /blank-site\.csv: line 6, column "site": value "" is missing: every row needs a batch/ },
  { area: "data file", input: "a bad cell in one feature of `varpart`", run: () => cli(["varpart", "--data", "test/reliability/data/bad-feature-cell.csv", "--formula", "{feature} ~ 1 + (1 | patient) + (1 | batch)", "--features", "f*"]), error: "exit code 2", names: /bad-feature-cell\.csv: line 11, column "f2": value "high" is not a number/ },
  // Result files
  { area: "result file", input: "`--out` equal to the input `--data`", run: () => cli(["combat", "--data", "test/reliability/data/blank-site.csv", "--batch", "site", "--features", "f1,f2", "--out", "test/reliability/data/blank-site.csv"]), error: "exit code 2", names: /--out test\/reliability\/data\/blank-site\.csv: is the input --data/ },
  { area: "result file", input: "`grm --out PREFIX.bed`", run: () => cli(["grm", "--bfile", "packages/genetics/data/cohort", "--out", "packages/genetics/data/cohort.bed"]), error: "exit code 2", names: /--out packages\/genetics\/data\/cohort\.bed: is the input --bfile/ },
  { area: "result file", input: "`--out` in a directory that does not exist", run: () => cli(["grm", "--bfile", "packages/genetics/data/cohort", "--out", "no-such-dir/K.txt"]), error: "exit code 2", names: /--out no-such-dir\/K\.txt: the directory no-such-dir does not exist/ },
  { area: "result file", input: "a full disk (ENOSPC) while writing", run: () => writeFileAtomic("results.tsv", "rs\tp\n", { fs: fullDisk }), error: "OutputFileError", names: /results\.tsv: cannot write: no space left on device \(ENOSPC\); the previous file is unchanged/ },
  // Association scans
  { area: "GWAS", input: "a constant phenotype", run: scan({ phenotype: new Float64Array(N).fill(5), names: { phenotype: "y" } }), error: "DegenerateScanError", names: /phenotype "y" is constant \(5\) over the 12 analysed individuals/ },
  { area: "GWAS", input: "a phenotype whose variance overflows", run: scan({ phenotype: phenotype.map((v) => v * 1e200), names: { phenotype: "y" } }), error: "DegenerateScanError", names: /values as large as .*: their variance overflows/ },
  { area: "GWAS", input: "a covariate that is zero", run: scan({ covariates: [new Float64Array(N)], names: { covariates: ["dose"] } }), error: "DegenerateScanError", names: /covariate "dose" is zero in every analysed individual/ },
  { area: "GWAS", input: "a duplicated covariate (`--covar-cols sex,sex`)", run: scan({ covariates: [phenotype.map((_, i) => i % 2), phenotype.map((_, i) => i % 2)], names: { covariates: ["sex", "sex"] } }), error: "DegenerateScanError", names: /covariate "sex" is a copy of covariate "sex"/ },
  { area: "GWAS", input: "a kinship proportional to the identity (every test undefined)", run: scan({ kinship: { n: N, values: Float64Array.from({ length: N * N }, (_, k) => (k % (N + 1) === 0 ? 1 : 0)) } }), error: "DegenerateScanError", names: /the null model has no estimate with this kinship matrix/ },
  { area: "GWAS", input: "a SNP collinear with the covariates: its tests written as NA and counted", run: scanWarning, error: "warning SNP_TEST_UNDEFINED", names: /1 of 3 tested SNPs have an undefined test/ },
  // Diagnostics and workers
  { area: "influence", input: "fewer deleted clusters than fixed effects", run: halves, error: "warning COOKS_UNDEFINED", names: /Cook's distance is undefined for 2 deleted levels of half and 3 fixed effects.*DFBETAS only/ },
  { area: "workers", input: "results too large to send back from a worker", run: largeResults, error: "WorkerTaskError", names: /results of task "column" for payloads 0–1 \(about 6\.00 MB\) are too large to send back/ },
  // Random effects
  { area: "random effects", input: "grouping factor with one level", run: fitOf("y ~ x + (1 | h)", { h: Array(12).fill("only") }), error: "RandomEffectsError", names: /"h" has only 1 level/ },
  { area: "random effects", input: "grouping factor with as many levels as observations", run: fitOf("y ~ x + (1 | id)", { id: g6.map((_, i) => `r${i}`) }), error: "RandomEffectsError", names: /"id" has 12 levels for 12 observations/ },
  { area: "random effects", input: "more random effects than observations `(x | g)` with 6 levels, 12 rows", run: fitOf("y ~ x + (x | g)"), error: "RandomEffectsError", names: /12 random effects for 12 observations/ },
  { area: "random effects", input: "random slope on a factor with one level per group `(h | g)`", run: fitOf("y ~ x + (h | g)", { h: g6.map((l) => (l < "d" ? "p" : "q")) }), error: "RandomEffectsError", names: /hq takes a single value within every level of g/ },
  { area: "random effects", input: "perfectly collinear random-effect columns `(0 + x + x2 | g)`, x2 = 2x", run: fitOf("y ~ 1 + (0 + x + x2 | g)", { x2: (base.x as number[]).map((v) => 2 * v) }), error: "RandomEffectsError", names: /collinear: x2 is a linear combination/ },
  // Fixed effects (answered, not refused)
  { area: "fixed effects", input: "rank-deficient X (x2 = 2x + 1): column dropped and named", run: warningOf("y ~ x + x2 + (1 | g)", { x2: (base.x as number[]).map((v) => 2 * v + 1) }), error: "warning RANK_DEFICIENT", names: /dropping 1 column \/ coefficient: x2/ },
  { area: "fixed effects", input: "zero-variance covariate: dropped as aliased with the intercept", run: warningOf("y ~ x + k + (1 | g)", { k: Array(12).fill(5) }), error: "warning RANK_DEFICIENT", names: /dropping 1 column \/ coefficient: k/ },
  // Prediction and tests
  { area: "predict", input: "a new level of a grouping factor at predict", run: () => lmm("y ~ x + (1 | g)", data()).predict({ x: [1], g: ["zz"] }), error: "NewLevelError", names: /level "zz" of "g" was not in the fitted data/ },
  { area: "predict", input: "a new level of a fixed-effect factor at predict", run: () => lmm("y ~ f + (1 | g)", data()).predict({ f: ["w"], g: ["a"] }), error: "NewLevelError", names: /level "w" of "f".*only take levels it was fitted with/ },
  { area: "predict", input: "a missing value in new data (na: \"fail\")", run: () => lmm("y ~ x + (1 | g)", data()).predict({ x: [null], g: ["a"] }), error: "MissingValueError", names: /"x" has a missing value at row 1/ },
  { area: "tests", input: "models that are not nested in `anova`", run: () => anova(lmm("y ~ x + (1 | g)", data(), { reml: false }), lmm("y ~ f + (1 | g)", data(), { reml: false })), error: "NotNestedError", names: /not nested: fixed-effect column "x"/ },
  { area: "tests", input: "models fitted to different rows in `anova`", run: () => anova(lmm("y ~ x + (1 | g)", data()), lmm("y ~ x + f + (1 | g)", data({ x: [null, 2, 1, 3, 2, 4, 1, 2, 5, 4, 3, 1] }), { reml: false })), error: "DifferentDataError", names: /not fitted to the same rows/ },
  // Known covariance
  { area: "relationship matrix", input: "not square", run: fitOf("y ~ 1 + (1 | g)", {}, K([[1, 0], [0, 1]])), error: "CovarianceMatrixError", names: /has 2 rows for 6 ids/ },
  { area: "relationship matrix", input: "not symmetric", run: fitOf("y ~ 1 + (1 | g)", {}, K(I6.map((r, i) => r.map((v, j) => (i === 1 && j === 0 ? 0.5 : v))))), error: "CovarianceMatrixError", names: /not symmetric: entries \(b, a\)/ },
  { area: "relationship matrix", input: "not positive semi-definite", run: fitOf("y ~ 1 + (1 | g)", {}, K(I6.map((r, i) => r.map((v, j) => (i + j === 1 ? 2 : v))))), error: "CovarianceMatrixError", names: /not positive semi-definite .* id "b"/ },
  { area: "relationship matrix", input: "ids that do not match the data", run: fitOf("y ~ 1 + (1 | g)", {}, K(I6, ["a", "b", "c", "d", "e", "X"])), error: "CovarianceMatrixError", names: /no row for 1 id of the data: "f"/ },
  // Genotypes
  { area: "genotypes", input: "a .bed file with wrong magic bytes", run: bedFiles([0x00, 0x01, 0x02, 0]), error: "BedMagicError", names: /magic/ },
  { area: "genotypes", input: "a truncated .bed file", run: () => readPlink({ bed: Uint8Array.from([0x6c, 0x1b, 0x01]), bim: "1\tsnp1\t0\t100\tA\tG\n1\tsnp2\t0\t200\tA\tG\n", fam: "f1 i1 0 0 1 -9\nf2 i2 0 0 2 -9\n" }), error: "BedTruncatedError", names: /\.bed truncated at byte offset 3: SNP 1 of 2/ },
  // Tables, features, plans, CLI
  { area: "features", input: "a formula template without `{feature}`", run: () => fitEach(table(data() as Record<string, unknown[]>), "y ~ x + (1 | g)", ["y"]), error: "FormulaTemplateError", names: /\{feature\}/ },
  { area: "harmonisation", input: "a batch with a single sample (ComBat)", run: () => combat({ features: { y: base.y as number[] }, batch: [...g6.slice(0, 10), "e", "solo"] }), error: "SingletonBatchError", names: /batch "solo" has a single sample/ },
  { area: "batch detection", input: "a non-numeric feature", run: () => batchClassifier({ y: base.f as unknown as number[] }, g6), error: "InvalidValueError", names: /"y"/ },
  { area: "plan", input: "a plan with an unknown df method", run: () => plan({ formula: "y ~ x + (1 | g)", ddf: "none" as never }), error: "PlanFieldError", names: /ddf.*"satterthwaite", "kenward-roger" or "residual"/ },
  { area: "plan", input: "a plan with an unknown diagnostic", run: () => plan({ formula: "y ~ x + (1 | g)", diagnostics: ["astrology" as never] }), error: "UnknownDiagnosticError", names: /unknown diagnostic "astrology"/ },
  { area: "command line", input: "a data file that does not exist", run: () => cli(["fit", "--data", "nope.csv", "--formula", "y ~ x + (1 | g)"]), error: "exit code 2", names: /nope\.csv: no such file/ },
  { area: "command line", input: "an unknown option", run: () => cli(["fit", "--bogus"]), error: "exit code 2", names: /--bogus/ },
  { area: "command line", input: "an unknown command", run: () => cli(["fitt"]), error: "exit code 2", names: /unknown command "fitt": the commands are fit, / },
  { area: "options", input: "an optimizer that is not ours (lme4's Nelder_Mead)", run: fitOf("y ~ x + (1 | g)", {}, { optimizer: "Nelder_Mead" }), error: "InvalidArgumentError", names: /optimizer: "Nelder_Mead"; expected "auto", "bobyqa"/ },
  { area: "options", input: "`optimizer: \"quasi-newton\"` for a model without the exact gradient (one grouping factor)", run: fitOf("y ~ x + (1 | g)", {}, { optimizer: "quasi-newton" }), error: "InvalidArgumentError", names: /optimizer: "quasi-newton"; expected "bobyqa" or "auto" for this model/ },
  { area: "options", input: "a start θ of the wrong length", run: fitOf("y ~ x + (1 | g)", {}, { start: [1, 2] }), error: "InvalidArgumentError", names: /2 values.*1 values \(θ: g\.\(Intercept\)\)/ },
  // Fits from sums computed by SQL (DuckDB, ClickHouse)
  { area: "SQL fit", input: "a basis learned from the rows in per-feature fits (`fitSqlEach`) without its parameters", run: sqlFitOf("y ~ poly(x, 2) + (1 | g)", undefined, { by: "f" }), error: "NotAggregableError", names: /poly\(x, 2\) cannot be fitted from grouped sums: per-feature fits would learn its parameters per feature/ },
  { area: "SQL fit", input: "`poly(x, 20)` with fewer distinct values of x", run: sqlFitOf("y ~ poly(x, 20) + (1 | g)"), error: "BasisError", names: /poly\(x, 20\).*degree 20 needs at least 21 distinct values/ },
  { area: "SQL fit", input: "negative prior weights", run: sqlFitOf("y ~ x + (1 | g)", "SELECT *, x - 3 AS w FROM d", { weights: "w" }), error: "SqlNegativeWeightError", names: /weights column "w": \d+ rows have a negative weight \(the smallest is -?\d/ },
  { area: "SQL fit", input: "prior weights given as numbers instead of a column", run: sqlFitOf("y ~ x + (1 | g)", undefined, { weights: [1, 2] as never }), error: "InvalidArgumentError", names: /weights.*a numeric column of the source/ },
  { area: "SQL fit", input: "`log(z)` where z is 0 in a row", run: sqlFitOf("y ~ log(z) + (1 | g)"), error: "SqlValueError", names: /log\(z\) is not a finite number in some rows \(DuckDB: .*logarithm of zero\)/ },
  { area: "SQL fit", input: "a column the source does not have", run: sqlFitOf("y ~ w + (1 | g)"), error: "UnknownColumnError", names: /unknown column "w"/ },
  { area: "SQL fit", input: "a query the engine refuses", run: sqlFitOf("y ~ x + (1 | g)", "SELECT * FROM no_such_table"), error: "SqlEngineError", names: /DuckDB: .*no_such_table/ },
  { area: "SQL fit", input: "a text column used in arithmetic `log(f)`", run: sqlFitOf("y ~ log(f) + (1 | g)"), error: "NotAggregableError", names: /column "f" holds categories/ },
  { area: "command line", input: "`--table` without a DuckDB database", run: () => cli(["fit", "--data", "cells.parquet", "--table", "t", "--formula", "y ~ x + (1 | g)"]), error: "exit code 2", names: /--table: "t"; expected used with --data duckdb:FILE/ },
  { area: "SQL fit", input: "a stray word in a numeric column of a CSV read by DuckDB (`--engine duckdb`)", run: () => cli(["fit", "--data", "test/reliability/data/stray-days.csv", "--engine", "duckdb", "--formula", "Reaction ~ Days + (1 | Subject)"]), error: "exit code 2", names: /stray-days\.csv: line 12, column "Days": value "n\/a" is not a number, though 179 of 180 values are numbers/ },
  { area: "SQL fit", input: "SQL fits of different rows in `anovaSql`", run: async () => anovaSql(await sqlFitOf("y ~ x + (1 | g)")(), await sqlFitOf("y ~ x + f + (1 | g)", "SELECT * FROM d WHERE x <> 5")()), error: "DifferentDataError", names: /not fitted to the same rows: 12 and 11 observations/ },
  { area: "SQL fit", input: "SQL fits that are not nested in `anovaSql`", run: async () => anovaSql(await sqlFitOf("y ~ x + (1 | g)")(), await sqlFitOf("y ~ f + (1 | g)")()), error: "NotNestedError", names: /not nested: fixed-effect column "x"/ },
  { area: "SQL fit", input: "Kenward–Roger df of an ML SQL fit (`coefficientsSql`)", run: async () => coefficientsSql(await sqlFitOf("y ~ x + (1 | g)", undefined, { reml: false })(), { ddf: "kenward-roger" }), error: "RemlRequiredError", names: /Kenward-Roger is only available for REML fits/ },
  { area: "SQL fit", input: "a type III table whose hypotheses only the rows give (`anovaTypeIIISql`; w = 2x + 1 aliased and dropped)", run: async () => anovaTypeIIISql(await sqlFitOf("y ~ f + x + w + (1 | g)", "SELECT *, 2 * x + 1 AS w FROM d")()), error: "NotAggregableError", names: /the type III test of w cannot be fitted from grouped sums/ },
  { area: "SQL fit", input: "a bootstrap of sums no rows can have (a cell whose Σx² is below (Σx)²/n)", run: () => bootstrapAggregated(fitAggregated(planAggregation(modelVariables("y ~ x + (1 | g)"), { y: "numeric", x: "numeric", g: "categorical" }, new Map()), { groups: { g: ["a", "b", "c"] }, counts: [2, 2, 2], sums: [[2, 2, 2], [3, 8, 9], [3, 7, 11], [4.4, 34, 53], [5, 29, 52], [5, 25, 61]] }), 10), error: "NotAggregableError", names: /the parametric bootstrap cannot be fitted from grouped sums: cell 1's cross-products are not those of any rows/ },
  { area: "SQL fit", input: "a copy of an SQL fit (its sums are not copied) in `anovaSql`", run: async () => { const f = await sqlFitOf("y ~ x + (1 | g)")(); return anovaSql(f, { ...f }); }, error: "InvalidArgumentError", names: /a copy of a fit from sums.*the object fitSql/ },
  { area: "SQL fit", input: "a dispersion level with a single observation", run: sqlFitOf("y ~ x + (1 | g)", "SELECT *, CASE WHEN x = 5 THEN 'solo' ELSE f END AS site FROM d", { dispersion: "~ site" }), error: "DispersionError", names: /level "solo" of "site" has a single observation/ },
  { area: "SQL fit", input: "a dispersion formula on a model without an intercept (no Σy per level for its start)", run: sqlFitOf("y ~ 0 + x + (0 + x | g)", undefined, { dispersion: "~ f" }), error: "NotAggregableError", names: /the dispersion formula ~ f cannot be fitted from grouped sums: its starting values need Σy per level/ },
  { area: "SQL fit", input: "`anovaSql` of a fit with a dispersion formula (δ would need re-estimating from the sums)", run: async () => anovaSql(await sqlFitOf("y ~ x + (1 | g)", undefined, { dispersion: "~ f" })(), await sqlFitOf("y ~ 1 + (1 | g)", undefined, { dispersion: "~ f" })()), error: "NotAggregableError", names: /a likelihood-ratio test of a fit with a dispersion formula \(~ f\) cannot be fitted from grouped sums/ },
  { area: "SQL fit", input: "Kenward–Roger df of an SQL fit with a dispersion formula", run: async () => coefficientsSql(await sqlFitOf("y ~ x + (1 | g)", undefined, { dispersion: "~ f" })(), { ddf: "kenward-roger" }), error: "NotAggregableError", names: /Kenward-Roger's adjustment of a fit with a dispersion formula \(~ f\) cannot be fitted from grouped sums/ },
  { area: "SQL fit", input: "a bootstrap of an SQL fit with a dispersion formula", run: async () => confintSql(await sqlFitOf("y ~ x + (1 | g)", undefined, { dispersion: "~ f" })(), { method: "boot", nsim: 5 }), error: "NotAggregableError", names: /the parametric bootstrap of a fit with a dispersion formula \(~ f\) cannot be fitted from grouped sums/ },
  { area: "SQL fit", input: "`workers: -1` in `fitSqlEach`", run: () => withBaseTable((engine) => fitSqlEach(engine, { query: "SELECT 'a' AS feature, * FROM d" }, "y ~ x + (1 | g)", { by: "feature", workers: -1 })), error: "InvalidArgumentError", names: /invalid workers: -1; expected a whole number ≥ 0 or a pool/ },
  { area: "SQL fit", input: "`varpartSql` of a model without an intercept (no column sums for var(Xβ))", run: () => withBaseTable((engine) => varpartSql(engine, { query: "SELECT 'a' AS feature, * FROM d" }, "y ~ 0 + x + (0 + x | g)", { by: "feature" })), error: "NotAggregableError", names: /the variance of Xβ cannot be fitted from grouped sums: the sums hold no column totals/ },
  { area: "command line", input: "`--columns` with an SQL source (not a CSV file)", run: () => cli(["fit", "--sql", "SELECT 1 AS y", "--columns", "x.columns.json", "--formula", "y ~ x + (1 | g)"]), error: "exit code 2", names: /--columns: "x\.columns\.json"; expected used with CSV files/ },
  { area: "command line", input: "`--encoding latin1` with a glob of CSV files (DuckDB reads UTF-8)", run: () => cli(["fit", "--data", "test/reliability/data/*.csv", "--encoding", "latin1", "--formula", "Reaction ~ Days + (1 | Subject)"]), error: "exit code 2", names: /--encoding: "latin1"; expected utf-8 with a glob of CSV files/ },
  { area: "command line", input: "`--engine` that is neither memory nor duckdb", run: () => cli(["fit", "--data", "x.csv", "--engine", "spark", "--formula", "y ~ x + (1 | g)"]), error: "exit code 2", names: /--engine: "spark"; expected memory or duckdb/ },
  { area: "command line", input: "a Parquet file that does not exist", run: () => cli(["fit", "--data", "nope.parquet", "--formula", "y ~ x + (1 | g)"]), error: "exit code 2", names: /nope\.parquet: no such file/ },
];

/** Runs an entry and returns the error class name (or warning) and its message. */
export async function outcome(entry: CatalogueEntry): Promise<{ kind: string; message: string }> {
  try {
    const value = await entry.run();
    if (entry.error.startsWith("warning ")) return { kind: `warning ${String(value).split(":")[0]}`, message: String(value) };
    return { kind: "no error", message: "" };
  } catch (e) {
    const error = e as Error;
    return { kind: error instanceof LmmError ? error.constructor.name : error.name, message: error.message.split("\n")[0] };
  }
}

/** docs/errors.md from the catalogue and the messages the code really produces. */
export async function catalogueMarkdown(): Promise<string> {
  const rows: string[] = [];
  for (const entry of CATALOGUE) {
    const { kind, message } = await outcome(entry);
    rows.push(`| ${entry.area} | ${entry.input.replace(/\|/g, "\\|")} | \`${kind}\` | ${message.replace(/\|/g, "\\|")} |`);
  }
  return `# Catalogue of bad inputs

Every input below has a test (\`test/reliability/catalogue.test.ts\`) that checks the error class and that the
message names the culprit. Errors are typed classes extending \`LmmError\` (with a stable \`code\` and the culprit
as fields); warnings are data on the result. This file is generated from the same list by \`pnpm errors-doc\`,
and a test fails when it is out of date.

| area | input | error | message |
|---|---|---|---|
${rows.join("\n")}
`;
}
