import { expandFormula, parseFormula, type ModelSpec } from "@lmm/core";
import type { CsvTable } from "./CsvTable.js";
import { notNumeric } from "./notNumeric.js";

/** What else decides how a formula reads its columns: level order (a schema), ordered factors, weights and offset columns. */
export interface FormulaColumnOptions {
  levels?: Readonly<Record<string, readonly string[]>>;
  ordered?: readonly string[];
  weights?: string;
  offset?: string;
}

/**
 * Checks, before a model is built, that every column a formula uses as numbers can be: the response, every
 * column an expression reads (`log(x + 1)`, `I(a / b)`, `poly(t, 2)`, `offset(log(n))`) and the weights and
 * offset columns must be numeric columns; a variable used as it is may be numeric or text (a factor), but
 * not `mixed` — a column of numbers with a few other cells, which would otherwise silently become a factor
 * with one level per number. `factor(x)`, grouping factors and columns given `levels` (a schema) or declared
 * ordered are categorical and never refused. The error names the file, the line, the column and the first
 * cell at fault.
 *
 * @example
 * ```ts
 * const t = readCsvColumns("y,x,g\n1,2,a\n2,Inf,b\n3,4,a\n4,5,b\n");
 * checkFormulaColumns(t, "y ~ factor(x) + (1 | g)"); // fine
 * checkFormulaColumns(t, "y ~ x + (1 | g)"); // CsvValueError: CSV: line 3, column "x": value "Inf" is not a finite number …
 * ```
 */
export function checkFormulaColumns(table: CsvTable, formula: string | ModelSpec, options: FormulaColumnOptions = {}): void {
  const spec = typeof formula === "string" ? expandFormula(parseFormula(formula)) : formula;
  const categorical = (column: string) => (options.levels !== undefined && Object.prototype.hasOwnProperty.call(options.levels, column)) || (options.ordered?.includes(column) ?? false);
  const numeric = (column: string, use: string) => {
    if (!table.has(column) || categorical(column)) return;
    const c = table.column(column);
    if (c.kind !== "numeric") throw notNumeric(table, c, use);
  };
  const asTerm = new Set([...spec.fixed.terms, ...spec.random.flatMap((r) => r.lhs.terms)].flat());
  const offsets = new Set(spec.offsets);
  for (const [label, ref] of spec.variables) {
    if (ref.kind === "factor") continue;
    const isResponse = spec.response !== null && label === spec.response.label;
    if (isResponse || offsets.has(label) || (asTerm.has(label) && ref.kind !== "column")) {
      for (const column of ref.columns) numeric(column, isResponse ? "the response" : `used in ${label}`);
    } else if (asTerm.has(label) && table.has(ref.column) && !categorical(ref.column) && table.column(ref.column).kind === "mixed") {
      throw notNumeric(table, table.column(ref.column), "used as a number");
    }
  }
  if (options.weights !== undefined) numeric(options.weights, "the prior weights");
  if (options.offset !== undefined) numeric(options.offset, "the offset");
}
