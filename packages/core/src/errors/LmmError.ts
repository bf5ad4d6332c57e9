/**
 * Base class of every error this toolkit throws on purpose.
 *
 * Each subclass names one kind of bad input and carries the culprit as fields
 * (column, term, level, position …) as well as in its message, so programs can
 * react to it and people can read it.
 *
 * @example
 * ```ts
 * try { fit(data, "y ~ x + (1|g") } catch (e) { if (e instanceof LmmError) console.log(e.code, e.message) }
 * ```
 */
export class LmmError extends Error {
  /** A stable machine-readable code, e.g. `"FORMULA_SYNTAX"`. */
  readonly code: string;
  constructor(code: string, message: string) {
    super(message);
    this.code = code;
    this.name = new.target.name;
  }
}

/** An argument outside its documented domain (a negative count, an unknown option value …). */
export class InvalidArgumentError extends LmmError {
  readonly argument: string;
  readonly value: unknown;
  constructor(argument: string, value: unknown, expected: string) {
    super("INVALID_ARGUMENT", `invalid ${argument}: ${describeValue(value)}; expected ${expected}`);
    this.argument = argument;
    this.value = value;
  }
}

/** Work stopped because its AbortSignal fired. */
export class AbortedError extends LmmError {
  constructor(what: string) {
    super("ABORTED", `${what} was aborted`);
  }
}

/** Short, safe rendering of a value for messages. */
export function describeValue(value: unknown): string {
  if (typeof value === "string") return JSON.stringify(value.length > 60 ? value.slice(0, 57) + "..." : value);
  if (typeof value === "number" || typeof value === "boolean" || value == null) return String(value);
  if (Array.isArray(value)) return `array of length ${value.length}`;
  return typeof value;
}
