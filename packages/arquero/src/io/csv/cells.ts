/** Cell texts that mean "missing" in every file: empty, `NA`, `NaN`, `null` (surrounding blanks ignored). */
export const MISSING_TOKENS: readonly string[] = ["", "NA", "NaN", "null"];

/**
 * What one cell holds: nothing (a missing token), a finite decimal number, an infinite one (`Inf`, `-Inf`,
 * `Infinity`, or a decimal too large for a double such as `1e400`), or text.
 */
export type CellKind = "missing" | "number" | "infinite" | "text";

// Decimal numbers as R's read.csv and most exports write them: sign, digits, point, exponent. Not hex,
// not thousands separators, not a decimal comma ("1,5" is text).
const DECIMAL = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
const INFINITE = /^[+-]?(?:inf|infinity)$/i;

/** The set of missing-value tokens: the defaults plus the caller's. */
export function missingTokens(extra: readonly string[] = []): Set<string> {
  return new Set([...MISSING_TOKENS, ...extra.map((t) => t.trim())]);
}

/** A cell's text without surrounding blanks (spaces and tabs only; other characters are data). */
export function trimBlanks(text: string): string {
  const first = text.charCodeAt(0), last = text.charCodeAt(text.length - 1);
  return first === 32 || first === 9 || last === 32 || last === 9 ? text.replace(/^[ \t]+|[ \t]+$/g, "") : text;
}

/** Classifies a cell; `Number(text)` is the value of a `"number"` cell. */
export function classifyCell(text: string, missing: ReadonlySet<string>): CellKind {
  const t = trimBlanks(text);
  if (missing.has(t)) return "missing";
  if (DECIMAL.test(t)) return Number.isFinite(Number(t)) ? "number" : "infinite";
  return INFINITE.test(t) ? "infinite" : "text";
}
