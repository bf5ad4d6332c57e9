// How a report prints numbers. Exported, so a notebook's prose prints the same digits as the widget.

/**
 * A number as the report prints it: 4 significant digits (or `digits`), exponent form below 1e-4 and
 * from 1e6; NA for missing, Inf/-Inf for infinities.
 *
 * @example
 * ```ts
 * formatNumber(0.012345); // "0.01235"
 * formatNumber(1234567);  // "1.235e+6"
 * ```
 */
export function formatNumber(x: number | null | undefined, digits = 4): string {
  if (x === null || x === undefined || Number.isNaN(x)) return "NA";
  if (!Number.isFinite(x)) return x > 0 ? "Inf" : "-Inf";
  if (x === 0) return "0";
  const mag = Math.floor(Math.log10(Math.abs(x)));
  if (mag >= 6 || mag < -4) return x.toExponential(digits - 1);
  return x.toFixed(Math.max(0, digits - 1 - mag));
}

/**
 * A p-value as R prints it in a coefficient table: `< 2e-16` below R's floor, exponent form below
 * 1e-4, else four decimals; never `0`.
 *
 * @example
 * ```ts
 * formatPValue(3e-20); // "< 2e-16"
 * formatPValue(0.0321); // "0.0321"
 * ```
 */
export function formatPValue(p: number | null | undefined): string {
  if (p === null || p === undefined || Number.isNaN(p)) return "NA";
  return p < 2e-16 ? "< 2e-16" : p < 1e-4 ? p.toExponential(2) : p.toFixed(4);
}

/**
 * R's significance codes.
 *
 * @example
 * ```ts
 * significanceStars(0.003); // "**"
 * ```
 */
export function significanceStars(p: number | null | undefined): string {
  if (p === null || p === undefined || Number.isNaN(p)) return "";
  return p < 0.001 ? "***" : p < 0.01 ? "**" : p < 0.05 ? "*" : p < 0.1 ? "." : "";
}
