import { IdMatchError, MalformedLineError } from "../errors.js";

/** Columns of a CSV table matched to a list of individual ids. */
export interface MatchedColumns {
  /** One array per requested column, in the order of `ids`; NaN where the individual is absent or the cell is missing. */
  values: Float64Array[];
  /** Ids in `ids` that the table does not list. */
  missingIds: number;
  /** Rows of the table whose id is not in `ids`. */
  unusedRows: number;
}

/**
 * Reads numeric columns from CSV text (header row; `NA`, `.`, or empty = missing) and lines them up with `ids`
 * (e.g. the `.fam` IIDs) through the id column. Ids are matched as strings in a Map (names such as
 * `__proto__` are ordinary ids). Errors name the file, line and column: duplicated ids, an absent column,
 * a non-numeric cell.
 *
 * @example
 * ```ts
 * const { values } = matchColumns("iid,y\nI1,2.5\n", ["I1", "I2"], { columns: ["y"] }); // values[0] = [2.5, NaN]
 * ```
 */
export function matchColumns(
  text: string, ids: string[], options: { columns: string[]; idColumn?: string; fileName?: string },
): MatchedColumns {
  const file = options.fileName ?? "CSV";
  const idColumn = options.idColumn ?? "iid";
  const lines = text.split(/\r?\n/);
  while (lines.length && lines[lines.length - 1].trim() === "") lines.pop();
  if (lines.length === 0) throw new MalformedLineError(file, 1, "empty file: no header");
  const header = splitCsv(lines[0]);
  const idAt = header.indexOf(idColumn);
  if (idAt < 0) throw new IdMatchError(file, idColumn, undefined, `no such column (header: ${header.join(", ")})`);
  const at = options.columns.map((c) => {
    const j = header.indexOf(c);
    if (j < 0) throw new IdMatchError(file, c, undefined, `no such column (header: ${header.join(", ")})`);
    return j;
  });
  const position = new Map<string, number>();
  ids.forEach((id, i) => position.set(id, i));
  const values = options.columns.map(() => new Float64Array(ids.length).fill(NaN));
  const seen = new Map<string, number>();
  let unused = 0;
  for (let r = 1; r < lines.length; r++) {
    if (lines[r].trim() === "") continue;
    const f = splitCsv(lines[r]);
    if (f.length !== header.length) throw new MalformedLineError(file, r + 1, `expected ${header.length} fields, found ${f.length}`);
    const id = f[idAt];
    if (seen.has(id)) throw new IdMatchError(file, idColumn, id, `is duplicated (lines ${seen.get(id)! + 1} and ${r + 1})`);
    seen.set(id, r);
    const i = position.get(id);
    if (i === undefined) { unused++; continue; }
    at.forEach((j, c) => {
      const cell = f[j].trim();
      if (cell === "" || cell === "NA" || cell === "." || cell === "NaN") return;
      const v = Number(cell);
      if (!Number.isFinite(v)) throw new MalformedLineError(file, r + 1, `${JSON.stringify(cell)} is not a number`, options.columns[c], cell);
      values[c][i] = v;
    });
  }
  let missingIds = 0;
  for (const id of ids) if (!seen.has(id)) missingIds++;
  return { values, missingIds, unusedRows: unused };
}

// Comma-separated fields with optional double quotes ("" inside quotes is a quote).
function splitCsv(line: string): string[] {
  if (line.indexOf('"') < 0) return line.split(",");
  const out: string[] = [];
  let cur = "", quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (quoted) {
      if (ch === '"') { if (line[i + 1] === '"') { cur += '"'; i++; } else quoted = false; }
      else cur += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ",") { out.push(cur); cur = ""; }
    else cur += ch;
  }
  out.push(cur);
  return out;
}
