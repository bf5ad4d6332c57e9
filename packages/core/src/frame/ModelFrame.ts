import { EmptyDataError, MissingValueError, ResponseError } from "../errors/data.js";
import { InvalidArgumentError } from "../errors/LmmError.js";
import type { ModelSpec, VariableRef } from "../formula/terms.js";
import type { LearnedBasis } from "./basis/index.js";
import { resolveContrasts, type ContrastName } from "./contrasts.js";
import { commonLength, type DataColumns, type FrameOptions } from "./data.js";
import { evaluateExpression } from "./evaluate.js";
import { isFactorVariable, readVariable, type VariableValues } from "./read.js";
import { readFactor, subsetFactor, subsetNumeric, type Factor } from "./variables.js";
import { checkWeights, readRowOption, type RowValues } from "./weights.js";
import { dispersionColumn, dispersionFactor, type DispersionFactor } from "./dispersion.js";

/** Which rows were left out: a used column had a missing value, or the row's prior weight was 0. */
export interface DroppedRows {
  count: number;
  /** 0-based data row indices, ascending. */
  indices: number[];
  /** Missing values per used column (a row can count in several columns). */
  byColumn: { column: string; missing: number }[];
  /** Rows left out because their prior weight is 0 (0-based, ascending; also in `indices`). */
  zeroWeight: number[];
}

/** The numeric columns of a basis over the used rows, with the suffixes of their names. */
export interface BasisColumns {
  columns: Float64Array[];
  suffixes: string[];
}

/** The rows and variables a model uses, after removing rows with missing values. */
export interface ModelFrame {
  spec: ModelSpec;
  /** Rows in the data. */
  nRows: number;
  /** Number of rows used. */
  n: number;
  /** 0-based data row of each used row. */
  rows: Int32Array;
  dropped: DroppedRows;
  /** The response over used rows (absent for one-sided formulas). */
  y: Float64Array | null;
  /** Numeric variables by label, over used rows. */
  numeric: Map<string, Float64Array>;
  /** Categorical variables (including every grouping factor) by label, over used rows, unused levels dropped. */
  factors: Map<string, Factor>;
  /** Bases (`poly`, `scale`, `ns`, `bs`) by label, over used rows. */
  bases: Map<string, BasisColumns>;
  /** What each basis learned, by label: applied as it is to new data (`predict`) and refits. */
  transforms: Record<string, LearnedBasis>;
  /** The codings other than treatment contrasts (sum, helmert, poly), by factor label; a factor not listed is coded by treatment. */
  contrasts: Readonly<Record<string, ContrastName>>;
  /** Prior weights over used rows (null: all 1), and the column they came from (`"weights"` for numbers given). */
  weights: Float64Array | null;
  weightsName: string | null;
  /** The total offset over used rows (offset terms plus the `offset` option; null: none). */
  offset: Float64Array | null;
  /** The `offset` option: its column (null when given as numbers) and its values over used rows; null without the option. */
  offsetOption: { column: string | null; values: Float64Array } | null;
  /** The factor of the dispersion formula over used rows (null: one residual variance). */
  dispersion: DispersionFactor | null;
}

/**
 * Reads the variables a model uses from columnar data, removes (or, with `na: "fail"`, refuses)
 * rows with missing values, and codes categorical variables. Bases learn from every row where
 * their argument is present (unless `options.transforms` gives what to use); rows with prior
 * weight 0 are left out after that.
 *
 * @example
 * ```ts
 * const frame = buildModelFrame(expandFormula(parseFormula("y ~ x + (1|g)")), { y: [1, 2, 3, 4], x: [1, 2, 3, 5], g: ["a", "a", "b", "b"] });
 * frame.n; // 4
 * ```
 */
export function buildModelFrame(spec: ModelSpec, data: DataColumns, options: FrameOptions = {}): ModelFrame {
  const columns = new Set([...spec.variables.values()].flatMap((v) => v.columns));
  for (const option of [options.weights, options.offset]) if (typeof option === "string") columns.add(option);
  const dispersionName = options.dispersion === undefined ? null : dispersionColumn(options.dispersion);
  if (dispersionName !== null) columns.add(dispersionName);
  const nRows = columns.size > 0 ? commonLength(data, columns) : rowsOf(data, options);
  const groupVars = new Set(spec.random.flatMap((r) => r.group));
  const offsetLabels = new Set(spec.offsets);
  const weights = options.weights === undefined ? null : readRowOption("weights", options.weights, data, nRows);
  if (weights) checkWeights(weights);
  // Rows of weight 0 are not part of the fit: bases learn without them (as lme4 fits of the other rows).
  const zero = weights ? Uint8Array.from(weights.values, (w) => (w === 0 ? 1 : 0)) : undefined;
  const raw = new Map<string, VariableValues>();
  const rawFactor = new Map<string, Factor>();
  const offsetTerms: { label: string; column: string; values: Float64Array }[] = [];
  for (const ref of spec.variables.values()) {
    if (spec.response && ref.label === spec.response.label) continue;
    if (groupVars.has(ref.label)) rawFactor.set(ref.label, readFactor(data, ref.column, options));
    if (offsetLabels.has(ref.label)) offsetTerms.push({ label: ref.label, column: ref.column, values: evaluateExpression(ref.expr, data, nRows, ref.label).values });
    if (usedAsTerm(spec, ref.label)) raw.set(ref.label, readVariable(data, ref, nRows, options, options.transforms, zero));
  }
  const response = spec.response ? readResponse(data, spec.response, nRows, options, zero) : null;
  const offsetOption = options.offset === undefined ? null : readRowOption("offset", options.offset, data, nRows);
  const rawDispersion = dispersionName === null ? null : readFactor(data, dispersionName, options);

  const missing = new Uint8Array(nRows);
  const byColumn: { column: string; missing: number }[] = [];
  const mark = (column: string, isNa: (i: number) => boolean) => {
    let count = 0;
    for (let i = 0; i < nRows; i++) {
      if (!isNa(i)) continue;
      if (options.na === "fail") throw new MissingValueError(column, i);
      missing[i] = 1;
      count++;
    }
    const known = byColumn.find((c) => c.column === column);
    if (!known) byColumn.push({ column, missing: count });
    else known.missing = Math.max(known.missing, count);
  };
  if (response && spec.response) mark(spec.response.column, (i) => Number.isNaN(response[i]));
  for (const [label, v] of raw) {
    const column = spec.variables.get(label)!.column;
    if (v.kind === "numeric") mark(column, (i) => Number.isNaN(v.values[i]));
    else if (v.kind === "basis") mark(column, (i) => v.missing[i] === 1 || Number.isNaN(v.columns[0][i]));
    else mark(column, (i) => v.codes[i] < 0);
  }
  for (const [label, f] of rawFactor) mark(spec.variables.get(label)!.column, (i) => f.codes[i] < 0);
  for (const o of offsetTerms) mark(o.column, (i) => Number.isNaN(o.values[i]));
  for (const o of [weights, offsetOption]) if (o) mark(o.name, (i) => Number.isNaN(o.values[i]));
  if (rawDispersion && dispersionName !== null) mark(dispersionName, (i) => rawDispersion.codes[i] < 0);

  const zeroWeight: number[] = [];
  if (weights) for (let i = 0; i < nRows; i++) if (!missing[i] && weights.values[i] === 0) zeroWeight.push(i);
  const dropped = new Uint8Array(missing);
  for (const i of zeroWeight) dropped[i] = 1;
  const indices: number[] = [];
  for (let i = 0; i < nRows; i++) if (dropped[i]) indices.push(i);
  const rows = new Int32Array(nRows - indices.length);
  for (let i = 0, k = 0; i < nRows; i++) if (!dropped[i]) rows[k++] = i;
  if (rows.length === 0) {
    if (response && spec.response && byColumn[0].missing === nRows) throw new ResponseError(spec.response.column, "is missing in every row");
    if (zeroWeight.length > 0) throw new EmptyDataError(`no rows are left: ${zeroWeight.length} rows have weight 0${indices.length > zeroWeight.length ? ` and the others miss values (${describeMissing(byColumn)})` : ""}`);
    throw new EmptyDataError(`no rows are left after removing rows with missing values (${describeMissing(byColumn)})`);
  }

  const numeric = new Map<string, Float64Array>();
  const factors = new Map<string, Factor>();
  const bases = new Map<string, BasisColumns>();
  const transforms: Record<string, LearnedBasis> = Object.create(null);
  for (const [label, v] of raw) {
    if (v.kind === "numeric") numeric.set(label, subsetNumeric(v.values, rows));
    else if (v.kind === "basis") {
      bases.set(label, { columns: v.columns.map((c) => subsetNumeric(c, rows)), suffixes: v.suffixes });
      transforms[label] = v.learned;
    } else factors.set(label, subsetFactor(v, rows));
  }
  for (const [label, f] of rawFactor) factors.set(label, subsetFactor(f, rows));
  const y = response ? subsetNumeric(response, rows) : null;
  if (y && spec.response) checkResponseVaries(y, spec.response.column);
  return {
    spec,
    nRows,
    n: rows.length,
    rows,
    dropped: { count: indices.length, indices, byColumn, zeroWeight },
    y,
    numeric,
    factors,
    bases,
    transforms,
    contrasts: resolveContrasts(spec, [...factors.keys()], options),
    weights: weights ? subsetNumeric(weights.values, rows) : null,
    weightsName: weights?.name ?? null,
    offset: totalOffset(offsetTerms, offsetOption, rows),
    offsetOption: offsetOption ? { column: typeof options.offset === "string" ? options.offset : null, values: subsetNumeric(offsetOption.values, rows) } : null,
    dispersion: rawDispersion && dispersionName !== null ? dispersionFactor(options.dispersion!, dispersionName, rawDispersion, rows) : null,
  };
}

/** The number of data rows when the formula reads no column (`y ~ 1` one-sided is impossible; only option columns). */
function rowsOf(data: DataColumns, options: FrameOptions): number {
  for (const o of [options.weights, options.offset]) if (o !== undefined && typeof o !== "string") return o.length;
  const first = Object.keys(data)[0];
  return first === undefined ? 0 : commonLength(data, [first]);
}

function usedAsTerm(spec: ModelSpec, label: string): boolean {
  const inList = (terms: string[][]) => terms.some((t) => t.includes(label));
  return inList(spec.fixed.terms) || spec.random.some((r) => inList(r.lhs.terms));
}

function readResponse(data: DataColumns, ref: VariableRef, nRows: number, options: FrameOptions, skip?: Uint8Array): Float64Array {
  if (isFactorVariable(data, ref, options)) throw new ResponseError(ref.column, "is categorical; a linear mixed model needs a numeric response");
  const v = readVariable(data, ref, nRows, options, options.transforms, skip);
  if (v.kind === "basis") return v.columns[0];
  return (v as { values: Float64Array }).values;
}

function totalOffset(terms: { values: Float64Array }[], option: RowValues | null, rows: Int32Array): Float64Array | null {
  if (terms.length === 0 && !option) return null;
  const out = new Float64Array(rows.length);
  for (const t of terms) for (let i = 0; i < rows.length; i++) out[i] += t.values[rows[i]];
  if (option) for (let i = 0; i < rows.length; i++) out[i] += option.values[rows[i]];
  return out;
}

function checkResponseVaries(y: Float64Array, column: string): void {
  for (let i = 1; i < y.length; i++) if (y[i] !== y[0]) return;
  throw new ResponseError(column, `is constant (every used value is ${y[0]}); there is no variation to model`);
}

function describeMissing(byColumn: { column: string; missing: number }[]): string {
  return byColumn
    .filter((c) => c.missing > 0)
    .map((c) => `${JSON.stringify(c.column)}: ${c.missing} missing`)
    .join(", ");
}

/**
 * The response of a formula over every row of the data (NaN where missing): its column, or the
 * expression of columns it names (`log(y)`, `I(y / baseline)`, `scale(y)`), evaluated as the model
 * frame evaluates it. What fitting one model per feature column uses to read each feature.
 *
 * @example
 * ```ts
 * responseValues(expandFormula(parseFormula("log(y) ~ x + (1 | g)")), { y: [1, Math.E], x: [0, 1], g: ["a", "b"] }); // Float64Array [0, 1]
 * ```
 */
export function responseValues(spec: ModelSpec, data: DataColumns, options: FrameOptions = {}): Float64Array {
  if (!spec.response) throw new InvalidArgumentError("formula", spec.formula, "a response left of '~'");
  const nRows = commonLength(data, spec.response.columns);
  return readResponse(data, spec.response, nRows, options);
}
