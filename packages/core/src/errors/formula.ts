import { LmmError } from "./LmmError.js";

/** The formula text does not parse. `position` is the 0-based character offset of the problem. */
export class FormulaSyntaxError extends LmmError {
  readonly formula: string;
  readonly position: number;
  readonly expected: string;
  constructor(formula: string, position: number, expected: string, found?: string) {
    const what = found === undefined ? "end of formula" : JSON.stringify(found);
    super(
      "FORMULA_SYNTAX",
      `formula syntax error at character ${position + 1}: expected ${expected}, found ${what}\n  ${formula}\n  ${" ".repeat(position)}^`,
    );
    this.formula = formula;
    this.position = position;
    this.expected = expected;
  }
}

/** The formula parses but asks for something that has no meaning (e.g. a random term with nothing left of `|`). */
export class FormulaTermError extends LmmError {
  readonly term: string;
  constructor(term: string, reason: string) {
    super("FORMULA_TERM", `term ${JSON.stringify(term)}: ${reason}`);
    this.term = term;
  }
}

/**
 * The model the formula asks for is too large for the data or for memory: more fixed-effect
 * columns than observations, a factor with more levels than the rows can estimate, or a term
 * expansion (`(a + b + … )^k`) that explodes. Raised before anything large is built.
 */
export class ModelSizeError extends LmmError {
  readonly what: string;
  readonly size: number;
  readonly limit: number;
  constructor(what: string, size: number, limit: number, reason: string) {
    super("MODEL_SIZE", reason);
    this.what = what;
    this.size = size;
    this.limit = limit;
  }
}
