import { FormulaSyntaxError } from "../errors/formula.js";

export type TokenKind = "name" | "number" | "op" | "end";
export interface Token {
  kind: TokenKind;
  text: string;
  pos: number;
  /** A name written between backticks: always a column, never a constant such as TRUE. */
  quoted?: boolean;
}

/** Longest first, so `||` is not read as two bars nor `::` as two colons. */
const OPERATORS = ["||", "%in%", "::", "~", "+", "-", "*", "/", ":", "^", "|", "(", ")", ",", "="];
const NAME_START = /[A-Za-z._]/;
const NAME_PART = /[A-Za-z0-9._]/;
/** R's numerals: digits with an optional decimal part and exponent (`2`, `0.5`, `.5`, `1e-3`, `2.5E+4`). */
const NUMERAL = /^(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?/;

/**
 * Splits formula text into tokens. Names follow R's rules (letters, digits, `.` and `_`, not starting
 * with a digit); any other column name is written between backticks, as in R: `` `tumour size` ``.
 */
export function tokenise(text: string): Token[] {
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
      tokens.push({ kind: "name", text: text.slice(i + 1, close), pos: start, quoted: true });
      i = close + 1;
      continue;
    }
    if (/[0-9]/.test(c) || (c === "." && /[0-9]/.test(text[i + 1] ?? ""))) {
      const numeral = NUMERAL.exec(text.slice(i, i + 400))![0];
      i += numeral.length;
      if (/[A-Za-z0-9._]/.test(text[i] ?? "")) throw new FormulaSyntaxError(text, start, "a number", text.slice(start, i + 1));
      if (!Number.isFinite(Number(numeral))) throw new FormulaSyntaxError(text, start, "a finite number", numeral);
      tokens.push({ kind: "number", text: numeral, pos: start });
      continue;
    }
    if (NAME_START.test(c)) {
      while (i < text.length && NAME_PART.test(text[i])) i++;
      tokens.push({ kind: "name", text: text.slice(start, i), pos: start });
      continue;
    }
    if (c === "%" && !text.startsWith("%in%", i)) {
      const close = text.indexOf("%", i + 1);
      throw new FormulaSyntaxError(text, i, "one of ~ + - * / : ^ | || ( ) or %in%", close > 0 && close - i < 20 ? text.slice(i, close + 1) : c);
    }
    const op = OPERATORS.find((o) => text.startsWith(o, i));
    if (!op || (op === "=" && text[i + 1] === "=")) throw new FormulaSyntaxError(text, i, "a name, a number or one of ~ + - * / : ^ | || ( ) %in%" + backtickHint(text, i), c);
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
