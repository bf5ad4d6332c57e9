// What an aggregated fit needs to know of a formula before any sum is computed: which columns it
// reads, how each model-matrix column is made from them (as products of numeric values, level
// indicators and contrast values — the column algebra an SQL generator renders), and which columns
// group the rows. The coding is R's, decided by the same `codeTerms` as an in-memory fit, so the
// columns, their names and their order are the same.
import { NotAggregableError } from "../errors/aggregate.js";
import { ResponseError } from "../errors/data.js";
import { FormulaTermError } from "../errors/formula.js";
import { parseFormula } from "../formula/parse.js";
import { expandFormula, type ModelSpec, type RandomTermSpec, type VariableRef } from "../formula/terms.js";
import { contrastMatrix, resolveContrasts, type ContrastName } from "../frame/contrasts.js";
import { codeTerms, type ModelMatrixCoding, type VariableCoding } from "../frame/modelMatrix.js";
import { basisColumns, type LearnedBasis, type LearnedTransforms } from "../frame/basis/index.js";

/** How a data column is read: as numbers, or as categories (text, booleans). */
export type ColumnKind = "numeric" | "categorical";

/** One factor of a model-matrix column. */
export type Atom =
  /** A numeric variable's value (a column or an element-wise expression, by its label). */
  | { kind: "value"; variable: string }
  /** Column `column` (0-based) of a basis (`poly`, `scale`, `ns`, `bs`) with the parameters it learned. */
  | { kind: "basis"; variable: string; column: number }
  /** 1 where the categorical variable has this level, else 0. */
  | { kind: "indicator"; variable: string; level: string }
  /** The contrast matrix's value at the variable's level (sum, helmert, poly codings). */
  | { kind: "contrast"; variable: string; values: { level: string; value: number }[] };

/** A model-matrix column: R's name and the product of atoms that gives its value in each row (none: the intercept). */
export interface PlannedColumn {
  name: string;
  atoms: Atom[];
}

/** A formula's variables, before the data are asked anything. */
export interface ModelVariables {
  formula: string;
  spec: ModelSpec;
  response: VariableRef;
  /** The variables of the fixed part and of random terms' left sides, by label. */
  terms: Map<string, VariableRef>;
  /** The data columns grouping the rows (every grouping factor's columns), in order of first use. */
  groups: string[];
  /** Every data column read, in order of first use (rows missing any are dropped). */
  columns: string[];
  /** The formula's `offset()` terms (added to the fitted values, subtracted from the response in the sums). */
  offsets: VariableRef[];
  /** The column of prior weights (null: all 1) and of the `offset` option (null: none). */
  weights: string | null;
  offset: string | null;
}

/** Columns given beside the formula: prior weights and an offset, each a column of the data. */
export interface VariableOptions {
  weights?: string;
  offset?: string;
}

/**
 * Reads a formula for an aggregated fit, with the columns of its prior weights and offset. Bases
 * (`poly`, `scale`, `ns`, `bs`) are planned with what they learn from the rows (`PlanOptions.transforms`).
 *
 * @example
 * ```ts
 * modelVariables("y ~ x + (1 | g)").groups; // ["g"]
 * ```
 */
export function modelVariables(formula: string, options: VariableOptions = {}): ModelVariables {
  const spec = expandFormula(parseFormula(formula));
  if (!spec.response) throw new FormulaTermError(formula, "a model needs a response left of '~'");
  if (spec.random.length === 0) throw new FormulaTermError(formula, "no random-effects terms; add one such as (1 | group)");
  const response = spec.response;
  const labels = new Set<string>();
  for (const t of spec.fixed.terms) for (const l of t) labels.add(l);
  for (const r of spec.random) for (const t of r.lhs.terms) for (const l of t) labels.add(l);
  const terms = new Map<string, VariableRef>();
  for (const label of labels) {
    terms.set(label, spec.variables.get(label)!);
  }
  const groups: string[] = [];
  for (const r of spec.random) for (const g of r.group) for (const c of spec.variables.get(g)!.columns) if (!groups.includes(c)) groups.push(c);
  const columns: string[] = [];
  const add = (c: string) => {
    if (!columns.includes(c)) columns.push(c);
  };
  response.columns.forEach(add);
  for (const ref of terms.values()) ref.columns.forEach(add);
  groups.forEach(add);
  const offsets = spec.offsets.map((label) => spec.variables.get(label)!);
  for (const ref of offsets) ref.columns.forEach(add);
  if (options.weights !== undefined) add(options.weights);
  if (options.offset !== undefined) add(options.offset);
  return { formula, spec, response, terms, groups, columns, offsets, weights: options.weights ?? null, offset: options.offset ?? null };
}

/** The model's columns as atoms, with the products an aggregation must sum. */
export interface AggregationPlan {
  variables: ModelVariables;
  /** Term variables read as categories (their levels order the indicator columns). */
  categorical: Map<string, string[]>;
  fixed: PlannedColumn[];
  fixedCoding: ModelMatrixCoding;
  random: { spec: RandomTermSpec; coding: ModelMatrixCoding; columns: PlannedColumn[] }[];
  /** Distinct columns (fixed and random, the same product once); the response is one more, last. */
  products: PlannedColumn[];
  /** Index in `products` of each fixed column, and of each random term's columns. */
  fixedIndex: number[];
  randomIndex: number[][];
  contrasts: Readonly<Record<string, ContrastName>>;
  /** What each basis of the model (terms and response) learned, by label: how its columns are computed. */
  transforms: LearnedTransforms;
  /** Level order given per categorical column (grouping factors' levels follow it too). */
  levels: Readonly<Record<string, readonly string[]>>;
}

/** Options of {@link planAggregation}: codings as `lmm`'s `contrasts` and `ordered`, and the bases' learned parameters (`lmm`'s `transforms`). */
export interface PlanOptions {
  contrasts?: Readonly<Record<string, ContrastName>>;
  ordered?: readonly string[];
  transforms?: LearnedTransforms;
  /** Level order per categorical column (as `lmm`'s `levels`, e.g. from a column schema); otherwise sorted. */
  levels?: Readonly<Record<string, readonly string[]>>;
}

/**
 * Plans the columns of an aggregated fit from the kinds of the data's columns and the levels (in
 * the model's order, see `factorLevels`) of every categorical term variable over the rows used.
 */
export function planAggregation(variables: ModelVariables, kinds: Readonly<Record<string, ColumnKind>>, levels: ReadonlyMap<string, string[]>, options: PlanOptions = {}): AggregationPlan {
  const { spec, response } = variables;
  if (response.kind === "factor" || (response.kind === "column" && kinds[response.column] === "categorical")) {
    throw new ResponseError(response.column, "is categorical; a linear mixed model needs a numeric response");
  }
  const categorical = new Map<string, string[]>();
  for (const label of classifyTerms(variables, kinds, options).categorical) categorical.set(label, levels.get(label) ?? []);
  const contrasts = resolveContrasts(spec, [...categorical.keys()], options);
  const transforms: Record<string, LearnedBasis> = Object.create(null);
  const learned = (ref: VariableRef): LearnedBasis => {
    const given = options.transforms && Object.prototype.hasOwnProperty.call(options.transforms, ref.label) ? options.transforms[ref.label] : undefined;
    if (!given || given.fn !== ref.basis!.fn) throw new NotAggregableError(ref.label, `the parameters ${ref.basis!.fn}() learns from the rows are not given`);
    return (transforms[ref.label] = given);
  };
  if (response.kind === "basis") learned(response);
  const source = (label: string) => {
    const l = categorical.get(label);
    if (l) return { factor: { levels: l, codes: new Int32Array(0) } };
    const ref = variables.terms.get(label)!;
    // The basis's names (one column: none; else 1, 2 …) from its parameters, without rows.
    return ref.kind === "basis" ? { columns: [], suffixes: basisColumns(learned(ref), new Float64Array(0)).suffixes } : { values: new Float64Array(0) };
  };
  const fixedCoding = codeTerms(spec.fixed, source, contrasts);
  const fixed = plannedColumns(fixedCoding);
  const random = spec.random.map((r) => {
    const coding = codeTerms(r.lhs, source, contrasts);
    return { spec: r, coding, columns: plannedColumns(coding) };
  });
  const products: PlannedColumn[] = [];
  const keys = new Map<string, number>();
  const indexOf = (c: PlannedColumn) => {
    const key = JSON.stringify(c.atoms);
    let i = keys.get(key);
    if (i === undefined) keys.set(key, (i = products.push(c) - 1));
    return i;
  };
  const fixedIndex = fixed.map(indexOf);
  const randomIndex = random.map((r) => r.columns.map(indexOf));
  return { variables, categorical, fixed, fixedCoding, random, products, fixedIndex, randomIndex, contrasts, transforms, levels: options.levels ?? {} };
}

/**
 * Which term variables are categorical (their levels are needed before planning) and which are
 * numeric (a column given levels or declared ordered is categorical, as in `lmm`); refuses arithmetic on a column of categories, naming it.
 */
export function classifyTerms(variables: ModelVariables, kinds: Readonly<Record<string, ColumnKind>>, options: PlanOptions = {}): { categorical: string[]; numeric: VariableRef[] } {
  const categorical: string[] = [];
  const numeric: VariableRef[] = [];
  for (const [label, ref] of variables.terms) {
    const declared = (options.ordered?.includes(ref.column) ?? false) || (options.levels !== undefined && Object.prototype.hasOwnProperty.call(options.levels, ref.column));
    if (ref.kind === "factor" || (ref.kind === "column" && (kinds[ref.column] === "categorical" || declared))) {
      categorical.push(label);
      continue;
    }
    for (const c of ref.columns) if (kinds[c] === "categorical") throw new NotAggregableError(label, `column ${JSON.stringify(c)} holds categories, not numbers`);
    numeric.push(ref);
  }
  return { categorical, numeric };
}

/** The columns of a coding, named and ordered as `buildModelMatrix` builds them (first variable varying fastest). */
export function plannedColumns(coding: ModelMatrixCoding): PlannedColumn[] {
  const out: PlannedColumn[] = [];
  if (coding.intercept) out.push({ name: "(Intercept)", atoms: [] });
  for (const term of coding.terms) {
    let parts: PlannedColumn[] = [{ name: "", atoms: [] }];
    for (const variable of term.variables) {
      const next: PlannedColumn[] = [];
      for (const b of variableColumns(variable)) for (const a of parts) next.push({ name: a.name ? `${a.name}:${b.name}` : b.name, atoms: [...a.atoms, ...b.atoms] });
      parts = next;
    }
    out.push(...parts);
  }
  return out;
}

function variableColumns(coding: VariableCoding): PlannedColumn[] {
  const { label } = coding;
  switch (coding.kind) {
    case "numeric":
      return [{ name: label, atoms: [{ kind: "value", variable: label }] }];
    case "matrix":
      return coding.suffixes.map((suffix, column) => ({ name: label + suffix, atoms: [{ kind: "basis", variable: label, column }] }));
    case "indicators":
      return coding.levels.map((level) => ({ name: label + level, atoms: [{ kind: "indicator", variable: label, level }] }));
    case "contrasts": {
      const name = coding.contrast ?? "treatment";
      if (name === "treatment") return coding.levels.slice(1).map((level) => ({ name: label + level, atoms: [{ kind: "indicator", variable: label, level }] }));
      const { values, suffixes } = contrastMatrix(name, coding.levels, label);
      const L = coding.levels.length;
      return suffixes.map((suffix, c) => ({
        name: label + suffix,
        atoms: [{ kind: "contrast", variable: label, values: coding.levels.map((level, l) => ({ level, value: values[c * L + l] })) }],
      }));
    }
  }
}
