/**
 * A number for titles and captions: 3 significant digits, plain notation for moderate magnitudes.
 *
 * @example
 * ```ts
 * formatNumber(0.012345); // "0.0123"
 * ```
 */
export function formatNumber(value: number, digits = 3): string {
  if (!Number.isFinite(value)) return String(value);
  if (value === 0) return "0";
  const magnitude = Math.abs(value);
  if (magnitude >= 1e-3 && magnitude < 1e6) return String(Number(value.toPrecision(digits)));
  return value.toExponential(digits - 1);
}

/**
 * An axis label with its unit in parentheses when known: `label("Reaction", "ms")` → `"Reaction (ms)"`.
 *
 * @example
 * ```ts
 * withUnit("Days", undefined); // "Days"
 * ```
 */
export function withUnit(label: string, unit: string | undefined): string {
  return unit ? `${label} (${unit})` : label;
}

/**
 * A left margin wide enough for the longest of `labels` at Plot's 10 px font (≈ 6 px per character).
 *
 * @example
 * ```ts
 * marginFor(["C01:P01"]); // 56
 * ```
 */
export function marginFor(labels: Iterable<string>, minimum = 40): number {
  let longest = 0;
  for (const label of labels) longest = Math.max(longest, label.length);
  return Math.max(minimum, Math.min(240, Math.ceil(longest * 6 + 14)));
}
