import { InvalidArgumentError } from "@lmm/core";

/**
 * Canonical JSON (RFC 8785, JCS): object keys sorted by UTF-16 code units, no whitespace, numbers in
 * ECMAScript's shortest round-trip form, -0 as 0. The same value gives the same text whatever the
 * key order it was written in. Non-finite numbers, undefined, functions, symbols, bigints and
 * cycles are refused; typed arrays are written as arrays of numbers.
 *
 * @example
 * ```ts
 * canonicalJson({ b: [1, 2], a: { y: true, x: null } }); // '{"a":{"x":null,"y":true},"b":[1,2]}'
 * ```
 */
export function canonicalJson(value: unknown): string {
  const seen = new Set<object>();
  const write = (v: unknown, path: string): string => {
    if (v === null) return "null";
    switch (typeof v) {
      case "boolean":
        return v ? "true" : "false";
      case "number":
        if (!Number.isFinite(v)) throw new InvalidArgumentError(path, v, "a finite number (JSON has no NaN or Infinity)");
        return Object.is(v, -0) ? "0" : JSON.stringify(v);
      case "string":
        return JSON.stringify(v);
      case "object": {
        if (seen.has(v as object)) throw new InvalidArgumentError(path, "a cycle", "acyclic data");
        seen.add(v as object);
        let out: string;
        if (Array.isArray(v) || ArrayBuffer.isView(v)) {
          const items = Array.from(v as ArrayLike<unknown>, (x, i) => write(x, `${path}[${i}]`));
          out = `[${items.join(",")}]`;
        } else {
          const keys = Object.keys(v as object).sort();
          const record = v as Record<string, unknown>;
          out = `{${keys.map((k) => `${JSON.stringify(k)}:${write(record[k], `${path}.${k}`)}`).join(",")}}`;
        }
        seen.delete(v as object);
        return out;
      }
      default:
        throw new InvalidArgumentError(path, typeof v, "JSON data (null, boolean, number, string, array or object)");
    }
  };
  return write(value, "value");
}
