// The CSV reader's round trip: random typed tables written as CSV or TSV with random quoting, byte-order
// mark, line ends and missing tokens read back to exactly the same columns, types and values.
import fc from "fast-check";
import { readCsvColumns } from "@lmm/arquero";

type Cell = number | string | null;
interface Column {
  name: string;
  numeric: boolean;
  cells: Cell[];
}

const MISSING = ["", "NA", "NaN", "null", "-999"];
const NA_OPTION = ["-999"];

// Text that reads back as text: not blank, not a missing token, not a number, not Inf.
const isText = (s: string) => {
  const t = s.replace(/^[ \t]+|[ \t]+$/g, "");
  return t !== "" && !MISSING.includes(t) && !/^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/.test(t) && !/^[+-]?(?:inf|infinity)$/i.test(t);
};
const tricky = fc.constantFrom(",", "\t", '"', "\n", "\r\n", " ", "é", "ß", "__proto__", "a", "B", "1", ".", "-", "NA", "\u{1F600}");
const textCell = fc.oneof(fc.string({ minLength: 1, maxLength: 8 }), fc.array(tricky, { minLength: 1, maxLength: 5 }).map((p) => p.join(""))).filter(isText);
const numberCell = fc.oneof(fc.double({ noNaN: true, noDefaultInfinity: true }), fc.integer({ min: -1000, max: 1000 }), fc.constantFrom(0, -0, 1e-300, 5e-324, 1.7976931348623157e308));
const name = fc.oneof(textCell, fc.constantFrom("__proto__", "constructor", "tumour size", "Größe", "toString"));

const column = (rows: number) =>
  fc.record({
    name,
    numeric: fc.boolean(),
    missing: fc.array(fc.boolean(), { minLength: rows, maxLength: rows }),
    numbers: fc.array(numberCell, { minLength: rows, maxLength: rows }),
    texts: fc.array(textCell, { minLength: rows, maxLength: rows }),
  }).map(({ name, numeric, missing, numbers, texts }): Column => {
    const cells: Cell[] = Array.from({ length: rows }, (_, i) => (missing[i] ? null : numeric ? numbers[i] : texts[i]));
    // A text column with every cell missing would read as numeric (nothing says otherwise): keep one.
    if (!numeric && cells.every((c) => c === null)) cells[0] = texts[0];
    return { name, numeric, cells };
  });

/** A table and how to write it. */
export const csvCase = fc.integer({ min: 1, max: 12 }).chain((rows) =>
  fc.record({
    columns: fc.uniqueArray(column(rows), { minLength: 1, maxLength: 5, selector: (c) => c.name }),
    delimiter: fc.constantFrom(",", "\t"),
    lineBreak: fc.constantFrom("\n", "\r\n", "\r"),
    bom: fc.boolean(),
    finalBreak: fc.boolean(),
    asBytes: fc.boolean(),
    quoting: fc.array(fc.boolean(), { minLength: 6 * 13, maxLength: 6 * 13 }),
    missingToken: fc.array(fc.constantFrom(...MISSING), { minLength: 6 * 13, maxLength: 6 * 13 }),
    numberStyle: fc.array(fc.constantFrom("shortest", "precision", "exponent"), { minLength: 6 * 13, maxLength: 6 * 13 }),
  }),
);

type Case = typeof csvCase extends fc.Arbitrary<infer T> ? T : never;

function writeNumber(x: number, style: string): string {
  if (Object.is(x, -0)) return "-0";
  return style === "precision" ? x.toPrecision(17) : style === "exponent" ? x.toExponential(16) : String(x);
}

/** The CSV text of a case: random quoting (always where a field needs it), random missing tokens. */
export function writeCase(c: Case): string {
  const needsQuotes = (s: string) => s.includes(c.delimiter) || /["\r\n]/.test(s) || (c.columns.length === 1 && s === "");
  const field = (s: string, k: number) => (needsQuotes(s) || c.quoting[k % c.quoting.length] ? `"${s.replace(/"/g, '""')}"` : s);
  const lines = [c.columns.map((col, j) => field(col.name, j)).join(c.delimiter)];
  const rows = c.columns[0].cells.length;
  for (let i = 0; i < rows; i++) {
    lines.push(c.columns.map((col, j) => {
      const k = i * c.columns.length + j + 1;
      const v = col.cells[i];
      const text = v === null ? c.missingToken[k % c.missingToken.length] : typeof v === "number" ? writeNumber(v, c.numberStyle[k % c.numberStyle.length]) : v;
      return field(text, k);
    }).join(c.delimiter));
  }
  return (c.bom ? "\uFEFF" : "") + lines.join(c.lineBreak) + (c.finalBreak ? c.lineBreak : "");
}

/** Reading the written case gives back the same names, kinds and values. */
export const csvRoundTrip = fc.property(csvCase, (c) => {
  const text = writeCase(c);
  const t = readCsvColumns(c.asBytes ? new TextEncoder().encode(text) : text, { delimiter: c.delimiter, na: NA_OPTION });
  const same = (a: unknown, b: unknown) => Object.is(a, b) || (typeof a === "number" && typeof b === "number" && a === 0 && b === 0 && Object.is(a, b));
  if (JSON.stringify(t.names) !== JSON.stringify(c.columns.map((col) => col.name))) throw new Error(`names ${JSON.stringify(t.names)}`);
  if (t.rows !== c.columns[0].cells.length) throw new Error(`rows ${t.rows}`);
  for (const col of c.columns) {
    const read = t.column(col.name);
    if (read.kind !== (col.numeric ? "numeric" : "text")) throw new Error(`${col.name}: kind ${read.kind}`);
    col.cells.forEach((v, i) => {
      const got = read.values[i];
      const want = v === null ? (col.numeric ? NaN : null) : v;
      if (!same(got, want)) throw new Error(`${JSON.stringify(col.name)} row ${i}: read ${String(got)}, wrote ${String(v)}`);
    });
  }
});
