import type { ColumnSchemaEntry } from "../schema.js";
import { classifyCell, trimBlanks } from "./cells.js";
import { CsvValueError } from "./errors.js";

/**
 * How a column was read. `numeric`: every value is a finite number. `text`: mostly text (a factor when a
 * model uses it). `mixed`: numbers except for some cells (text, `Inf`, `1e400`) — it is neither: used as a
 * number it is an error naming the first such cell; `factor(x)` or a schema makes it categorical.
 * `logical`: declared logical by a schema.
 */
export type CsvColumnKind = "numeric" | "text" | "mixed" | "logical";

/** A cell named by its row, its line in the file and its text. */
export interface CsvCell {
  /** 0-based data row. */
  row: number;
  /** 1-based line in the file (the header is line 1). */
  line: number;
  value: string;
}

/** One column of a CSV file, typed. */
export interface CsvColumn {
  readonly name: string;
  readonly kind: CsvColumnKind;
  /** numeric: numbers, NaN where missing; text and mixed: the cells as written, null where missing; logical: booleans. */
  readonly values: Float64Array | readonly (string | null)[] | readonly (boolean | null)[];
  /** Missing cells. */
  readonly missing: number;
  /** Cells that are finite numbers. */
  readonly numbers: number;
  /** The first cell that is neither missing nor a finite number (null when there is none). */
  readonly firstNonNumber: CsvCell | null;
  /** Typed by a column schema rather than by its content. */
  readonly declared: boolean;
}

/** What typing a column needs to know besides its cells. */
export interface TypingContext {
  file: string;
  /** Line of each data row. */
  lines: Int32Array;
  missing: ReadonlySet<string>;
}

const LOGICAL = new Map([["TRUE", true], ["T", true], ["true", true], ["True", true], ["FALSE", false], ["F", false], ["false", false], ["False", false]]);

/**
 * Types one column from its cells: by its schema entry when there is one (a cell that does not fit is an
 * error), else by its content (see {@link CsvColumnKind}).
 */
export function typeColumn(name: string, cells: readonly string[], ctx: TypingContext, entry?: ColumnSchemaEntry): CsvColumn {
  if (entry) return declaredColumn(name, cells, ctx, entry);
  const n = cells.length;
  const numbersOut = new Float64Array(n);
  let missing = 0, numbers = 0, first: CsvCell | null = null;
  for (let i = 0; i < n; i++) {
    const kind = classifyCell(cells[i], ctx.missing);
    if (kind === "number") {
      numbersOut[i] = Number(cells[i]);
      numbers++;
      continue;
    }
    numbersOut[i] = NaN;
    if (kind === "missing") missing++;
    else first ??= { row: i, line: ctx.lines[i], value: cells[i] };
  }
  if (first === null) return { name, kind: "numeric", values: numbersOut, missing, numbers, firstNonNumber: null, declared: false };
  const others = n - missing - numbers;
  const values = cells.map((c) => (ctx.missing.has(trimBlanks(c)) ? null : c));
  return { name, kind: numbers > others ? "mixed" : "text", values, missing, numbers, firstNonNumber: first, declared: false };
}

function declaredColumn(name: string, cells: readonly string[], ctx: TypingContext, entry: ColumnSchemaEntry): CsvColumn {
  const refuse = (i: number, problem: string) => new CsvValueError(ctx.file, ctx.lines[i], name, cells[i], `${problem} (the column schema declares ${JSON.stringify(name)} ${entry.type})`);
  const n = cells.length;
  let missing = 0;
  switch (entry.type) {
    case "numeric":
    case "integer": {
      const values = new Float64Array(n);
      for (let i = 0; i < n; i++) {
        const kind = classifyCell(cells[i], ctx.missing);
        if (kind === "missing") {
          values[i] = NaN;
          missing++;
          continue;
        }
        if (kind !== "number") throw refuse(i, kind === "infinite" ? "is not a finite number" : "is not a number");
        values[i] = Number(cells[i]);
        if (entry.type === "integer" && !Number.isInteger(values[i])) throw refuse(i, "is not a whole number");
      }
      return { name, kind: "numeric", values, missing, numbers: n - missing, firstNonNumber: null, declared: true };
    }
    case "logical": {
      const values: (boolean | null)[] = new Array(n);
      let first: CsvCell | null = null;
      for (let i = 0; i < n; i++) {
        const t = trimBlanks(cells[i]);
        if (ctx.missing.has(t)) {
          values[i] = null;
          missing++;
          continue;
        }
        const b = LOGICAL.get(t);
        if (b === undefined) throw refuse(i, "is not TRUE or FALSE");
        values[i] = b;
        first ??= { row: i, line: ctx.lines[i], value: cells[i] };
      }
      return { name, kind: "logical", values, missing, numbers: 0, firstNonNumber: first, declared: true };
    }
    case "factor":
    case "ordered":
    case "string": {
      const levels = entry.type !== "string" && entry.levels ? new Set(entry.levels.map(String)) : null;
      const values: (string | null)[] = new Array(n);
      let numbers = 0;
      let first: CsvCell | null = null;
      for (let i = 0; i < n; i++) {
        const kind = classifyCell(cells[i], ctx.missing);
        if (kind === "missing") {
          values[i] = null;
          missing++;
          continue;
        }
        if (kind === "number") numbers++;
        else first ??= { row: i, line: ctx.lines[i], value: cells[i] };
        if (levels && !levels.has(cells[i])) throw refuse(i, `is not one of its ${levels.size} levels`);
        values[i] = cells[i];
      }
      return { name, kind: "text", values, missing, numbers, firstNonNumber: first, declared: true };
    }
  }
}
