/** Formats x with `digits` significant digits the way R prints model summaries (no exponent for ordinary sizes). */
export function signif(x: number, digits: number): string {
  if (!Number.isFinite(x)) return Number.isNaN(x) ? "NaN" : x > 0 ? "Inf" : "-Inf";
  if (x === 0) return "0";
  const magnitude = Math.floor(Math.log10(Math.abs(x)));
  if (magnitude >= 15 || magnitude < -5) return x.toExponential(Math.max(digits - 1, 0));
  const decimals = Math.max(0, digits - 1 - magnitude);
  return x.toFixed(Math.min(decimals, 20));
}

/** Formats a column of numbers with a common number of decimals, enough for `digits` significant digits of the smallest nonzero magnitude (as R's format on a column). */
export function formatColumn(values: number[], digits: number): string[] {
  const finite = values.filter((v) => Number.isFinite(v) && v !== 0).map((v) => Math.floor(Math.log10(Math.abs(v))));
  const maxMag = finite.length ? Math.max(...finite) : 0;
  const decimals = Math.min(Math.max(0, digits - 1 - maxMag), 10);
  return values.map((v) => (Number.isFinite(v) ? v.toFixed(decimals) : Number.isNaN(v) ? "NaN" : v > 0 ? "Inf" : "-Inf"));
}

/** Lays out rows of cells in columns: `align` per column, "l" or "r". */
export function layoutTable(rows: string[][], align: ("l" | "r")[]): string {
  const widths = align.map((_, c) => Math.max(...rows.map((r) => (r[c] ?? "").length)));
  return rows
    .map((r) => r.map((cell, c) => (align[c] === "l" ? (cell ?? "").padEnd(widths[c]) : (cell ?? "").padStart(widths[c]))).join(" ").replace(/\s+$/, ""))
    .join("\n");
}

/** Quantile of sorted values, R's type 7 (linear interpolation). */
export function quantileSorted(sorted: ArrayLike<number>, p: number): number {
  const h = (sorted.length - 1) * p;
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, sorted.length - 1);
  return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
}
