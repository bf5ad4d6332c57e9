import { FormulaSyntaxError } from "../errors/formula.js";

export type TokenKind = "name" | "number" | "op" | "end";
export interface Token {
  kind: TokenKind;
  text: string;
  pos: number;
}

const OPERATORS = ["||", "~", "+", "-", "*", "/", ":", "^", "|", "(", ")"];
const NAME_START = /[A-Za-z._]/;
const NAME_PART = /[A-Za-z0-9._]/;

/**
 * Splits formula text into tokens. Names follow R's rules (letters, digits, `.` and `_`, not starting
 * with a digit); any other column name is written between backticks, as in R: `` `tumour size` ``.
 */
export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (c === " " || c === "\t" || c === "\n" || c === "\r") {
      i++;
      continue;
    }
    const start = i;
    if (c === "`") {
      const close = text.indexOf("`", i + 1);
      if (close < 0) throw new FormulaSyntaxError(text, i, "a closing backtick");
      if (close === i + 1) throw new FormulaSyntaxError(text, i, "a column name between backticks", "``");
      tokens.push({ kind: "name", text: text.slice(i + 1, close), pos: start });
      i = close + 1;
      continue;
    }
    if (/[0-9]/.test(c) || (c === "." && /[0-9]/.test(text[i + 1] ?? ""))) {
      while (i < text.length && /[0-9.]/.test(text[i])) i++;
      const numeral = text.slice(start, i);
      if (!Number.isFinite(Number(numeral))) throw new FormulaSyntaxError(text, start, "a number", numeral);
      tokens.push({ kind: "number", text: numeral, pos: start });
      continue;
    }
    if (NAME_START.test(c)) {
      while (i < text.length && NAME_PART.test(text[i])) i++;
      tokens.push({ kind: "name", text: text.slice(start, i), pos: start });
      continue;
    }
    const op = OPERATORS.find((o) => text.startsWith(o, i));
    if (!op) throw new FormulaSyntaxError(text, i, "a name, a number or one of ~ + - * / : ^ | || ( )" + backtickHint(text, i), c);
    tokens.push({ kind: "op", text: op, pos: start });
    i += op.length;
  }
  tokens.push({ kind: "end", text: "", pos: text.length });
  return tokens;
}

/** For a letter R's plain names do not allow (`ö` in Größe): the name as it must be written, in backticks. */
function backtickHint(text: string, i: number): string {
  if (!/\p{L}/u.test(text[i])) return "";
  let start = i, end = i;
  while (start > 0 && /[\p{L}\p{N}._]/u.test(text[start - 1])) start--;
  while (end < text.length && /[\p{L}\p{N}._]/u.test(text[end])) end++;
  return ` (a column name with letters outside A-Z goes between backticks: \`${text.slice(start, end)}\`)`;
}
