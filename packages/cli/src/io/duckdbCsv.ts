// CSV and TSV files read by DuckDB (a glob of them, or one file with --engine duckdb) under this
// toolkit's strict rules: every cell is read as text, the missing-value tokens become NULL, and a
// column the model reads is numeric only if every other cell is a number — a column of numbers with
// a stray word is refused naming file, line, column and value, never turned into categories.
import { UnknownColumnError } from "@lmm/core";
import { CsvHeaderError, CsvValueError, type ColumnSchema, type ColumnSchemaEntry } from "@lmm/arquero";
import type { SqlEngine, SqlSource } from "@lmm/sql";

/** The tokens every reader of this toolkit takes as missing, besides `--na`. */
const MISSING = ["", "NA", "NaN", "null"];

/**
 * The rows of the files as a query DuckDB runs: the `columns` read, typed (DOUBLE when every present
 * cell is a number, else text; as a column `schema` declares them, checked cell by cell as the
 * in-memory reader checks them), missing tokens as NULL. Line numbers count the header as line 1
 * and assume no line break inside a quoted field. The files are parsed once, into a temporary table
 * of the columns read (text, in file order) that is typed into the temporary table `lmm_typed`.
 */
export async function strictCsvSource(engine: SqlEngine, pattern: string, columns: readonly string[], na: readonly string[] = [], schema?: ColumnSchema, shownAs = pattern): Promise<SqlSource> {
  const d = engine.dialect;
  const delimiter = /\.(tsv|tab)$/i.test(pattern) ? "\t" : ",";
  // File names only matter with several files (a glob): each has its own line numbers.
  const glob = /[*?[]/.test(pattern);
  const raw = `read_csv(${d.text(pattern)}, header = true, all_varchar = true, delim = ${d.text(delimiter)}, quote = '"', escape = '"'${glob ? ", filename = 'lmm_file'" : ""})`;
  const file = glob ? "lmm_file" : d.text(shownAs);
  const head = await engine.query(`SELECT * FROM ${raw} LIMIT 0`);
  for (const c of columns) if (!head.names.includes(c)) throw new UnknownColumnError(c, head.names.filter((n) => n !== "lmm_file"));
  const declared = new Map((schema?.columns ?? []).map((c) => [c.name, c]));
  for (const c of declared.keys()) if (!head.names.includes(c)) throw new CsvHeaderError(shownAs, `the column schema declares column ${JSON.stringify(c)}, which the file does not have`, c);
  // The file is parsed once, into a temporary table of the columns the model reads (as text, in file order);
  // the typing pass and the fit's passes read that table.
  const table = d.identifier("lmm_csv");
  await engine.query(`CREATE OR REPLACE TEMP TABLE ${table} AS SELECT ${glob ? "lmm_file, " : ""}${columns.map(d.identifier).join(", ")} FROM ${raw}`);
  const tokens = [...MISSING, ...na].map((t) => d.text(t)).join(", ");
  const present = (c: string) => `(${d.identifier(c)} IS NOT NULL AND ${d.identifier(c)} NOT IN (${tokens}))`;
  const number = (c: string) => `TRY_CAST(${d.identifier(c)} AS DOUBLE) IS NOT NULL`;
  /** The first cell (by file, then line) where `bad` holds: one line naming file, line, column and value. */
  const refuse = async (c: string, bad: string, reason: (value: string) => string): Promise<never> => {
    const first = await engine.query(
      `SELECT lmm_source, lmm_line, value FROM (SELECT ${file} AS lmm_source, ${d.identifier(c)} AS value, ${bad} AS lmm_bad, row_number() OVER (PARTITION BY ${file} ORDER BY rowid) + 1 AS lmm_line FROM ${table}) ` +
        `WHERE value IS NOT NULL AND value NOT IN (${tokens}) AND lmm_bad ORDER BY lmm_source, lmm_line LIMIT 1`,
    );
    const value = String(first.columns[2][0]);
    throw new CsvValueError(String(first.columns[0][0]), Number(first.columns[1][0]), c, value, reason(value));
  };
  const counts = await engine.query(`SELECT ${columns.map((c, i) => `SUM(CASE WHEN ${present(c)} THEN 1 ELSE 0 END) AS p_${i}, SUM(CASE WHEN ${present(c)} AND ${number(c)} THEN 1 ELSE 0 END) AS n_${i}`).join(", ")} FROM ${table}`);
  const typed: string[] = [];
  for (const [i, c] of columns.entries()) {
    const p = Number(counts.columns[2 * i][0] ?? 0), n = Number(counts.columns[2 * i + 1][0] ?? 0);
    const id = d.identifier(c);
    const entry = declared.get(c);
    if (entry) {
      typed.push(await declaredColumn(c, entry, { id, present: present(c), p, n, refuse, d, engine, table }));
      continue;
    }
    if (p > 0 && n === p) typed.push(`CASE WHEN ${present(c)} THEN CAST(${id} AS DOUBLE) END AS ${id}`);
    else if (n > 0) {
      await refuse(c, `TRY_CAST(${id} AS DOUBLE) IS NULL`, (value) => `is not a number, though ${n} of ${p} values are numbers; if it means missing, add it to the missing-value tokens (--na=${JSON.stringify(value)}); if the column is categorical, write factor(${c})`);
    } else typed.push(`CASE WHEN ${present(c)} THEN ${id} END AS ${id}`);
  }
  // The typed columns, once: the fit's passes read doubles and text, not cells to parse again.
  await engine.query(`CREATE OR REPLACE TEMP TABLE lmm_typed AS SELECT ${typed.join(", ")} FROM ${table}`);
  await engine.query(`DROP TABLE ${table}`);
  return { table: "lmm_typed" };
}

/** R's spellings of TRUE and FALSE, as the in-memory reader takes them. */
const TRUE = ["TRUE", "T", "true", "True"];
const FALSE = ["FALSE", "F", "false", "False"];

/** A column the schema declares: refused at its first cell that does not fit (the in-memory reader's reasons), else typed as declared. */
async function declaredColumn(
  c: string,
  entry: ColumnSchemaEntry,
  x: { id: string; present: string; p: number; n: number; refuse: (c: string, bad: string, reason: (v: string) => string) => Promise<never>; d: SqlEngine["dialect"]; engine: SqlEngine; table: string },
): Promise<string> {
  const { id, present, d } = x;
  const because = (problem: string) => () => `${problem} (the column schema declares ${JSON.stringify(c)} ${entry.type})`;
  const list = (values: readonly string[]) => values.map((v) => d.text(v)).join(", ");
  switch (entry.type) {
    case "numeric":
    case "integer": {
      const value = `TRY_CAST(${id} AS DOUBLE)`;
      if (x.n < x.p) await x.refuse(c, `${value} IS NULL`, because("is not a number"));
      const [bad] = (await x.engine.query(`SELECT SUM(CASE WHEN ${present} AND NOT isfinite(${value}) THEN 1 ELSE 0 END) FROM ${x.table}`)).columns;
      if (Number(bad[0] ?? 0) > 0) await x.refuse(c, `NOT isfinite(${value})`, because("is not a finite number"));
      if (entry.type === "integer") {
        const [frac] = (await x.engine.query(`SELECT SUM(CASE WHEN ${present} AND ${value} <> floor(${value}) THEN 1 ELSE 0 END) FROM ${x.table}`)).columns;
        if (Number(frac[0] ?? 0) > 0) await x.refuse(c, `${value} <> floor(${value})`, because("is not a whole number"));
      }
      return `CASE WHEN ${present} THEN CAST(${id} AS DOUBLE) END AS ${id}`;
    }
    case "logical": {
      const [bad] = (await x.engine.query(`SELECT SUM(CASE WHEN ${present} AND trim(${id}) NOT IN (${list([...TRUE, ...FALSE])}) THEN 1 ELSE 0 END) FROM ${x.table}`)).columns;
      if (Number(bad[0] ?? 0) > 0) await x.refuse(c, `trim(${id}) NOT IN (${list([...TRUE, ...FALSE])})`, because("is not TRUE or FALSE"));
      return `CASE WHEN ${present} THEN trim(${id}) IN (${list(TRUE)}) END AS ${id}`;
    }
    case "factor":
    case "ordered":
    case "string": {
      const levels = entry.type !== "string" && entry.levels ? entry.levels.map(String) : null;
      if (levels) {
        const [bad] = (await x.engine.query(`SELECT SUM(CASE WHEN ${present} AND ${id} NOT IN (${list(levels)}) THEN 1 ELSE 0 END) FROM ${x.table}`)).columns;
        if (Number(bad[0] ?? 0) > 0) await x.refuse(c, `${id} NOT IN (${list(levels)})`, because(`is not one of its ${new Set(levels).size} levels`));
      }
      return `CASE WHEN ${present} THEN ${id} END AS ${id}`;
    }
  }
}
