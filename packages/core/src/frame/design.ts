import type { TermList } from "../formula/terms.js";
import type { Factor } from "./variables.js";

/** How one variable of a term enters the model matrix. */
export type VariableCoding =
  | { label: string; kind: "numeric" }
  /** Treatment contrasts: one column per level after the first (the reference). */
  | { label: string; kind: "contrasts"; levels: string[] }
  /** Indicators: one column per level (R codes a factor so when its margin is absent). */
  | { label: string; kind: "indicators"; levels: string[] };

/** The coding of a whole term list: enough to rebuild the same columns from new data. */
export interface DesignCoding {
  intercept: boolean;
  terms: { label: string; variables: VariableCoding[] }[];
}

/** A dense model matrix, column-major, with R's column names and the term each column comes from. */
export interface DesignMatrix {
  n: number;
  p: number;
  /** Column-major n × p. */
  data: Float64Array;
  names: string[];
  /** Term index of each column in `coding.terms`; -1 for the intercept. */
  assign: Int32Array;
  coding: DesignCoding;
}

/** Where a builder finds a variable's values: numbers, or a factor. */
export type VariableSource = (label: string) => { values: Float64Array } | { factor: Factor };

/**
 * Decides the coding of every variable in every term as R's model.matrix does: a factor gets
 * treatment contrasts when the term without it is contained in an earlier term (the intercept
 * counts as the empty term), else indicators; without an intercept the first factor of the first
 * term that has one is coded by indicators.
 */
export function codeTerms(list: TermList, source: VariableSource): DesignCoding {
  let needFull = !list.intercept;
  const terms = list.terms.map((term, t) => {
    const variables: VariableCoding[] = term.map((label) => {
      const v = source(label);
      if ("values" in v) return { label, kind: "numeric" };
      const margin = term.filter((x) => x !== label);
      const inEarlier =
        (margin.length === 0 && list.intercept) ||
        (margin.length > 0 && list.terms.slice(0, t).some((earlier) => margin.every((m) => earlier.includes(m))));
      if (needFull && v.factor.levels.length > 1) {
        needFull = false;
        return { label, kind: "indicators", levels: v.factor.levels };
      }
      return { label, kind: inEarlier || margin.length === 0 ? "contrasts" : "indicators", levels: v.factor.levels };
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
 * const X = buildDesign(coding, frame.n, (label) => lookup(label));
 * X.names; // ["(Intercept)", "Days"]
 * ```
 */
export function buildDesign(coding: DesignCoding, n: number, source: VariableSource): DesignMatrix {
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
  const factor = (v as { factor: Factor }).factor;
  const first = coding.kind === "contrasts" ? 1 : 0;
  const out: { name: string; values: Float64Array }[] = [];
  // Codes index factor.levels, which may be a subset/reordering of the coding's levels (new data).
  const map = factor.levels.map((l) => coding.levels.indexOf(l));
  for (let l = first; l < coding.levels.length; l++) {
    const values = new Float64Array(n);
    for (let i = 0; i < n; i++) values[i] = map[factor.codes[i]] === l ? 1 : 0;
    out.push({ name: coding.label + coding.levels[l], values });
  }
  return out;
}
