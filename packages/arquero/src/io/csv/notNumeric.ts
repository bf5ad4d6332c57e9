import { formulaName } from "../../each/template.js";
import { classifyCell } from "./cells.js";
import type { CsvTable } from "./CsvTable.js";
import { CsvValueError, quoteValue } from "./errors.js";
import type { CsvColumn } from "./typing.js";

const NOTHING_MISSING: ReadonlySet<string> = new Set();

function nameInFormula(name: string): string {
  try {
    return formulaName(name);
  } catch {
    return name; // a name with a backtick cannot be written in a formula at all; the message still names it
  }
}

/** The error for a column used as numbers that is not numeric, at its first non-number cell. */
export function notNumeric(table: CsvTable, c: CsvColumn, use: string, categorical = `write factor(${nameInFormula(c.name)}) or declare it in a column schema`): CsvValueError {
  const file = table.file;
  const cell = c.firstNonNumber;
  if (cell === null) {
    // A declared factor whose labels are numbers ("308"): categorical by declaration.
    let row = 0;
    while (row < c.values.length - 1 && c.values[row] === null) row++;
    const value = c.values[row];
    return new CsvValueError(file, table.rows > 0 ? table.line(row) : 1, c.name, String(value ?? ""), `is a level of a categorical column (the column schema declares it ${c.kind === "logical" ? "logical" : "categorical"}) and cannot be ${use}`);
  }
  const tally = `${c.numbers} of ${c.values.length - c.missing} values are numbers`;
  if (classifyCell(cell.value, NOTHING_MISSING) === "infinite") return new CsvValueError(file, cell.line, c.name, cell.value, `is not a finite number; a column ${use} needs finite values`);
  if (/^\s*[+-]?\d+,\d+\s*$/.test(cell.value)) {
    return new CsvValueError(file, cell.line, c.name, cell.value, `is not a number: numbers are written with a decimal point (${cell.value.trim().replace(",", ".")}), not a decimal comma`);
  }
  if (c.kind === "mixed") {
    return new CsvValueError(
      file, cell.line, c.name, cell.value,
      `is not a number, though ${tally}; if it means missing, add it to the missing-value tokens (na option, --na=${quoteValue(cell.value.trim())}); if the column is categorical, ${categorical}`,
    );
  }
  return new CsvValueError(file, cell.line, c.name, cell.value, `is not a number: column ${JSON.stringify(c.name)} holds text (${tally}) and cannot be ${use}`);
}
