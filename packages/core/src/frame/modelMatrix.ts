import { ModelSizeError } from "../errors/formula.js";
import type { TermList } from "../formula/terms.js";
import { contrastMatrix, type ContrastName } from "./contrasts.js";
import type { Factor } from "./variables.js";

/** How one variable of a term enters the model matrix. */
export type VariableCoding =
  | { label: string; kind: "numeric" }
  /** A basis (`poly`, `ns` …): one column per suffix, named label + suffix (`poly(t, 2)1`). */
  | { label: string; kind: "matrix"; suffixes: string[] }
  /** Contrasts: L − 1 columns, treatment (default: one per level after the first, the reference), sum, helmert or poly. */
  | { label: string; kind: "contrasts"; levels: string[]; contrast?: ContrastName }
  /** Indicators: one column per level (R codes a factor so when its margin is absent). */
  | { label: string; kind: "indicators"; levels: string[] };

/** The coding of a whole term list: enough to rebuild the same columns from new data. */
export interface ModelMatrixCoding {
  intercept: boolean;
  terms: { label: string; variables: VariableCoding[] }[];
}

/** A dense model matrix, column-major, with R's column names and the term each column comes from. */
export interface ModelMatrix {
  n: number;
  p: number;
  /** Column-major n × p. */
  data: Float64Array;
  names: string[];
  /** Term index of each column in `coding.terms`; -1 for the intercept. */
  assign: Int32Array;
  coding: ModelMatrixCoding;
}

/** Where a builder finds a variable's values: numbers, the columns of a basis, or a factor. */
export type VariableSource = (label: string) => { values: Float64Array } | { columns: Float64Array[]; suffixes: string[] } | { factor: Factor };

/**
 * Decides the coding of every variable in every term as R's model.matrix does: a factor gets
 * treatment contrasts when the term without it is contained in an earlier term (the intercept
 * counts as the empty term), else indicators; without an intercept the first factor of the first
 * term that has one is coded by indicators.
 */
export function codeTerms(list: TermList, source: VariableSource, contrasts: Readonly<Record<string, ContrastName>> = {}): ModelMatrixCoding {
  let needFull = !list.intercept;
  const terms = list.terms.map((term, t) => {
    const variables: VariableCoding[] = term.map((label) => {
      const v = source(label);
      if ("values" in v) return { label, kind: "numeric" };
      if ("columns" in v) return { label, kind: "matrix", suffixes: v.suffixes };
      const margin = term.filter((x) => x !== label);
      const inEarlier =
        (margin.length === 0 && list.intercept) ||
        (margin.length > 0 && list.terms.slice(0, t).some((earlier) => margin.every((m) => earlier.includes(m))));
      if (needFull && v.factor.levels.length > 1) {
        needFull = false;
        return { label, kind: "indicators", levels: v.factor.levels };
      }
      if (!(inEarlier || margin.length === 0)) return { label, kind: "indicators", levels: v.factor.levels };
      const contrast = Object.prototype.hasOwnProperty.call(contrasts, label) ? contrasts[label] : "treatment";
      return contrast === "treatment" ? { label, kind: "contrasts", levels: v.factor.levels } : { label, kind: "contrasts", levels: v.factor.levels, contrast };
    });
    return { label: term.join(":"), variables };
  });
  return { intercept: list.intercept, terms };
}

/**
 * Builds the model matrix of a coding over n rows: intercept first, then each term's columns with
 * its first variable varying fastest, named as R names them (`(Intercept)`, `SexMale`, `age:SexMale`).
 *
 * @example
 * ```ts
 * const X = buildModelMatrix(coding, frame.n, (label) => lookup(label));
 * X.names; // ["(Intercept)", "Days"]
 * ```
 */
export function buildModelMatrix(coding: ModelMatrixCoding, n: number, source: VariableSource): ModelMatrix {
  const columns: Float64Array[] = [];
  const names: string[] = [];
  const assign: number[] = [];
  if (coding.intercept) {
    columns.push(new Float64Array(n).fill(1));
    names.push("(Intercept)");
    assign.push(-1);
  }
  coding.terms.forEach((term, t) => {
    let parts: { name: string; values: Float64Array }[] = [{ name: "", values: new Float64Array(n).fill(1) }];
    for (const variable of term.variables) parts = combine(parts, variableColumns(variable, n, source));
    for (const part of parts) {
      columns.push(part.values);
      names.push(part.name);
      assign.push(t);
    }
  });
  const p = columns.length;
  const data = new Float64Array(n * p);
  columns.forEach((c, j) => data.set(c, j * n));
  return { n, p, data, names, assign: Int32Array.from(assign), coding };
}

/** Product of the columns so far with a variable's columns; the earlier variables vary fastest. */
function combine(parts: { name: string; values: Float64Array }[], next: { name: string; values: Float64Array }[]) {
  const out: { name: string; values: Float64Array }[] = [];
  for (const b of next) {
    for (const a of parts) {
      const values = new Float64Array(a.values.length);
      for (let i = 0; i < values.length; i++) values[i] = a.values[i] * b.values[i];
      out.push({ name: a.name ? `${a.name}:${b.name}` : b.name, values });
    }
  }
  return out;
}

function variableColumns(coding: VariableCoding, n: number, source: VariableSource): { name: string; values: Float64Array }[] {
  const v = source(coding.label);
  if (coding.kind === "numeric") return [{ name: coding.label, values: (v as { values: Float64Array }).values }];
  if (coding.kind === "matrix") {
    const { columns } = v as { columns: Float64Array[] };
    return coding.suffixes.map((suffix, j) => ({ name: coding.label + suffix, values: columns[j] }));
  }
  const factor = (v as { factor: Factor }).factor;
  // Codes index factor.levels, which may be a subset/reordering of the coding's levels (new data).
  const map = factor.levels.map((l) => coding.levels.indexOf(l));
  const L = coding.levels.length;
  const out: { name: string; values: Float64Array }[] = [];
  if (coding.kind === "indicators" || (coding.contrast ?? "treatment") === "treatment") {
    for (let l = coding.kind === "contrasts" ? 1 : 0; l < L; l++) {
      const values = new Float64Array(n);
      for (let i = 0; i < n; i++) values[i] = map[factor.codes[i]] === l ? 1 : 0;
      out.push({ name: coding.label + coding.levels[l], values });
    }
    return out;
  }
  const { values: matrix, suffixes } = contrastMatrix(coding.contrast!, coding.levels, coding.label);
  suffixes.forEach((suffix, c) => {
    const values = new Float64Array(n);
    for (let i = 0; i < n; i++) values[i] = matrix[c * L + map[factor.codes[i]]];
    out.push({ name: coding.label + suffix, values });
  });
  return out;
}

/** Most fixed-effect columns: the dense (p + 1)² corner of the factor is formed and factored at every evaluation. */
export const MAX_FIXED_COLUMNS = 4096;
/** Most entries (n × p) of the dense fixed-effects matrix: 2²⁷ doubles, 1 GiB. */
export const MAX_FIXED_ENTRIES = 2 ** 27;

/** Number of columns a coding gives, from the levels and widths alone (nothing is built). */
export function codedColumns(coding: ModelMatrixCoding): number {
  let p = coding.intercept ? 1 : 0;
  for (const term of coding.terms) {
    let width = 1;
    for (const v of term.variables) width *= v.kind === "numeric" ? 1 : v.kind === "matrix" ? v.suffixes.length : v.kind === "indicators" ? v.levels.length : Math.max(v.levels.length - 1, 0);
    p += width;
  }
  return p;
}

/**
 * Refuses a fixed part too large to estimate or to hold, before its matrix is built: at least as
 * many columns as observations (no residual degrees of freedom; `y ~ g` with a level per row), or
 * more than {@link MAX_FIXED_COLUMNS} columns or {@link MAX_FIXED_ENTRIES} entries.
 */
export function checkFixedSize(coding: ModelMatrixCoding, n: number): void {
  const p = codedColumns(coding);
  if (p < n && p <= MAX_FIXED_COLUMNS && n * p <= MAX_FIXED_ENTRIES) return;
  const hint = largeFactorHint(coding);
  if (p >= n) throw new ModelSizeError("fixed-effect columns", p, n - 1, `the fixed part has ${p} columns for ${n} observations; a model needs fewer fixed-effect columns than observations${hint}`);
  if (p > MAX_FIXED_COLUMNS) throw new ModelSizeError("fixed-effect columns", p, MAX_FIXED_COLUMNS, `the fixed part has ${p} columns; at most ${MAX_FIXED_COLUMNS} are supported (their dense cross-product is factored at every evaluation)${hint}`);
  throw new ModelSizeError("fixed-effect entries", n * p, MAX_FIXED_ENTRIES, `the fixed-effects matrix would have ${n} × ${p} = ${n * p} entries; at most ${MAX_FIXED_ENTRIES} (1 GiB) are supported${hint}`);
}

/** The usual cause of a too-large fixed part, named: a factor of many levels that belongs in a random term. */
function largeFactorHint(coding: ModelMatrixCoding): string {
  let big: { label: string; levels: string[] } | undefined;
  for (const t of coding.terms) for (const v of t.variables) if ((v.kind === "contrasts" || v.kind === "indicators") && v.levels.length > (big?.levels.length ?? 50)) big = v;
  return big ? `; factor ${JSON.stringify(big.label)} alone has ${big.levels.length} levels: a factor with that many levels is usually a grouping factor, as in (1 | ${big.label})` : "";
}
