import { CsvSyntaxError } from "./errors.js";

/** One record (row) of delimited text, as RFC 4180 reads it. */
export interface CsvRecord {
  /** Field text with quoting removed (`"a ""b"""` → `a "b"`). */
  fields: string[];
  /** Raw `[start, end)` offsets of every field in the text, quotes included (only when asked for). */
  spans: number[] | null;
  /** Offset just after the record's line break (or the end of the text). */
  next: number;
  /** Line breaks the record spans: those inside quoted fields and its own terminator. */
  lineBreaks: number;
  /** An empty line (skipped, as R's `blank.lines.skip`). */
  blank: boolean;
}

const QUOTE = 34, LF = 10, CR = 13;

/**
 * Reads the record that starts at `pos`: fields split at `delimiter` (a character code), fields in double
 * quotes may hold delimiters, line breaks and doubled quotes; a record ends at LF, CRLF or CR outside quotes.
 * A quote inside an unquoted field is kept as a character. A quoted field that never closes, or text after a
 * closing quote, is refused naming `line` (the record's first line) in `file`.
 *
 * @example
 * ```ts
 * readRecord('a,"b,c"\r\n1,2', 0, 44, "x.csv", 1, false).fields; // ["a", "b,c"]
 * ```
 */
export function readRecord(text: string, pos: number, delimiter: number, file: string, line: number, withSpans: boolean): CsvRecord {
  const fields: string[] = [];
  const spans: number[] | null = withSpans ? [] : null;
  const n = text.length;
  let i = pos;
  let lineBreaks = 0;
  const blank = i < n && (text.charCodeAt(i) === LF || text.charCodeAt(i) === CR);
  for (;;) {
    const start = i;
    if (i < n && text.charCodeAt(i) === QUOTE) {
      let value = "";
      let from = i + 1;
      for (;;) {
        const close = text.indexOf('"', from);
        if (close < 0) throw new CsvSyntaxError(file, line + lineBreaks, "a quoted field is opened here and never closed");
        lineBreaks += countLineBreaks(text, from, close);
        if (text.charCodeAt(close + 1) === QUOTE) {
          value += text.slice(from, close + 1);
          from = close + 2;
          continue;
        }
        value += text.slice(from, close);
        i = close + 1;
        break;
      }
      const after = i < n ? text.charCodeAt(i) : -1;
      if (after !== -1 && after !== delimiter && after !== LF && after !== CR) {
        throw new CsvSyntaxError(file, line + lineBreaks, `text after the closing quote of ${JSON.stringify(value.length > 20 ? value.slice(0, 17) + "..." : value)} (a quote inside a quoted value is written twice: "")`);
      }
      fields.push(value);
    } else {
      while (i < n) {
        const c = text.charCodeAt(i);
        if (c === delimiter || c === LF || c === CR) break;
        i++;
      }
      fields.push(text.slice(start, i));
    }
    spans?.push(start, i);
    if (i < n && text.charCodeAt(i) === delimiter) {
      i++;
      continue;
    }
    if (i < n) {
      // A line break ends the record: CRLF counts once.
      if (text.charCodeAt(i) === CR && text.charCodeAt(i + 1) === LF) i++;
      i++;
      lineBreaks++;
    }
    return { fields, spans, next: i, lineBreaks, blank };
  }
}

/** Line breaks (LF, CRLF, lone CR) in `text[from, to)`. */
function countLineBreaks(text: string, from: number, to: number): number {
  let count = 0;
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i);
    if (c === LF || (c === CR && text.charCodeAt(i + 1) !== LF)) count++;
  }
  return count;
}
