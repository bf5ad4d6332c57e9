import { InvalidArgumentError } from "@lmm/core";

/** One column of a `*.columns.json` schema (the format of the lme4 reference data). */
export interface ColumnSchemaEntry {
  name: string;
  /** `"ordered"` is a factor whose levels are ordered (R's `ordered()`). */
  type: "numeric" | "integer" | "factor" | "ordered" | "string" | "logical";
  /** Level order of a factor; the first level is the reference of treatment contrasts. */
  levels?: string[];
  /** Whether the factor is ordered in R (the reference data's `ordered_in_R`): its default coding is then `contr.poly`. */
  ordered_in_R?: boolean;
}

/** A column schema: types and factor level order per column. */
export interface ColumnSchema {
  columns: ColumnSchemaEntry[];
}

/**
 * Reads a `*.columns.json` schema from its JSON text.
 *
 * @example
 * ```ts
 * const schema = parseColumnSchema('{"columns":[{"name":"Subject","type":"factor","levels":["308","309"]}]}');
 * ```
 */
export function parseColumnSchema(text: string): ColumnSchema {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new InvalidArgumentError("column schema", text.slice(0, 40), `JSON (${(e as Error).message})`);
  }
  const columns = (json as { columns?: unknown }).columns;
  if (!Array.isArray(columns)) throw new InvalidArgumentError("column schema", json, 'an object with a "columns" array');
  for (const c of columns) {
    if (typeof c?.name !== "string" || typeof c?.type !== "string") throw new InvalidArgumentError("column schema entry", c, "{ name, type }");
    if (c.levels !== undefined && !Array.isArray(c.levels)) throw new InvalidArgumentError(`levels of column ${JSON.stringify(c.name)}`, c.levels, "an array of level labels");
  }
  return { columns: columns as ColumnSchemaEntry[] };
}

/** The `levels` option for the core fitter: level order of every factor in the schema. */
export function schemaLevels(schema: ColumnSchema): Record<string, string[]> {
  const out: Record<string, string[]> = Object.create(null);
  for (const c of schema.columns) if ((c.type === "factor" || c.type === "ordered") && c.levels) out[c.name] = c.levels.map(String);
  return out;
}

/**
 * The `ordered` option for the core fitter: the factors the schema declares ordered (`"type":
 * "ordered"`, or `"ordered_in_R": true`), which R codes with polynomial contrasts by default.
 *
 * @example
 * ```ts
 * schemaOrdered(parseColumnSchema('{"columns":[{"name":"grade","type":"factor","levels":["G1","G2","G3"],"ordered_in_R":true}]}')); // ["grade"]
 * ```
 */
export function schemaOrdered(schema: ColumnSchema): string[] {
  return schema.columns.filter((c) => c.type === "ordered" || (c.type === "factor" && c.ordered_in_R === true)).map((c) => c.name);
}
