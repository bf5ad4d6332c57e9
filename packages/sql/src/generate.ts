// The SQL of an aggregated fit, engine-neutral: every query is a SELECT over one FROM item with
// WHERE, GROUP BY, COUNT(*), SUM, MIN, MAX, DISTINCT, CASE WHEN and arithmetic — the portable subset
// (docs/sql.md) — plus what the dialect renders (quoting, casts, NaN tests, function names).
import type { FormulaNode, VariableRef } from "@lmm/core";
import { productPairs, type AggregationPlan, type Atom, type ColumnKind, type ModelVariables, type PlannedColumn } from "@lmm/core/aggregate";
import { NotAggregableError } from "@lmm/core";
import type { SqlDialect, SqlType } from "./engine.js";
import { basisSql } from "./bases.js";

/** The engine's type of each column the model reads. */
export type ColumnTypes = Readonly<Record<string, SqlType>>;

/** How the model reads a column of this type: numbers as numbers, text and booleans as categories. */
export function columnKind(type: SqlType): ColumnKind {
  return type === "number" ? "numeric" : "categorical";
}

/**
 * Where the rows are: a table (or view) by name, a query, or a FROM item written for the engine
 * (`read_parquet('cells/*.parquet')`). The last two are SQL the caller trusts: they are run as given.
 */
export type SqlSource = { table: string } | { query: string } | { from: string };

/** The FROM item of a source. */
export function fromItem(source: SqlSource, d: SqlDialect): string {
  if ("table" in source) return source.table.split(".").map(d.identifier).join(".");
  if ("query" in source) return `(${source.query}) AS lmm_source`;
  return source.from;
}

/** The columns and their types, without reading a row. */
export function columnsQuery(source: SqlSource, d: SqlDialect): string {
  return `SELECT * FROM ${fromItem(source, d)} LIMIT 0`;
}

/** True where a column is missing: NULL, or NaN in a numeric column. */
function missing(column: string, type: SqlType, d: SqlDialect): string {
  const c = d.identifier(column);
  return type === "number" ? `(${c} IS NULL OR ${d.isNaN(c)})` : `${c} IS NULL`;
}

/** True where a row is used: no column the model reads is missing, and its prior weight (if any) is not 0. */
export function keptCondition(variables: ModelVariables, kinds: ColumnTypes, d: SqlDialect): string {
  const present = presentCondition(variables, kinds, d);
  return variables.weights === null ? present : `${present} AND ${weightSql(variables, d)} <> ${d.double(0)}`;
}

/** True where no column the model reads is missing. */
function presentCondition(variables: ModelVariables, kinds: ColumnTypes, d: SqlDialect): string {
  return variables.columns.map((c) => `NOT ${missing(c, kinds[c], d)}`).join(" AND ");
}

/** The prior weight of a row as a double (the weights column must be set). */
function weightSql(variables: ModelVariables, d: SqlDialect): string {
  return d.toDouble(d.identifier(variables.weights!));
}

/**
 * One pass over the source: rows, rows dropped (a missing value, or prior weight 0) and missing
 * values per column read; over the rows used, the response's range and, per numeric variable, the
 * rows where it is not finite; with prior weights, the negative ones (over every row, as `lmm`
 * checks them) and Σ log w over the rows used. With `by`, one row of these per key.
 */
export function summaryQuery(source: SqlSource, variables: ModelVariables, numeric: VariableRef[], types: ColumnTypes, d: SqlDialect, by?: string): string {
  const kept = keptCondition(variables, types, d);
  const w = variables.weights === null ? null : weightSql(variables, d);
  const y = d.toDouble(expressionSql(variables.response.expr, d));
  const select = [
    ...(by === undefined ? [] : [`${d.identifier(by)} AS by_key`]),
    "COUNT(*) AS n_rows",
    `SUM(CASE WHEN ${kept} THEN 0 ELSE 1 END) AS n_dropped`,
    ...variables.columns.map((c, i) => `SUM(CASE WHEN ${missing(c, types[c], d)} THEN 1 ELSE 0 END) AS missing_${i}`),
    `MIN(CASE WHEN ${kept} THEN ${y} END) AS y_min`,
    `MAX(CASE WHEN ${kept} THEN ${y} END) AS y_max`,
    ...numeric.map((ref, i) => `SUM(CASE WHEN ${kept} AND NOT ${d.isFinite(expressionSql(ref.expr, d))} THEN 1 ELSE 0 END) AS infinite_${i}`),
    ...(w === null ? [] : [`SUM(CASE WHEN ${w} < ${d.double(0)} THEN 1 ELSE 0 END) AS negative_weights`, `MIN(${w}) AS min_weight`, `SUM(CASE WHEN ${kept} AND ${w} > ${d.double(0)} THEN ${d.call("ln", w)} END) AS log_weights`, `SUM(CASE WHEN ${presentCondition(variables, types, d)} AND ${w} = ${d.double(0)} THEN 1 ELSE 0 END) AS zero_weights`]),
  ];
  return `SELECT ${select.join(", ")} FROM ${fromItem(source, d)}${by === undefined ? "" : ` GROUP BY ${d.identifier(by)}`}`;
}

/** The distinct values of a categorical variable's column over the rows used. */
export function levelsQuery(source: SqlSource, column: string, variables: ModelVariables, kinds: ColumnTypes, d: SqlDialect): string {
  return `SELECT DISTINCT ${d.identifier(column)} AS level FROM ${fromItem(source, d)} WHERE ${keptCondition(variables, kinds, d)}`;
}

/**
 * The sufficient statistics: for every combination of the grouping columns' values (a cell), the
 * number of rows and Σ a·b over its rows for every pair of model-matrix columns and the response
 * (`productPairs`), categorical columns expanded by CASE, every product in double precision (the
 * constant column is left out of a product: 1·x is x to the bit). One flat SELECT … GROUP BY over
 * the source, so a distributed engine aggregates on each shard. With `by` (a long table's feature
 * column) its value leads each cell: every feature's sums in one pass. `checks` (from
 * {@link cellChecks}) are appended after the sums.
 */
export function cellsQuery(source: SqlSource, plan: AggregationPlan, types: ColumnTypes, d: SqlDialect, by?: string, checks: readonly string[] = []): string {
  const groups = [...(by === undefined ? [] : [by]), ...plan.variables.groups].map((g) => d.identifier(g));
  const values = [...plan.products.map((c) => (c.atoms.length === 0 ? null : columnSql(c, plan, types, d))), responseLessOffset(plan, d)];
  const w = plan.variables.weights === null ? null : weightSql(plan.variables, d);
  const product = (a: number, b: number) => {
    const factors = [w, values[a], values[b]].filter((f): f is string => f !== null);
    return factors.length === 0 ? d.double(1) : factors.join(" * ");
  };
  const sums = productPairs(plan).map(([a, b], i) => `SUM(${product(a, b)}) AS s_${i}`);
  const select = [...groups.map((g, i) => `${g} AS g_${i}`), "COUNT(*) AS n", ...sums, ...checks];
  return `SELECT ${select.join(", ")} FROM ${fromItem(source, d)} WHERE ${keptCondition(plan.variables, types, d)} GROUP BY ${groups.join(", ")}`;
}

/**
 * What the cells' own pass adds for the checks of the summary's pass (which then runs only where a
 * row was dropped or a check failed): with prior weights the least weight and Σ log w; the response's
 * least and greatest value only where the model has no constant column (otherwise a constant response
 * shows in the sums Σw, Σwy, Σwy²). A value that is not finite shows as a sum that is not.
 */
export function cellChecks(plan: AggregationPlan, d: SqlDialect): string[] {
  const y = d.toDouble(expressionSql(plan.variables.response.expr, d));
  const w = plan.variables.weights === null ? null : weightSql(plan.variables, d);
  const constant = plan.products.some((c) => c.atoms.length === 0);
  return [
    ...(constant ? [] : [`MIN(${y}) AS check_y_min`, `MAX(${y}) AS check_y_max`]),
    ...(w === null ? [] : [`MIN(${w}) AS check_min_weight`, `SUM(CASE WHEN ${w} > ${d.double(0)} THEN ${d.call("ln", w)} END) AS check_log_weights`]),
  ];
}

/** The rows of the source (per value of `by`): a footer read for Parquet. */
export function countQuery(source: SqlSource, d: SqlDialect, by?: string): string {
  return by === undefined ? `SELECT COUNT(*) AS n_rows FROM ${fromItem(source, d)}` : `SELECT ${d.identifier(by)} AS by_key, COUNT(*) AS n_rows FROM ${fromItem(source, d)} GROUP BY ${d.identifier(by)}`;
}

/** The response as a double (a basis of it: its first column, as `lmm` reads it). */
export function responseSql(plan: AggregationPlan, d: SqlDialect): string {
  const ref = plan.variables.response;
  const value = d.toDouble(expressionSql(ref.expr, d));
  return ref.kind === "basis" ? basisSql(plan.transforms[ref.label], value, d)[0] : value;
}

/** The response the sums use: y minus the offset (y itself without one). */
function responseLessOffset(plan: AggregationPlan, d: SqlDialect): string {
  const y = responseSql(plan, d);
  return hasOffset(plan) ? `(${y} - ${offsetSql(plan, d)})` : y;
}

/** Whether the model has an offset (terms or the option). */
export function hasOffset(plan: AggregationPlan): boolean {
  return plan.variables.offsets.length > 0 || plan.variables.offset !== null;
}

/** The total offset of a row: the formula's `offset()` terms plus the `offset` option's column (0 without any). */
export function offsetSql(plan: AggregationPlan, d: SqlDialect): string {
  const { offsets, offset } = plan.variables;
  const parts = [...offsets.map((ref) => d.toDouble(expressionSql(ref.expr, d))), ...(offset === null ? [] : [d.toDouble(d.identifier(offset))])];
  return parts.length === 0 ? d.double(0) : `(${parts.join(" + ")})`;
}

/** One model-matrix column as an SQL double expression: the product of its atoms (1 for the intercept). */
export function columnSql(column: PlannedColumn, plan: AggregationPlan, kinds: ColumnTypes, d: SqlDialect): string {
  if (column.atoms.length === 0) return d.double(1);
  return column.atoms.map((a) => atomSql(a, plan, kinds, d)).join(" * ");
}

function atomSql(atom: Atom, plan: AggregationPlan, kinds: ColumnTypes, d: SqlDialect): string {
  const ref = plan.variables.terms.get(atom.variable)!;
  if (atom.kind === "value") return d.toDouble(expressionSql(ref.expr, d));
  if (atom.kind === "basis") return basisSql(plan.transforms[atom.variable], d.toDouble(expressionSql(ref.expr, d)), d)[atom.column];
  const is = (level: string) => levelTest(ref.column, level, kinds[ref.column], d);
  if (atom.kind === "indicator") return `(CASE WHEN ${is(atom.level)} THEN ${d.double(1)} ELSE ${d.double(0)} END)`;
  return `(CASE ${atom.values.map((v) => `WHEN ${is(v.level)} THEN ${d.double(v.value)}`).join(" ")} ELSE ${d.double(0)} END)`;
}

/** True where a categorical column has this level (its label as the model frame writes it). */
function levelTest(column: string, level: string, type: SqlType, d: SqlDialect): string {
  const c = d.identifier(column);
  if (type === "number") return `${d.toDouble(c)} = ${d.double(Number(level))}`;
  if (type === "boolean") return level === "TRUE" ? c : `NOT ${c}`;
  return `${c} = ${d.text(level)}`;
}

/**
 * An element-wise expression of the formula language as SQL (`log(x + 1)`, `I(t^2)`, `exp(-t/10)`):
 * the tree is rendered, never evaluated; names become quoted identifiers, numbers exact literals.
 */
export function expressionSql(node: FormulaNode, d: SqlDialect): string {
  switch (node.kind) {
    case "number":
      return d.double(node.value);
    case "name":
      if (!node.quoted && (node.name === "TRUE" || node.name === "FALSE")) return d.double(node.name === "TRUE" ? 1 : 0);
      return d.identifier(node.name);
    case "paren":
      return `(${expressionSql(node.inner, d)})`;
    case "unary":
      return node.op === "-" ? `(-${expressionSql(node.operand, d)})` : expressionSql(node.operand, d);
    case "binary": {
      const a = expressionSql(node.left, d), b = expressionSql(node.right, d);
      if (node.op === "^") {
        // R's x^2 is exactly x·x (as the in-memory evaluation).
        if (node.right.kind === "number" && node.right.value === 2) return `(${d.toDouble(a)} * ${d.toDouble(a)})`;
        return d.pow(d.toDouble(a), d.toDouble(b));
      }
      if (node.op === "+" || node.op === "-" || node.op === "*" || node.op === "/") return `(${d.toDouble(a)} ${node.op} ${d.toDouble(b)})`;
      throw new NotAggregableError(`the operator ${node.op}`, "not an element-wise arithmetic operator");
    }
    case "call": {
      if (node.fn === "I") return expressionSql(node.args[0].value, d);
      const x = node.args.find((a, i) => a.name === "x" || (a.name === null && i === 0))!;
      const arg = d.toDouble(expressionSql(x.value, d));
      switch (node.fn) {
        case "log": {
          const base = node.args.find((a, i) => a.name === "base" || (a.name === null && i === 1));
          if (!base) return d.call("ln", arg);
          const b = base.value.kind === "number" ? base.value.value : NaN;
          if (b === 2) return d.call("log2", arg);
          if (b === 10) return d.call("log10", arg);
          return `(${d.call("ln", arg)} / ${d.call("ln", d.double(b))})`;
        }
        case "log2":
        case "log10":
        case "exp":
        case "sqrt":
        case "abs":
          return d.call(node.fn, arg);
        default:
          throw new NotAggregableError(`${node.fn}()`, "this function has no SQL rendering in the portable subset");
      }
    }
    default:
      throw new NotAggregableError(node.kind, "not an element-wise expression");
  }
}
