import { LmmError, describeValue } from "./LmmError.js";

/** The formula names a column the data does not have. */
export class UnknownColumnError extends LmmError {
  readonly column: string;
  readonly available: string[];
  constructor(column: string, available: string[]) {
    const hint = closest(column, available);
    super("UNKNOWN_COLUMN", `unknown column ${JSON.stringify(column)}${hint ? ` (did you mean ${JSON.stringify(hint)}?)` : ""}`);
    this.column = column;
    this.available = available;
  }
}

/** Columns of the data have different lengths. */
export class ColumnLengthError extends LmmError {
  readonly column: string;
  readonly length: number;
  readonly expectedLength: number;
  constructor(column: string, length: number, expectedLength: number) {
    super("COLUMN_LENGTH", `column ${JSON.stringify(column)} has ${length} values but other columns have ${expectedLength}`);
    this.column = column;
    this.length = length;
    this.expectedLength = expectedLength;
  }
}

/** Nothing to fit: no rows at all, or none left after removing missing values. */
export class EmptyDataError extends LmmError {
  constructor(reason: string) {
    super("EMPTY_DATA", reason);
  }
}

/** A value in a column cannot be used (±Infinity, a string in a numeric column, a value outside the given levels …). */
export class InvalidValueError extends LmmError {
  readonly column: string;
  readonly row: number;
  readonly value: unknown;
  constructor(column: string, row: number, value: unknown, reason: string) {
    super("INVALID_VALUE", `column ${JSON.stringify(column)}, row ${row + 1}: ${describeValue(value)} ${reason}`);
    this.column = column;
    this.row = row;
    this.value = value;
  }
}

/** A column holds missing values and `na: "fail"` was asked for. */
export class MissingValueError extends LmmError {
  readonly column: string;
  readonly row: number;
  constructor(column: string, row: number) {
    super("MISSING_VALUE", `column ${JSON.stringify(column)} has a missing value at row ${row + 1} (na: "fail")`);
    this.column = column;
    this.row = row;
  }
}

/** The response cannot be modelled (not numeric, constant, all missing). */
export class ResponseError extends LmmError {
  readonly column: string;
  constructor(column: string, reason: string) {
    super("RESPONSE", `response ${JSON.stringify(column)} ${reason}`);
    this.column = column;
  }
}

/** A random-effects term cannot be estimated from these data (as lme4's checks refuse it). */
export class RandomEffectsError extends LmmError {
  readonly term: string;
  readonly group: string;
  constructor(term: string, group: string, reason: string) {
    super("RANDOM_EFFECTS", `random term ${JSON.stringify(term)}: ${reason}`);
    this.term = term;
    this.group = group;
  }
}

/** A level not seen when fitting, met in new data. */
export class NewLevelError extends LmmError {
  readonly column: string;
  readonly level: string;
  constructor(column: string, level: string, hint: string) {
    super("NEW_LEVEL", `level ${JSON.stringify(level)} of ${JSON.stringify(column)} was not in the fitted data${hint}`);
    this.column = column;
    this.level = level;
  }
}

function closest(name: string, candidates: string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Math.max(2, Math.floor(name.length / 3)) + 1;
  for (const candidate of candidates) {
    const d = editDistance(name.toLowerCase(), candidate.toLowerCase());
    if (d < bestDistance) {
      bestDistance = d;
      best = candidate;
    }
  }
  return best;
}

function editDistance(a: string, b: string): number {
  if (Math.abs(a.length - b.length) > 3) return 99;
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = cur;
  }
  return prev[b.length];
}

/** The fit could not produce finite estimates (e.g. values so large their squares overflow). */
export class FitFailedError extends LmmError {
  readonly formula: string;
  constructor(formula: string, reason: string) {
    super("FIT_FAILED", `fit of ${JSON.stringify(formula)} failed: ${reason}`);
    this.formula = formula;
  }
}

/**
 * A basis (`poly`, `scale`, `ns`, `bs`) cannot be built from the data: a degree not below the
 * number of distinct values, a constant variable, knots outside the data.
 */
export class BasisError extends LmmError {
  readonly term: string;
  constructor(term: string, reason: string) {
    super("BASIS", `${term}: ${reason}`);
    this.term = term;
  }
}

/** The dispersion formula cannot be used: not one factor, or a level whose residual variance cannot be estimated. */
export class DispersionError extends LmmError {
  readonly formula: string;
  constructor(formula: string, reason: string) {
    super("DISPERSION", `dispersion ${JSON.stringify(formula)}: ${reason}`);
    this.formula = formula;
  }
}
