import type { DataColumns } from "@lmm/core";
import { sha256Hex } from "./sha256.js";

/**
 * Hex SHA-256 of a data set's content: the canonical JSON of `{ column: [values] }` over every
 * column, names sorted; numbers in shortest round-trip form (typed and plain arrays alike), strings
 * and booleans as themselves, and missing values (null, undefined, NaN, ±Infinity) as null. The
 * same values give the same fingerprint whatever the column order or array type.
 *
 * @example
 * ```ts
 * await dataFingerprint({ y: [1, 2], g: ["a", "b"] }) === await dataFingerprint({ g: ["a", "b"], y: Float64Array.of(1, 2) }); // true
 * ```
 */
export async function dataFingerprint(data: DataColumns): Promise<string> {
  const parts: string[] = [];
  for (const name of Object.keys(data).sort()) {
    const column = data[name];
    const values = new Array<string>(column.length);
    for (let i = 0; i < column.length; i++) values[i] = value(column[i]);
    parts.push(`${JSON.stringify(name)}:[${values.join(",")}]`);
  }
  return sha256Hex(`{${parts.join(",")}}`);
}

function value(v: unknown): string {
  if (typeof v === "number") return Number.isFinite(v) ? (Object.is(v, -0) ? "0" : JSON.stringify(v)) : "null";
  if (typeof v === "string") return JSON.stringify(v);
  if (typeof v === "boolean") return v ? "true" : "false";
  if (typeof v === "bigint") return v.toString();
  if (v === null || v === undefined) return "null";
  return JSON.stringify(String(v));
}
