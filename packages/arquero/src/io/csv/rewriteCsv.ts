import { InvalidArgumentError } from "@lmm/core";
import type { CsvTable } from "./CsvTable.js";
import { encodeCsvText } from "./decode.js";

/**
 * The file a {@link CsvTable} was read from, with some columns' cells replaced, as bytes in the file's own
 * encoding (byte-order mark and delimiter kept; rows end with the header's line break). Every cell not
 * replaced — the header, other columns, and replaced columns' cells where the new value is `null` — is
 * written byte for byte as it was read, quotes included. New values are quoted when they need it.
 *
 * @example
 * ```ts
 * const t = readCsvColumns('id,f\n"a,1",2\nb,\n');
 * new TextDecoder().decode(rewriteCsv(t, new Map([["f", ["20", null]]]))); // 'id,f\n"a,1",20\nb,\n'
 * ```
 */
export function rewriteCsv(table: CsvTable, replaced: ReadonlyMap<string, readonly (string | null)[]>): Uint8Array {
  const { delimiter, lineBreak, encoding, bom } = table.format;
  const { text, headerEnd } = table.layout;
  const at = new Map<number, readonly (string | null)[]>();
  for (const [name, values] of replaced) {
    table.column(name);
    if (values.length !== table.rows) throw new InvalidArgumentError(`replacement of ${JSON.stringify(name)}`, values.length, `${table.rows} values, one per row`);
    at.set(table.names.indexOf(name), values);
  }
  let head = text.slice(0, headerEnd);
  if (!/[\r\n]$/.test(head)) head += lineBreak;
  const parts: string[] = [head];
  table.records(true).forEach((record, row) => {
    const spans = record.spans!;
    const cells = record.fields.map((_, j) => {
      const value = at.get(j)?.[row];
      return value === undefined || value === null ? text.slice(spans[2 * j], spans[2 * j + 1]) : quoteCell(value, delimiter);
    });
    parts.push(cells.join(delimiter) + lineBreak);
  });
  return encodeCsvText(parts.join(""), encoding, bom);
}

function quoteCell(value: string, delimiter: string): string {
  return value.includes(delimiter) || /["\r\n]/.test(value) || value !== value.trim() ? `"${value.replace(/"/g, '""')}"` : value;
}
