import type { EncodedTable } from "./table.js";

/**
 * The table as CSV text in the format of the shipped files: header row, no quoting (levels that
 * would need it are refused), numbers in shortest round-trip form.
 */
export function toCsv(table: EncodedTable): string {
  const cells = table.columns.map((c) => {
    if (c.type === "numeric") return c.values.map(String);
    for (const level of c.levels) if (/[",\n\r]/.test(level)) throw new Error(`level ${JSON.stringify(level)} of ${c.name} would need quoting`);
    return c.codes.map((k) => c.levels[k]);
  });
  const lines = [table.columns.map((c) => c.name).join(",")];
  for (let i = 0; i < table.nRows; i++) lines.push(cells.map((col) => col[i]).join(","));
  return lines.join("\n") + "\n";
}

/** The `<name>.columns.json` text: column types and factor level order (the schema of test/reference/lme4/data). */
export function columnsJson(table: EncodedTable, seed: number): string {
  const meta = {
    schema_version: "1.0",
    name: table.name,
    file: `${table.name}.csv`,
    source: `@lmm/datasets scripts/generate.ts (simulated, seed ${seed}); truth in ${table.name}.truth.json`,
    n_rows: table.nRows,
    n_cols: table.columns.length,
    format: "comma-separated, header row, no quoting, '\\n' line ends, missing values written as NA, numbers in shortest round-trip decimal form",
    columns: table.columns.map((c) =>
      c.type === "numeric"
        ? { name: c.name, type: "numeric", n_missing: 0 }
        : { name: c.name, type: "factor", levels: c.levels, ordered_in_R: false, n_missing: 0 },
    ),
    notes: null,
  };
  return JSON.stringify(meta, null, 2) + "\n";
}

/** The `<name>.truth.json` text. */
export function truthJson(truth: unknown): string {
  return JSON.stringify(truth, null, 1) + "\n";
}
