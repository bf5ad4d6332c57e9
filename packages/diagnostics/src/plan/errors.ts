import { LmmError } from "@lmm/core";

/**
 * A plan names a diagnostic this package does not have.
 *
 * @example
 * ```ts
 * try { await plan({ formula, diagnostics: ["levrage"] }); } catch (e) { if (e instanceof UnknownDiagnosticError) console.log(e.diagnostic, e.known); }
 * ```
 */
export class UnknownDiagnosticError extends LmmError {
  readonly diagnostic: string;
  readonly known: string[];
  constructor(diagnostic: string, known: string[]) {
    super("UNKNOWN_DIAGNOSTIC", `unknown diagnostic ${JSON.stringify(diagnostic)}; known: ${known.join(", ")}`);
    this.diagnostic = diagnostic;
    this.known = known;
  }
}

/**
 * A field of a plan has a value the plan cannot use (wrong type, out of range, unsupported option).
 *
 * @example
 * ```ts
 * try { await plan({ formula, alpha: 2 }); } catch (e) { if (e instanceof PlanFieldError) console.log(e.field); }
 * ```
 */
export class PlanFieldError extends LmmError {
  readonly field: string;
  readonly value: unknown;
  constructor(field: string, value: unknown, expected: string) {
    super("PLAN_FIELD", `plan field ${field}: ${describe(value)} is not valid; expected ${expected}`);
    this.field = field;
    this.value = value;
  }
}

/**
 * The data do not fit the plan: a column the formula (or a diagnostic, contrast or hypothesis) needs
 * is missing, or a named level or coefficient does not exist. No report is produced.
 *
 * @example
 * ```ts
 * try { await run(p, data); } catch (e) { if (e instanceof PlanDataError) console.log(e.missing); }
 * ```
 */
export class PlanDataError extends LmmError {
  /** What is missing (column, level or coefficient names). */
  readonly missing: string[];
  readonly available: string[];
  constructor(what: string, missing: string[], available: string[]) {
    super("PLAN_DATA", `the data do not match the plan: ${what} ${missing.map((m) => JSON.stringify(m)).join(", ")} not found (available: ${available.slice(0, 30).map((a) => JSON.stringify(a)).join(", ")}${available.length > 30 ? ", …" : ""})`);
    this.missing = missing;
    this.available = available;
  }
}

/**
 * A plan object whose content no longer matches its fingerprint (built by hand or altered), so a
 * report from it could not be trusted.
 *
 * @example
 * ```ts
 * try { await run({ ...p, spec: other }, data); } catch (e) { if (e instanceof PlanIntegrityError) console.log(e.expected, e.actual); }
 * ```
 */
export class PlanIntegrityError extends LmmError {
  readonly expected: string;
  readonly actual: string;
  constructor(expected: string, actual: string) {
    super("PLAN_INTEGRITY", `the plan's content has fingerprint ${actual} but the plan claims ${expected}; build plans with plan()`);
    this.expected = expected;
    this.actual = actual;
  }
}

function describe(value: unknown): string {
  try {
    const text = JSON.stringify(value);
    return text === undefined ? String(value) : text.length > 60 ? text.slice(0, 57) + "..." : text;
  } catch {
    return typeof value;
  }
}
