/**
 * An engine's value as the model reads it: 64-bit integers as numbers (exact up to 2⁵³), decimals
 * as doubles, everything else as it is.
 */
export function plainValue(v: unknown): unknown {
  if (typeof v === "bigint") return Number(v);
  if (v !== null && typeof v === "object" && typeof (v as { toDouble?: unknown }).toDouble === "function") return (v as { toDouble(): number }).toDouble();
  return v;
}
