import { FormulaSyntaxError } from "../errors/formula.js";
import { FUNCTION_NAMESPACE, TRANSFORMS, type BinaryOp, type CallArgument, type FormulaAst, type FormulaNode, type FunctionName } from "./ast.js";
import { tokenise, type Token } from "./tokens.js";

/** Parsing never recurses deeper than this, so hostile input cannot exhaust the stack. */
const MAX_DEPTH = 200;

/**
 * Parses lme4 formula syntax into a syntax tree, with R's operator precedence
 * (`^` > unary `-` > `:` > `%in%` > `*` `/` > `+` `-` > `|` `||` > `~`). A bar is only allowed as
 * the whole content of a pair of parentheses, as lme4 expects random terms: `(1 + t | site)`.
 * Function calls take R's argument syntax (`poly(t, 2)`, `ns(x, df = 3)`, `knots = c(2, 5)`);
 * inside a call, `+ - * / ^` are arithmetic (`I(x^2)`, `log(x + 1)`, `exp(-t)`).
 *
 * @example
 * ```ts
 * const ast = parseFormula("y ~ poly(t, 2) * arm + I(age / 10) + (1 + t | site)");
 * ```
 */
export function parseFormula(text: string): FormulaAst {
  if (typeof text !== "string") throw new FormulaSyntaxError(String(text), 0, "a formula string");
  if (text.length > 100_000) throw new FormulaSyntaxError(text.slice(0, 80), 0, "a formula of at most 100000 characters");
  const p = new Parser(text, tokenise(text));
  return p.formula();
}

class Parser {
  private i = 0;
  private depth = 0;
  /** How many function calls enclose the current position: inside one, operators are arithmetic. */
  private calls = 0;
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

  /** Left-associative run of binary operators `ops` over operands `next` (a loop: long sums do not recurse). */
  private chain(ops: readonly string[], next: () => FormulaNode): FormulaNode {
    let left = next();
    for (;;) {
      const t = this.peek();
      if (t.kind !== "op" || !ops.includes(t.text)) return left;
      this.i++;
      left = { kind: "binary", op: t.text as BinaryOp, left, right: next(), pos: t.pos };
    }
  }

  /** sum := product (('+'|'-') product)* ; bars are refused here (only `bracketed` takes them). */
  private sum(insideParens: boolean): FormulaNode {
    this.enter();
    const node = this.chain(["+", "-"], () => this.product());
    if ((this.isOp("|") || this.isOp("||")) && !insideParens) this.fail(this.calls > 0 ? "no '|' inside a function call" : "'|' only inside parentheses, as in (1 | g)");
    this.depth--;
    return node;
  }

  private product(): FormulaNode {
    return this.chain(["*", "/"], () => this.chain(["%in%"], () => this.chain([":"], () => this.unary())));
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

  /**
   * power := primary ['^' exponent]. In a formula the exponent is a positive whole number (term
   * crossing, `(a + b)^2`); inside a call it is any signed power (`I(x^-1)`, `I(x^(1/3))`).
   */
  private power(): FormulaNode {
    const base = this.primary();
    if (!this.isOp("^")) return base;
    const t = this.peek();
    this.i++;
    // R's grammar: the exponent may carry a sign (2^-1), which binds to it alone.
    if (this.calls > 0) return { kind: "binary", op: "^", left: base, right: this.unary(), pos: t.pos };
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
      if (!t.quoted && this.isOp("::")) return this.namespaced(t);
      if (!t.quoted && this.isOp("(")) return this.call(t, undefined);
      return t.quoted ? { kind: "name", name: t.text, pos: t.pos, quoted: true } : { kind: "name", name: t.text, pos: t.pos };
    }
    if (this.isOp("(")) return this.bracketed();
    return this.fail("a column name, a number or '('");
  }

  /** `pkg::fn(…)`: R's namespaced call, accepted for the package that really has the function. */
  private namespaced(pkg: Token): FormulaNode {
    this.i++; // "::"
    const fn = this.peek();
    if (fn.kind !== "name" || fn.quoted) this.fail(`a function name after ${pkg.text}::`);
    this.i++;
    if (!this.isOp("(")) this.fail(`'(' after ${pkg.text}::${fn.text}`);
    const expected = (FUNCTION_NAMESPACE as Record<string, string | undefined>)[fn.text];
    if (expected !== undefined && expected !== pkg.text) {
      throw new FormulaSyntaxError(this.text, pkg.pos, `${expected}::${fn.text} (${fn.text} is in R's ${expected} package)`, `${pkg.text}::${fn.text}`);
    }
    return this.call(fn, pkg.text, pkg.pos);
  }

  private call(fn: Token, namespace: string | undefined, pos = fn.pos): FormulaNode {
    if (!(TRANSFORMS as readonly string[]).includes(fn.text)) {
      throw new FormulaSyntaxError(this.text, pos, `an operator, or one of the formula functions ${TRANSFORMS.filter((f) => f !== "c").join(", ")}`, `${namespace ? namespace + "::" : ""}${fn.text}(`);
    }
    this.i++; // "("
    this.enter();
    this.calls++;
    const args: CallArgument[] = [];
    if (!this.isOp(")")) {
      for (;;) {
        const at = this.peek();
        let name: string | null = null;
        if (at.kind === "name" && this.tokens[this.i + 1].kind === "op" && this.tokens[this.i + 1].text === "=") {
          name = at.text;
          this.i += 2;
        }
        if (this.isOp(",") || this.isOp(")")) this.fail(name ? `a value for ${name}` : "an argument");
        args.push({ name, value: this.sum(false), pos: at.pos });
        if (this.isOp(",")) {
          this.i++;
          continue;
        }
        if (this.isOp(")")) break;
        this.fail(`',' or ')' closing ${fn.text}(`);
      }
    }
    this.i++; // ")"
    this.calls--;
    this.depth--;
    return namespace ? { kind: "call", fn: fn.text as FunctionName, namespace, args, pos } : { kind: "call", fn: fn.text as FunctionName, args, pos };
  }

  /** '(' sum [('|'|'||') sum] ')' */
  private bracketed(): FormulaNode {
    const open = this.peek();
    this.i++;
    this.enter();
    if (this.isOp(")")) this.fail("something inside the parentheses");
    if (this.isOp("|") || this.isOp("||")) this.fail(this.calls > 0 ? "an expression" : "a term left of '|', such as 1 in (1 | g)");
    const inner = this.sum(this.calls === 0);
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
