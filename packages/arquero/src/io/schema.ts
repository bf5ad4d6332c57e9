import { ColumnSchemaError } from "./csv/errors.js";

/** The column types a schema may declare. */
export const COLUMN_TYPES = ["numeric", "integer", "factor", "ordered", "string", "logical"] as const;

/** One column of a `*.columns.json` schema (the format of the lme4 reference data). */
export interface ColumnSchemaEntry {
  name: string;
  /** `"ordered"`: a factor whose levels are ordered (R's `ordered()`; default coding contr.poly). */
  type: (typeof COLUMN_TYPES)[number];
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
 * Reads a `*.columns.json` schema from its JSON text. Anything that is not a schema is refused with a
 * {@link ColumnSchemaError} naming `file` and the entry at fault: text that is not JSON, `null` or another
 * non-object, a missing `columns` array, an entry without a name, an unknown type, levels that are not a
 * list of distinct labels, a column declared twice. Other fields (`levels` of non-factors, descriptions)
 * are allowed and ignored.
 *
 * @example
 * ```ts
 * const schema = parseColumnSchema('{"columns":[{"name":"Subject","type":"factor","levels":["308","309"]}]}');
 * ```
 */
export function parseColumnSchema(text: string, file = "column schema"): ColumnSchema {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new ColumnSchemaError(file, `not JSON (${(e as Error).message})`);
  }
  if (typeof json !== "object" || json === null || Array.isArray(json)) {
    throw new ColumnSchemaError(file, `expected an object with a "columns" array, found ${json === null ? "null" : Array.isArray(json) ? "an array" : typeof json}`);
  }
  const columns = (json as { columns?: unknown }).columns;
  if (!Array.isArray(columns)) throw new ColumnSchemaError(file, `expected a "columns" array, found ${columns === undefined ? "none" : JSON.stringify(columns)}`);
  const seen = new Set<string>();
  const out: ColumnSchemaEntry[] = columns.map((c: unknown, k: number) => {
    const where = `columns[${k}]`;
    if (typeof c !== "object" || c === null || Array.isArray(c)) throw new ColumnSchemaError(file, `${where} is not an object { "name", "type" }`);
    const { name, type, levels, ordered_in_R } = c as { name?: unknown; type?: unknown; levels?: unknown; ordered_in_R?: unknown };
    if (typeof name !== "string") throw new ColumnSchemaError(file, `${where} has no "name" string`);
    if (seen.has(name)) throw new ColumnSchemaError(file, `column ${JSON.stringify(name)} is declared twice`);
    seen.add(name);
    if (typeof type !== "string" || !(COLUMN_TYPES as readonly string[]).includes(type)) {
      throw new ColumnSchemaError(file, `column ${JSON.stringify(name)} has type ${JSON.stringify(type)}; known types: ${COLUMN_TYPES.join(", ")}`);
    }
    const entry: ColumnSchemaEntry = { name, type: type as ColumnSchemaEntry["type"] };
    if (levels !== undefined && (type === "factor" || type === "ordered")) entry.levels = levelList(levels, name, file);
    if (ordered_in_R !== undefined && typeof ordered_in_R !== "boolean") throw new ColumnSchemaError(file, `column ${JSON.stringify(name)} has "ordered_in_R" ${JSON.stringify(ordered_in_R)}; expected true or false`);
    if (ordered_in_R === true && type === "factor") entry.ordered_in_R = true;
    return entry;
  });
  return { columns: out };
}

function levelList(levels: unknown, name: string, file: string): string[] {
  const what = `levels of column ${JSON.stringify(name)}`;
  if (!Array.isArray(levels) || !levels.every((l) => typeof l === "string" || (typeof l === "number" && Number.isFinite(l)))) {
    throw new ColumnSchemaError(file, `${what} must be a list of labels`);
  }
  const labels = levels.map(String);
  const twice = labels.find((l, i) => labels.indexOf(l) !== i);
  if (twice !== undefined) throw new ColumnSchemaError(file, `${what} list ${JSON.stringify(twice)} twice`);
  return labels;
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
