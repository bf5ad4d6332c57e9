import { LmmError } from "@lmm/core";

/** The engine refused or failed a query (its own message follows, with the engine's name). */
export class SqlEngineError extends LmmError {
  readonly engine: string;
  constructor(engine: string, message: string) {
    super("SQL_ENGINE", `${engine}: ${message.split("\n")[0]}`);
    this.engine = engine;
  }
}

/** A variable of the model is not a finite number in some rows the fit would use (`log(0)`, ±Infinity). */
export class SqlValueError extends LmmError {
  readonly variable: string;
  constructor(variable: string, where: string) {
    super("SQL_VALUE", `${variable} is not a finite number ${where.split("\n")[0]} (±Infinity, or a function outside its domain such as log(0)); remove or recode those rows`);
    this.variable = variable;
  }
}

/** The prior weights column has negative values (as `lmm`, refused; SQL rows have no number to name, so the count and the smallest are given). */
export class SqlNegativeWeightError extends LmmError {
  readonly column: string;
  constructor(column: string, count: number, smallest: number) {
    super("SQL_NEGATIVE_WEIGHT", `weights column ${JSON.stringify(column)}: ${count} row${count === 1 ? " has" : "s have"} a negative weight (the smallest is ${smallest}); prior weights must be ≥ 0 (0 leaves the row out)`);
    this.column = column;
  }
}
