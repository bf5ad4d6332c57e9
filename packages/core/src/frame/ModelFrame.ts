import { EmptyDataError, MissingValueError, ResponseError } from "../errors/data.js";
import type { ModelSpec, VariableRef } from "../formula/terms.js";
import { commonLength, type DataColumns, type FrameOptions } from "./data.js";
import { isCategorical, readFactor, readNumeric, subsetFactor, subsetNumeric, type Factor, type RawVariable } from "./variables.js";

/** Which rows were left out because a used column had a missing value. */
export interface DroppedRows {
  count: number;
  /** 0-based data row indices, ascending. */
  indices: number[];
  /** Missing values per used column (a row can count in several columns). */
  byColumn: { column: string; missing: number }[];
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
}

/**
 * Reads the variables a model uses from columnar data, removes (or, with `na: "fail"`, refuses)
 * rows with missing values, and codes categorical variables.
 *
 * @example
 * ```ts
 * const frame = buildModelFrame(expandFormula(parseFormula("y ~ x + (1|g)")), { y: [1, 2, 3, 4], x: [1, 2, 3, 5], g: ["a", "a", "b", "b"] });
 * frame.n; // 4
 * ```
 */
export function buildModelFrame(spec: ModelSpec, data: DataColumns, options: FrameOptions = {}): ModelFrame {
  const columns = new Set([...spec.variables.values()].map((v) => v.column));
  const nRows = commonLength(data, columns);
  const groupVars = new Set(spec.random.flatMap((r) => r.group));
  const raw = new Map<string, RawVariable>();
  const rawFactor = new Map<string, Factor>();
  for (const ref of spec.variables.values()) {
    if (ref === spec.response || (spec.response && ref.label === spec.response.label)) continue;
    if (groupVars.has(ref.label)) rawFactor.set(ref.label, readFactor(data, ref.column, options));
    if (usedAsTerm(spec, ref.label)) raw.set(ref.label, readTermVariable(data, ref, options));
  }
  const response = spec.response ? readResponse(data, spec.response, options) : null;

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
    if (!byColumn.some((c) => c.column === column)) byColumn.push({ column, missing: count });
  };
  if (response && spec.response) mark(spec.response.column, (i) => Number.isNaN(response[i]));
  for (const [label, v] of raw) {
    const column = spec.variables.get(label)!.column;
    if (v.kind === "numeric") mark(column, (i) => Number.isNaN(v.values[i]));
    else mark(column, (i) => v.codes[i] < 0);
  }
  for (const [label, f] of rawFactor) mark(spec.variables.get(label)!.column, (i) => f.codes[i] < 0);

  const indices: number[] = [];
  for (let i = 0; i < nRows; i++) if (missing[i]) indices.push(i);
  const rows = new Int32Array(nRows - indices.length);
  for (let i = 0, k = 0; i < nRows; i++) if (!missing[i]) rows[k++] = i;
  if (rows.length === 0) {
    if (response && spec.response && byColumn[0].missing === nRows) throw new ResponseError(spec.response.column, "is missing in every row");
    throw new EmptyDataError(`no rows are left after removing rows with missing values (${describeMissing(byColumn)})`);
  }

  const numeric = new Map<string, Float64Array>();
  const factors = new Map<string, Factor>();
  for (const [label, v] of raw) {
    if (v.kind === "numeric") numeric.set(label, subsetNumeric(v.values, rows));
    else factors.set(label, subsetFactor(v, rows));
  }
  for (const [label, f] of rawFactor) factors.set(label, subsetFactor(f, rows));
  const y = response ? subsetNumeric(response, rows) : null;
  if (y && spec.response) checkResponseVaries(y, spec.response.column);
  return {
    spec,
    nRows,
    n: rows.length,
    rows,
    dropped: { count: indices.length, indices, byColumn },
    y,
    numeric,
    factors,
  };
}

function usedAsTerm(spec: ModelSpec, label: string): boolean {
  const inList = (terms: string[][]) => terms.some((t) => t.includes(label));
  return inList(spec.fixed.terms) || spec.random.some((r) => inList(r.lhs.terms));
}

function readTermVariable(data: DataColumns, ref: VariableRef, options: FrameOptions): RawVariable {
  if (ref.transform === "factor" || (!ref.transform && isCategorical(data, ref.column, options))) {
    return { kind: "factor", ...readFactor(data, ref.column, options) };
  }
  return { kind: "numeric", values: readNumeric(data, ref) };
}

function readResponse(data: DataColumns, ref: VariableRef, options: FrameOptions): Float64Array {
  if (ref.transform === "factor" || (!ref.transform && isCategorical(data, ref.column, options))) {
    throw new ResponseError(ref.column, "is categorical; a linear mixed model needs a numeric response");
  }
  return readNumeric(data, ref);
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
