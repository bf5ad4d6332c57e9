import { expandFormula, parseFormula, type ModelSpec } from "@lmm/core";
import type { CsvTable } from "./CsvTable.js";
import { notNumeric } from "./notNumeric.js";

/**
 * Checks, before a model is built, that every column a formula uses as numbers can be: the response and
 * every variable under a numeric transform (`log(x)`) must be numeric columns; a variable used as it is
 * may be numeric or text (a factor), but not `mixed` — a column of numbers with a few other cells, which
 * would otherwise silently become a factor with one level per number. `factor(x)`, grouping factors and
 * columns given `levels` (a schema) are categorical and never refused. The error names the file, the line,
 * the column and the first cell at fault.
 *
 * @example
 * ```ts
 * const t = readCsvColumns("y,x,g\n1,2,a\n2,Inf,b\n3,4,a\n4,5,b\n");
 * checkFormulaColumns(t, "y ~ factor(x) + (1 | g)"); // fine
 * checkFormulaColumns(t, "y ~ x + (1 | g)"); // CsvValueError: CSV: line 3, column "x": value "Inf" is not a finite number …
 * ```
 */
export function checkFormulaColumns(table: CsvTable, formula: string | ModelSpec, options: { levels?: Readonly<Record<string, readonly string[]>> } = {}): void {
  const spec = typeof formula === "string" ? expandFormula(parseFormula(formula)) : formula;
  const categorical = (column: string) => options.levels !== undefined && Object.prototype.hasOwnProperty.call(options.levels, column);
  const asTerm = new Set([...spec.fixed.terms, ...spec.random.flatMap((r) => r.lhs.terms)].flat());
  for (const [label, ref] of spec.variables) {
    if (!table.has(ref.column) || ref.transform === "factor" || categorical(ref.column)) continue;
    const column = table.column(ref.column);
    const isResponse = spec.response !== null && label === spec.response.label;
    if (isResponse || (asTerm.has(label) && ref.transform !== undefined)) {
      if (column.kind !== "numeric") throw notNumeric(table, column, isResponse ? "the response" : `used in ${label}`);
    } else if (asTerm.has(label) && column.kind === "mixed") {
      throw notNumeric(table, column, "used as a number");
    }
  }
}
