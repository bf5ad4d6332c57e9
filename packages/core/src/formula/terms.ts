import { FormulaTermError } from "../errors/formula.js";
import type { FormulaAst, FormulaNode, TransformName } from "./ast.js";
import { printNode } from "./print.js";

/** A variable as the formula names it: a column, possibly through a transform (`log(x)`). */
export interface VariableRef {
  /** The label R would print: `x`, `log(x)`. */
  label: string;
  column: string;
  transform?: TransformName;
}

/** The fixed part, or the left side of a random term: an intercept flag and interaction terms. */
export interface TermList {
  intercept: boolean;
  /** Each term lists the labels of its variables, in the order R's terms() would name them. */
  terms: string[][];
}

/** One random-effects term `(lhs | g1:g2)` after expanding `||` and `/`. */
export interface RandomTermSpec {
  /** Text of the term as lme4 would write it, e.g. `(0 + Days | Subject)`. */
  text: string;
  lhs: TermList;
  /** The grouping variables in label order: `cask:batch` is `["cask", "batch"]`. */
  group: string[];
  /** The grouping factor's name, e.g. `cask:batch`. */
  groupLabel: string;
}

/** What a formula asks for, ready for the model frame. */
export interface ModelSpec {
  formula: string;
  response: VariableRef | null;
  fixed: TermList;
  random: RandomTermSpec[];
  /** Every variable used anywhere, by label. */
  variables: Map<string, VariableRef>;
}

interface Expansion {
  terms: string[][];
  intercept: boolean | null;
}

/**
 * Expands a parsed formula into fixed terms and random terms as R's `terms()` and lme4's
 * `findbars()` / `expandDoubleVerts()` do: `a*b` → `a + b + a:b`, `a/b` → `a + a:b`,
 * `(a+b)^2`, `- 1`, `0 +`, `(x || g)` → `(1 | g) + (0 + x | g)`, `(1 | a/b)` → `(1 | b:a) + (1 | a)`.
 *
 * @example
 * ```ts
 * const spec = expandFormula(parseFormula("y ~ x * t + (t || site)"));
 * spec.fixed.terms; // [["x"], ["t"], ["x", "t"]]
 * ```
 */
export function expandFormula(ast: FormulaAst): ModelSpec {
  const variables = new Map<string, VariableRef>();
  const response = ast.response ? responseVariable(ast.response, variables) : null;
  const bars: Extract<FormulaNode, { kind: "bar" }>[] = [];
  const fixedOrder: string[] = [];
  const fixed = finishTerms(expand(ast.rhs, { variables, order: fixedOrder, bars }), fixedOrder, true);
  const random: RandomTermSpec[] = [];
  for (const bar of bars) random.push(...expandBar(bar, variables));
  return { formula: ast.text, response, fixed, random, variables };
}

interface Context {
  variables: Map<string, VariableRef>;
  order: string[];
  /** Where random terms are collected; null where a bar is not allowed. */
  bars: Extract<FormulaNode, { kind: "bar" }>[] | null;
}

function responseVariable(node: FormulaNode, variables: Map<string, VariableRef>): VariableRef {
  const inner = node.kind === "paren" ? node.inner : node;
  if (inner.kind === "name" || inner.kind === "call") return register(inner, { variables, order: [], bars: null });
  throw new FormulaTermError(printNode(node), "the response must be one column, optionally transformed, such as y or log(y)");
}

function register(node: Extract<FormulaNode, { kind: "name" | "call" }>, ctx: Context): VariableRef {
  const ref: VariableRef =
    node.kind === "name"
      ? { label: node.name, column: node.name }
      : { label: printNode(node), column: (node.arg as { name: string }).name, transform: node.fn };
  if (!ctx.variables.has(ref.label)) ctx.variables.set(ref.label, ref);
  if (!ctx.order.includes(ref.label)) ctx.order.push(ref.label);
  return ref;
}

function expand(node: FormulaNode, ctx: Context): Expansion {
  switch (node.kind) {
    case "name":
    case "call":
      return { terms: [[register(node, ctx).label]], intercept: null };
    case "number":
      if (node.value === 0) return { terms: [], intercept: false };
      if (node.value === 1) return { terms: [], intercept: true };
      throw new FormulaTermError(node.text, "only 0 and 1 may appear as numbers (to remove or keep the intercept)");
    case "paren":
      return expand(node.inner, ctx);
    case "bar":
      if (!ctx.bars) throw new FormulaTermError(printNode(node), "a random term cannot be nested inside another term");
      ctx.bars.push(node);
      return { terms: [], intercept: null };
    case "unary": {
      const e = expand(node.operand, ctx);
      return node.op === "+" ? e : subtract({ terms: [], intercept: null }, e);
    }
    case "binary":
      return expandBinary(node, ctx);
  }
}

function expandBinary(node: Extract<FormulaNode, { kind: "binary" }>, ctx: Context): Expansion {
  const left = expand(node.left, ctx);
  if (node.op === "^") return power(left, (node.right as { value: number }).value);
  const right = expand(node.right, ctx);
  switch (node.op) {
    case "+":
      return { terms: union(left.terms, right.terms), intercept: right.intercept ?? left.intercept };
    case "-":
      return subtract(left, right);
    case ":":
      return { terms: cross(nonEmpty(left, node), nonEmpty(right, node)), intercept: null };
    case "*":
      return { terms: union(union(left.terms, right.terms), cross(nonEmpty(left, node), nonEmpty(right, node))), intercept: left.intercept ?? right.intercept };
    case "/": {
      const all = [...new Set(nonEmpty(left, node).flat())];
      return { terms: union(left.terms, right.terms.map((t) => [...all, ...t])), intercept: left.intercept };
    }
    default:
      throw new FormulaTermError(printNode(node), `unsupported operator ${node.op}`);
  }
}

function nonEmpty(e: Expansion, node: FormulaNode): string[][] {
  if (e.terms.length === 0) throw new FormulaTermError(printNode(node), "an interaction needs variables on both sides");
  return e.terms;
}

function subtract(left: Expansion, right: Expansion): Expansion {
  const drop = new Set(right.terms.map(key));
  const intercept = right.intercept === true ? false : right.intercept === false ? true : left.intercept;
  return { terms: left.terms.filter((t) => !drop.has(key(t))), intercept };
}

function power(base: Expansion, n: number): Expansion {
  let terms = base.terms;
  for (let i = 1; i < n; i++) terms = union(terms, cross(terms, base.terms));
  return { terms, intercept: base.intercept };
}

function cross(a: string[][], b: string[][]): string[][] {
  const out: string[][] = [];
  for (const x of a) for (const y of b) out.push([...new Set([...x, ...y])]);
  return union([], out);
}

function union(a: string[][], b: string[][]): string[][] {
  const seen = new Set(a.map(key));
  const out = [...a];
  for (const t of b) {
    const k = key(t);
    if (!seen.has(k)) {
      seen.add(k);
      out.push(t);
    }
  }
  return out;
}

function key(term: string[]): string {
  return JSON.stringify([...term].sort());
}

/** Orders variables inside each term by first appearance, then terms by degree (R's keep.order = FALSE). */
function finishTerms(e: Expansion, order: string[], defaultIntercept: boolean): TermList {
  const rank = new Map(order.map((v, i) => [v, i]));
  const terms = e.terms
    .map((t) => [...t].sort((x, y) => rank.get(x)! - rank.get(y)!))
    .map((t, i) => ({ t, i }))
    .sort((x, y) => x.t.length - y.t.length || x.i - y.i)
    .map(({ t }) => t);
  return { intercept: e.intercept ?? defaultIntercept, terms };
}

function expandBar(bar: Extract<FormulaNode, { kind: "bar" }>, variables: Map<string, VariableRef>): RandomTermSpec[] {
  const order: string[] = [];
  const lhs = finishTerms(expand(bar.lhs, { variables, order, bars: null }), order, true);
  const groups = expandGroup(bar.group, variables);
  const lhsParts: TermList[] = bar.double
    ? [...(lhs.intercept ? [{ intercept: true, terms: [] }] : []), ...lhs.terms.map((t) => ({ intercept: false, terms: [t] }))]
    : [lhs];
  if (lhsParts.every((p) => !p.intercept && p.terms.length === 0)) {
    throw new FormulaTermError(printNode(bar), "nothing is left of the bar: write (1 | g) for a random intercept");
  }
  const out: RandomTermSpec[] = [];
  for (const group of groups) {
    const groupLabel = group.join(":");
    for (const part of lhsParts) out.push({ text: randomText(part, groupLabel), lhs: part, group, groupLabel });
  }
  return out;
}

function randomText(lhs: TermList, group: string): string {
  const parts = lhs.terms.map((t) => t.join(":"));
  const left = lhs.intercept ? (parts.length ? parts.join(" + ") : "1") : ["0", ...parts].join(" + ");
  return `(${left} | ${group})`;
}

/** `g` → [[g]]; `a:b` → [[a, b]]; `a/b` → [[b, a], [a]] (lme4 names the inner factor first: `b:a`). */
function expandGroup(node: FormulaNode, variables: Map<string, VariableRef>): string[][] {
  const ctx: Context = { variables, order: [], bars: null };
  const visit = (n: FormulaNode): string[][] => {
    if (n.kind === "name") return [[register(n, ctx).label]];
    if (n.kind === "paren") return visit(n.inner);
    if (n.kind === "binary" && n.op === ":") {
      const out: string[][] = [];
      for (const a of visit(n.left)) for (const b of visit(n.right)) out.push([...a, ...b]);
      return out;
    }
    if (n.kind === "binary" && n.op === "/") {
      const outer = visit(n.left);
      const inner = visit(n.right);
      // Only the innermost outer factor nests the right side: a/b/c gives c:b:a, b:a, a.
      return [...inner.map((i) => [...i, ...outer[0]]), ...outer];
    }
    throw new FormulaTermError(printNode(n), "a grouping factor must be a column name, a:b or a/b");
  };
  return visit(node);
}
