import { FormulaSyntaxError } from "../errors/formula.js";
import { TRANSFORMS, type BinaryOp, type FormulaAst, type FormulaNode, type TransformName } from "./ast.js";
import { tokenize, type Token } from "./tokens.js";

/** Parsing never recurses deeper than this, so hostile input cannot exhaust the stack. */
const MAX_DEPTH = 200;

/**
 * Parses lme4 formula syntax into a syntax tree, with R's operator precedence
 * (`^` > `:` > `*` `/` > `+` `-` > `|` `||` > `~`). A bar is only allowed as the whole content of
 * a pair of parentheses, as lme4 expects random terms: `(1 + t | site)`.
 *
 * @example
 * ```ts
 * const ast = parseFormula("y ~ x * t + (1 | site)");
 * ```
 */
export function parseFormula(text: string): FormulaAst {
  if (typeof text !== "string") throw new FormulaSyntaxError(String(text), 0, "a formula string");
  if (text.length > 100_000) throw new FormulaSyntaxError(text.slice(0, 80), 0, "a formula of at most 100000 characters");
  const p = new Parser(text, tokenize(text));
  return p.formula();
}

class Parser {
  private i = 0;
  private depth = 0;
  constructor(
    private readonly text: string,
    private readonly tokens: Token[],
  ) {}

  private peek(): Token {
    return this.tokens[this.i];
  }
  private isOp(op: string): boolean {
    const t = this.peek();
    return t.kind === "op" && t.text === op;
  }
  private fail(expected: string): never {
    const t = this.peek();
    throw new FormulaSyntaxError(this.text, t.pos, expected, t.kind === "end" ? undefined : t.text);
  }

  formula(): FormulaAst {
    let response: FormulaNode | null = null;
    if (!this.isOp("~")) {
      if (this.peek().kind === "end") this.fail("a formula such as y ~ x + (1 | g)");
      response = this.sum(false);
      if (!this.isOp("~")) this.fail("'~'");
    }
    this.i++;
    if (this.peek().kind === "end") this.fail("terms after '~'");
    const rhs = this.sum(false);
    if (this.peek().kind !== "end") this.fail(this.isOp(")") ? "no ')' here: parentheses do not match" : "an operator such as '+'");
    return { text: this.text, response, rhs };
  }

  private enter(): void {
    if (++this.depth > MAX_DEPTH) this.fail(`at most ${MAX_DEPTH} nested parentheses or operators`);
  }

  /** sum := ['+'|'-'] product (('+'|'-') product)* ; bars are refused here (only `bracketed` takes them). */
  private sum(insideParens: boolean): FormulaNode {
    this.enter();
    let left = this.product();
    while (this.isOp("+") || this.isOp("-")) {
      const t = this.peek();
      this.i++;
      left = { kind: "binary", op: t.text as BinaryOp, left, right: this.product(), pos: t.pos };
    }
    if ((this.isOp("|") || this.isOp("||")) && !insideParens) this.fail("'|' only inside parentheses, as in (1 | g)");
    this.depth--;
    return left;
  }

  private product(): FormulaNode {
    let left = this.interaction();
    while (this.isOp("*") || this.isOp("/")) {
      const t = this.peek();
      this.i++;
      left = { kind: "binary", op: t.text as BinaryOp, left, right: this.interaction(), pos: t.pos };
    }
    return left;
  }

  private interaction(): FormulaNode {
    let left = this.unary();
    while (this.isOp(":")) {
      const t = this.peek();
      this.i++;
      left = { kind: "binary", op: ":", left, right: this.unary(), pos: t.pos };
    }
    return left;
  }

  /** As in R, unary minus binds tighter than ':' and looser than '^'. */
  private unary(): FormulaNode {
    if (!this.isOp("-") && !this.isOp("+")) return this.power();
    const t = this.peek();
    this.i++;
    this.enter();
    const operand = this.unary();
    this.depth--;
    return { kind: "unary", op: t.text as "-" | "+", operand, pos: t.pos };
  }

  private power(): FormulaNode {
    const base = this.primary();
    if (!this.isOp("^")) return base;
    const t = this.peek();
    this.i++;
    const exponent = this.peek();
    if (exponent.kind !== "number" || !/^[1-9][0-9]*$/.test(exponent.text)) this.fail("a positive whole number after '^'");
    this.i++;
    return { kind: "binary", op: "^", left: base, right: { kind: "number", value: Number(exponent.text), text: exponent.text, pos: exponent.pos }, pos: t.pos };
  }

  private primary(): FormulaNode {
    const t = this.peek();
    if (t.kind === "number") {
      this.i++;
      return { kind: "number", value: Number(t.text), text: t.text, pos: t.pos };
    }
    if (t.kind === "name") {
      this.i++;
      if (this.isOp("(")) return this.call(t);
      return { kind: "name", name: t.text, pos: t.pos };
    }
    if (this.isOp("(")) return this.bracketed();
    return this.fail("a column name, a number or '('");
  }

  private call(fn: Token): FormulaNode {
    if (!(TRANSFORMS as readonly string[]).includes(fn.text)) {
      throw new FormulaSyntaxError(this.text, fn.pos, `an operator, or one of the transforms ${TRANSFORMS.join(", ")}`, `${fn.text}(`);
    }
    this.i++; // "("
    const arg = this.peek();
    if (arg.kind !== "name") this.fail("a column name inside the transform");
    this.i++;
    if (!this.isOp(")")) this.fail("')' closing the transform");
    this.i++;
    return { kind: "call", fn: fn.text as TransformName, arg: { kind: "name", name: arg.text, pos: arg.pos }, pos: fn.pos };
  }

  /** '(' sum [('|'|'||') sum] ')' */
  private bracketed(): FormulaNode {
    const open = this.peek();
    this.i++;
    this.enter();
    if (this.isOp(")")) this.fail("something inside the parentheses");
    if (this.isOp("|") || this.isOp("||")) this.fail("a term left of '|', such as 1 in (1 | g)");
    const inner = this.sum(true);
    let node: FormulaNode;
    if (this.isOp("|") || this.isOp("||")) {
      const bar = this.peek();
      this.i++;
      if (this.isOp(")") || this.peek().kind === "end") this.fail("a grouping factor right of '|'");
      const group = this.sum(true);
      if (this.isOp("|") || this.isOp("||")) this.fail("')' (one '|' per random term)");
      node = { kind: "bar", lhs: inner, group, double: bar.text === "||", pos: open.pos };
    } else node = { kind: "paren", inner, pos: open.pos };
    if (!this.isOp(")")) this.fail(`')' matching '(' at character ${open.pos + 1}`);
    this.i++;
    this.depth--;
    return node;
  }
}
