/** Splits text into lines (LF or CRLF), dropping a trailing empty line. */
export function splitLines(text: string): string[] {
  const lines = text.split(/\r?\n/);
  if (lines.length > 0 && lines[lines.length - 1] === "") lines.pop();
  return lines;
}

/** Whitespace-separated fields of one line (PLINK allows tabs and spaces). */
export function fields(line: string): string[] {
  const trimmed = line.trim();
  return trimmed === "" ? [] : trimmed.split(/[ \t]+/);
}
