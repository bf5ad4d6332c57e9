/** Numbers as a report shows them: 4 significant digits, p-values as R prints them. */
export function num(x: number | null | undefined, digits = 4): string {
  if (x === null || x === undefined || Number.isNaN(x)) return "NA";
  if (!Number.isFinite(x)) return x > 0 ? "Inf" : "-Inf";
  if (x === 0) return "0";
  const mag = Math.floor(Math.log10(Math.abs(x)));
  if (mag >= 6 || mag < -4) return x.toExponential(digits - 1);
  return x.toFixed(Math.max(0, digits - 1 - mag));
}

export function pValue(p: number): string {
  if (Number.isNaN(p)) return "NA";
  return p < 2e-16 ? "< 2e-16" : p < 1e-4 ? p.toExponential(2) : p.toFixed(4);
}

/** R's significance codes. */
export function stars(p: number): string {
  return p < 0.001 ? "***" : p < 0.01 ? "**" : p < 0.05 ? "*" : p < 0.1 ? "." : "";
}
