import { InvalidArgumentError, UnknownColumnError } from "@lmm/core";

/**
 * Column names chosen by a list: names and globs (`*` any run of characters, `?` one character),
 * as an array or one comma-separated string such as `"feature_*,volume"`. Returns them in
 * `candidates` order without repeats; a name that is not a candidate, or a glob that matches
 * nothing, is an error naming it.
 *
 * @example
 * ```ts
 * selectColumns("f_*", ["id", "f_a", "f_b"]); // ["f_a", "f_b"]
 * ```
 */
export function selectColumns(spec: string | readonly string[], candidates: readonly string[]): string[] {
  const items = typeof spec === "string" ? spec.split(",").map((s) => s.trim()).filter((s) => s.length > 0) : [...spec];
  const chosen = new Set<string>();
  for (const item of items) {
    if (typeof item !== "string") throw new InvalidArgumentError("features", item, "column names or globs");
    if (typeof spec === "string" && /[*?]/.test(item)) {
      const pattern = new RegExp("^" + item.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*").replace(/\?/g, ".") + "$");
      const matched = candidates.filter((c) => pattern.test(c));
      if (matched.length === 0) throw new InvalidArgumentError("features", item, "a glob that matches at least one column");
      matched.forEach((c) => chosen.add(c));
    } else if (candidates.includes(item)) {
      chosen.add(item);
    } else {
      throw new UnknownColumnError(item, [...candidates]);
    }
  }
  if (chosen.size === 0) throw new InvalidArgumentError("features", spec, "at least one column");
  return candidates.filter((c) => chosen.has(c));
}
