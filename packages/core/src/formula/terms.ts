import { FormulaTermError, ModelSizeError } from "../errors/formula.js";
import type { FormulaAst, FormulaNode } from "./ast.js";
import { printNode } from "./print.js";
import { describeOffset, describeVariable, type VariableRef } from "./variables.js";

export type { VariableRef } from "./variables.js";

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
  /** Labels of the `offset(…)` terms of the fixed part (their variables are in `variables`). */
  offsets: string[];
  /** Every variable used anywhere, by label. */
  variables: Map<string, VariableRef>;
}

/** Limits of {@link expandFormula}. */
export interface ExpandOptions {
  /**
   * Most terms any part may expand to (default unlimited). A model needs at least one column per
   * term, so the model builder passes the number of data rows: `(v1 + … + v20)^20` (a million
   * terms) is refused while expanding instead of filling memory.
   */
  maxTerms?: number;
}

/** Terms as a list plus their keys, so that a union costs the size of the added part only. */
interface Expansion {
  terms: string[][];
  keys: Set<string>;
  intercept: boolean | null;
}

type Bar = Extract<FormulaNode, { kind: "bar" }>;

/**
 * Expands a parsed formula into fixed terms and random terms as R's `terms()` and lme4's
 * `findbars()` / `expandDoubleVerts()` do: `a*b` → `a + b + a:b`, `a/b` → `a + a:b`,
 * `a %in% b` → `a:b`, `(a+b)^2`, `- a:b`, `- 1`, `0 +`, `(x || g)` → `(1 | g) + (0 + x | g)`,
 * `(1 | a/b)` → `(1 | b:a) + (1 | a)`; `offset(…)` terms are set aside.
 *
 * @example
 * ```ts
 * const spec = expandFormula(parseFormula("y ~ x * t + (t || site)"));
 * spec.fixed.terms; // [["x"], ["t"], ["x", "t"]]
 * ```
 */
export function expandFormula(ast: FormulaAst, options: ExpandOptions = {}): ModelSpec {
  const variables = new Map<string, VariableRef>();
  const limit = options.maxTerms ?? Infinity;
  const response = ast.response ? responseVariable(ast.response, variables) : null;
  const bars: Bar[] = [];
  const offsets: string[] = [];
  const fixedOrder: string[] = [];
  const fixed = finishTerms(expand(ast.rhs, { variables, order: fixedOrder, bars, offsets, limit }), fixedOrder, true);
  const random: RandomTermSpec[] = [];
  for (const bar of bars) random.push(...expandBar(bar, variables, limit));
  return { formula: ast.text, response, fixed, random, offsets, variables };
}

interface Context {
  variables: Map<string, VariableRef>;
  order: string[];
  /** Where random terms are collected; null where a bar is not allowed. */
  bars: Bar[] | null;
  /** Where offset terms are collected; null where an offset is not allowed. */
  offsets: string[] | null;
  limit: number;
}

function responseVariable(node: FormulaNode, variables: Map<string, VariableRef>): VariableRef {
  const inner = node.kind === "paren" ? node.inner : node;
  if (inner.kind === "name" || inner.kind === "call") {
    const ref = describeVariable(inner);
    if (ref.kind === "factor") throw new FormulaTermError(ref.label, "the response must be numeric; a linear mixed model cannot have factor() on the left of '~'");
    if (ref.basis && ref.basis.fn !== "scale") throw new FormulaTermError(ref.label, `the response must be one numeric column; ${ref.basis.fn}() gives several`);
    return register(ref, { variables, order: [], bars: null, offsets: null, limit: Infinity });
  }
  throw new FormulaTermError(printNode(node), "the response must be one column or one expression of columns, such as y, log(y) or I(y / 100)");
}

function register(ref: VariableRef, ctx: Context): VariableRef {
  const known = ctx.variables.get(ref.label);
  if (!known) ctx.variables.set(ref.label, ref);
  if (!ctx.order.includes(ref.label)) ctx.order.push(ref.label);
  return known ?? ref;
}

function single(label: string): Expansion {
  const term = [label];
  return { terms: [term], keys: new Set([key(term)]), intercept: null };
}

const EMPTY = (intercept: boolean | null): Expansion => ({ terms: [], keys: new Set(), intercept });

function expand(node: FormulaNode, ctx: Context): Expansion {
  switch (node.kind) {
    case "name":
      return single(register(describeVariable(node), ctx).label);
    case "call":
      if (node.fn === "offset") {
        if (!ctx.offsets) throw new FormulaTermError(printNode(node), "offset() is a term of its own in the fixed part; it cannot be inside an interaction or a random term");
        const ref = describeOffset(node);
        if (!ctx.variables.has(ref.label)) ctx.variables.set(ref.label, ref);
        if (!ctx.offsets.includes(ref.label)) ctx.offsets.push(ref.label);
        return EMPTY(null);
      }
      return single(register(describeVariable(node), ctx).label);
    case "number":
      if (node.value === 0) return EMPTY(false);
      if (node.value === 1) return EMPTY(true);
      throw new FormulaTermError(printNode(node), "only 0 and 1 may appear as numbers (to remove or keep the intercept); arithmetic goes inside I(), as in I(2 * x)");
    case "paren":
      return expand(node.inner, ctx);
    case "bar":
      if (!ctx.bars) throw new FormulaTermError(printNode(node), "a random term cannot be nested inside another term");
      ctx.bars.push(node);
      return EMPTY(null);
    case "unary": {
      const e = expand(node.operand, node.op === "+" ? ctx : { ...ctx, offsets: null });
      return node.op === "+" ? e : subtract(EMPTY(null), e);
    }
    case "binary":
      return expandChain(node, ctx);
  }
}

/**
 * A binary operator and the run of the same operator down its left side (`a + b + … + z` is a
 * left-leaning tree as deep as it is long), folded left to right in a loop.
 */
function expandChain(node: Extract<FormulaNode, { kind: "binary" }>, ctx: Context): Expansion {
  if (node.op === "^") {
    if (node.right.kind !== "number" || !Number.isInteger(node.right.value) || node.right.value < 1) throw new FormulaTermError(printNode(node), "'^' in a formula needs a positive whole number; arithmetic goes inside I(), as in I(x^2)");
    return power(expand(node.left, { ...ctx, offsets: null }), node.right.value, node, ctx.limit);
  }
  const steps: Extract<FormulaNode, { kind: "binary" }>[] = [];
  let left: FormulaNode = node;
  while (left.kind === "binary" && (left.op === node.op || (isSum(left.op) && isSum(node.op)))) {
    steps.push(left);
    left = left.left;
  }
  // offset(…) is a term of its own: added to a sum, never crossed, nested or removed.
  const inner: Context = { ...ctx, offsets: null };
  let acc = expand(left, isSum(node.op) ? ctx : inner);
  for (let k = steps.length - 1; k >= 0; k--) acc = combine(steps[k], acc, expand(steps[k].right, steps[k].op === "+" ? ctx : inner), ctx.limit);
  return acc;
}

function isSum(op: string): boolean {
  return op === "+" || op === "-";
}

function combine(node: Extract<FormulaNode, { kind: "binary" }>, left: Expansion, right: Expansion, limit: number): Expansion {
  switch (node.op) {
    case "+":
      return { ...union(left, right.terms, limit, node), intercept: right.intercept ?? left.intercept };
    case "-":
      return subtract(left, right);
    case ":":
      return { ...cross(nonEmpty(left, node), nonEmpty(right, node), limit, node), intercept: null };
    case "*": {
      const both = union(copy(left), right.terms, limit, node);
      return { ...union(both, cross(nonEmpty(left, node), nonEmpty(right, node), limit, node).terms, limit, node), intercept: left.intercept ?? right.intercept };
    }
    case "/": {
      const all = [...new Set(nonEmpty(left, node).flat())];
      return { ...union(copy(left), right.terms.map((t) => [...all, ...t]), limit, node), intercept: left.intercept };
    }
    case "%in%": {
      const all = [...new Set(nonEmpty(right, node).flat())];
      return { ...union(EMPTY(null), nonEmpty(left, node).map((t) => [...t, ...all]), limit, node), intercept: null };
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
  const intercept = right.intercept === true ? false : right.intercept === false ? true : left.intercept;
  if (right.terms.length === 0) return { ...left, intercept };
  const drop = new Set(right.terms.map(key));
  const terms = left.terms.filter((t) => !drop.has(key(t)));
  return { terms, keys: new Set(terms.map(key)), intercept };
}

function power(base: Expansion, n: number, node: FormulaNode, limit: number): Expansion {
  let acc = copy(base);
  for (let i = 1; i < n; i++) {
    const before = acc.terms.length;
    acc = union(acc, cross(acc.terms, base.terms, limit, node).terms, limit, node);
    if (acc.terms.length === before) break;
  }
  return { ...acc, intercept: base.intercept };
}

/** Every pair's union of variables, once each; refused as soon as there are more than `limit`. */
function cross(a: string[][], b: string[][], limit: number, node: FormulaNode): Expansion {
  const out = EMPTY(null);
  for (const x of a) for (const y of b) add(out, [...new Set([...x, ...y])], limit, node);
  return out;
}

function copy(e: Expansion): Expansion {
  return { terms: [...e.terms], keys: new Set(e.keys), intercept: e.intercept };
}

/** Adds `terms` to `into` (which is modified and returned), skipping those it has. */
function union(into: Expansion, terms: string[][], limit: number, node: FormulaNode): Expansion {
  for (const t of terms) add(into, t, limit, node);
  return into;
}

function add(into: Expansion, term: string[], limit: number, node: FormulaNode): void {
  const k = key(term);
  if (into.keys.has(k)) return;
  into.keys.add(k);
  into.terms.push(term);
  if (into.terms.length > limit) {
    const text = printNode(node);
    throw new ModelSizeError("terms", into.terms.length, limit, `${JSON.stringify(text.length > 60 ? text.slice(0, 57) + "..." : text)} expands to more than ${limit} terms, and each term needs at least one column: more coefficients than the ${limit} rows of the data can estimate`);
  }
}

function key(term: string[]): string {
  return term.length === 1 ? term[0] : JSON.stringify([...term].sort());
}

/** Orders variables inside each term by first appearance, then terms by degree (R's keep.order = FALSE). */
function finishTerms(e: Expansion, order: string[], defaultIntercept: boolean): TermList {
  const rank = new Map(order.map((v, i) => [v, i]));
  const terms = e.terms
    .map((t) => (t.length === 1 ? t : [...t].sort((x, y) => rank.get(x)! - rank.get(y)!)))
    .map((t, i) => ({ t, i }))
    .sort((x, y) => x.t.length - y.t.length || x.i - y.i)
    .map(({ t }) => t);
  return { intercept: e.intercept ?? defaultIntercept, terms };
}

function expandBar(bar: Bar, variables: Map<string, VariableRef>, limit: number): RandomTermSpec[] {
  const order: string[] = [];
  const lhs = finishTerms(expand(bar.lhs, { variables, order, bars: null, offsets: null, limit }), order, true);
  const groups = expandGroup(bar.group, variables);
  const lhsParts: TermList[] = bar.double
    ? [...(lhs.intercept ? [{ intercept: true, terms: [] }] : []), ...lhs.terms.map((t) => ({ intercept: false, terms: [t] }))]
    : [lhs];
  if (lhsParts.every((p) => !p.intercept && p.terms.length === 0)) {
    throw new FormulaTermError(printNode(bar), "nothing is left of the bar: write (1 | g) for a random intercept");
  }
  const out: RandomTermSpec[] = [];
  for (const { vars: group, label: groupLabel } of groups) {
    for (const part of lhsParts) out.push({ text: randomText(part, groupLabel), lhs: part, group, groupLabel });
  }
  return out;
}

function randomText(lhs: TermList, group: string): string {
  const parts = lhs.terms.map((t) => t.join(":"));
  const left = lhs.intercept ? (parts.length ? parts.join(" + ") : "1") : ["0", ...parts].join(" + ");
  return `(${left} | ${group})`;
}

/**
 * `g` → [[g]]; `a:b` → [[a, b]]; `a/b` → [[b, a], [a]] (lme4 names the inner factor first: `b:a`);
 * `a/b/c` → [[c, b, a], [b, a], [a]], labelled as lme4's `expandSlash` deparses them:
 * `c:(b:a)`, `b:a`, `a`.
 */
function expandGroup(node: FormulaNode, variables: Map<string, VariableRef>): { vars: string[]; label: string }[] {
  const ctx: Context = { variables, order: [], bars: null, offsets: null, limit: Infinity };
  const visit = (n: FormulaNode): { vars: string[]; label: string; nested: boolean }[] => {
    if (n.kind === "name") {
      const label = register(describeVariable(n), ctx).label;
      return [{ vars: [label], label, nested: false }];
    }
    if (n.kind === "paren") return visit(n.inner);
    if (n.kind === "binary" && n.op === ":") {
      const out: { vars: string[]; label: string; nested: boolean }[] = [];
      for (const a of visit(n.left)) for (const b of visit(n.right)) out.push({ vars: [...a.vars, ...b.vars], label: `${a.label}:${b.nested ? `(${b.label})` : b.label}`, nested: false });
      return out;
    }
    if (n.kind === "binary" && n.op === "/") {
      const outer = visit(n.left);
      const inner = visit(n.right);
      // Only the innermost outer factor nests the right side: a/b/c gives c:(b:a), b:a, a.
      const o = outer[0];
      const wrap = o.vars.length > 1;
      return [...inner.map((i) => ({ vars: [...i.vars, ...o.vars], label: `${i.label}:${wrap ? `(${o.label})` : o.label}`, nested: true })), ...outer];
    }
    throw new FormulaTermError(printNode(n), "a grouping factor must be a column name, a:b or a/b");
  };
  return visit(node).map(({ vars, label }) => ({ vars, label }));
}
