// CSV and TSV files read by DuckDB (a glob of them, or one file with --engine duckdb) under this
// toolkit's strict rules: every cell is read as text, the missing-value tokens become NULL, and a
// column the model reads is numeric only if every other cell is a number — a column of numbers with
// a stray word is refused naming file, line, column and value, never turned into categories.
import { UnknownColumnError } from "@lmm/core";
import { CsvValueError, formulaColumns } from "@lmm/arquero";
import type { SqlEngine, SqlSource } from "@lmm/sql";

/** The tokens every reader of this toolkit takes as missing, besides `--na`. */
const MISSING = ["", "NA", "NaN", "null"];

/**
 * The rows of the files as a query DuckDB runs: the columns the formula reads (and `extra`: a dispersion formula's), typed (DOUBLE when
 * every present cell is a number, else text), missing tokens as NULL. Line numbers count the header
 * as line 1 and assume no line break inside a quoted field. The files are parsed once, into a temporary
 * table of the columns read (text, in file order) that is typed into the temporary table `lmm_typed`.
 */
export async function strictCsvSource(engine: SqlEngine, pattern: string, formula: string, na: readonly string[] = [], extra: readonly string[] = []): Promise<SqlSource> {
  const d = engine.dialect;
  const delimiter = /\.(tsv|tab)$/i.test(pattern) ? "\t" : ",";
  // File names only matter with several files (a glob): each has its own line numbers.
  const glob = /[*?[]/.test(pattern);
  const raw = `read_csv(${d.text(pattern)}, header = true, all_varchar = true, delim = ${d.text(delimiter)}, quote = '"', escape = '"'${glob ? ", filename = 'lmm_file'" : ""})`;
  const file = glob ? "lmm_file" : d.text(pattern);
  const head = await engine.query(`SELECT * FROM ${raw} LIMIT 0`);
  const columns = [...new Set([...formulaColumns(formula).map((c) => c.column), ...extra])];
  for (const c of columns) if (!head.names.includes(c)) throw new UnknownColumnError(c, head.names.filter((n) => n !== "lmm_file"));
  // The file is parsed once, into a temporary table of the columns the model reads (as text, in file order);
  // the typing pass and the fit's passes read that table.
  const table = d.identifier("lmm_csv");
  await engine.query(`CREATE OR REPLACE TEMP TABLE ${table} AS SELECT ${glob ? "lmm_file, " : ""}${columns.map(d.identifier).join(", ")} FROM ${raw}`);
  const tokens = [...MISSING, ...na].map((t) => d.text(t)).join(", ");
  const present = (c: string) => `(${d.identifier(c)} IS NOT NULL AND ${d.identifier(c)} NOT IN (${tokens}))`;
  const number = (c: string) => `TRY_CAST(${d.identifier(c)} AS DOUBLE) IS NOT NULL`;
  const counts = await engine.query(`SELECT ${columns.map((c, i) => `SUM(CASE WHEN ${present(c)} THEN 1 ELSE 0 END) AS p_${i}, SUM(CASE WHEN ${present(c)} AND ${number(c)} THEN 1 ELSE 0 END) AS n_${i}`).join(", ")} FROM ${table}`);
  const numeric = new Set<string>();
  for (const [i, c] of columns.entries()) {
    const p = Number(counts.columns[2 * i][0] ?? 0), n = Number(counts.columns[2 * i + 1][0] ?? 0);
    if (p > 0 && n === p) numeric.add(c);
    else if (n > 0) {
      const bad = await engine.query(
        `SELECT lmm_source, lmm_line, value FROM (SELECT ${file} AS lmm_source, ${d.identifier(c)} AS value, row_number() OVER (PARTITION BY ${file} ORDER BY rowid) + 1 AS lmm_line FROM ${table}) ` +
          `WHERE value IS NOT NULL AND value NOT IN (${tokens}) AND TRY_CAST(value AS DOUBLE) IS NULL ORDER BY lmm_source, lmm_line LIMIT 1`,
      );
      const value = String(bad.columns[2][0]);
      throw new CsvValueError(String(bad.columns[0][0]), Number(bad.columns[1][0]), c, value, `is not a number, though ${n} of ${p} values are numbers; if it means missing, add it to the missing-value tokens (--na=${JSON.stringify(value)}); if the column is categorical, write factor(${c})`);
    }
  }
  // The typed columns, once: the fit's passes read doubles and text, not cells to parse again.
  const select = columns.map((c) => `CASE WHEN ${present(c)} THEN ${numeric.has(c) ? `CAST(${d.identifier(c)} AS DOUBLE)` : d.identifier(c)} END AS ${d.identifier(c)}`);
  await engine.query(`CREATE OR REPLACE TEMP TABLE lmm_typed AS SELECT ${select.join(", ")} FROM ${table}`);
  await engine.query(`DROP TABLE ${table}`);
  return { table: "lmm_typed" };
}
