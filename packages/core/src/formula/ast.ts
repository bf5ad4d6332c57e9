/** Syntax tree of a model formula. `pos` is the 0-based character offset of the node's first token. */
export type FormulaNode =
  /** A column (or, unquoted, one of the constants TRUE and FALSE). */
  | { kind: "name"; name: string; pos: number; quoted?: boolean }
  | { kind: "number"; value: number; text: string; pos: number }
  /** A function call such as `log(x + 1)`, `poly(t, 2)` or `splines::ns(x, df = 3)`. */
  | { kind: "call"; fn: FunctionName; namespace?: string; args: CallArgument[]; pos: number }
  | { kind: "unary"; op: "-" | "+"; operand: FormulaNode; pos: number }
  | { kind: "binary"; op: BinaryOp; left: FormulaNode; right: FormulaNode; pos: number }
  | { kind: "paren"; inner: FormulaNode; pos: number }
  | { kind: "bar"; lhs: FormulaNode; group: FormulaNode; double: boolean; pos: number };

/** One argument of a call: positional (`name` null) or named (`df = 3`). */
export interface CallArgument {
  name: string | null;
  value: FormulaNode;
  pos: number;
}

export type BinaryOp = "+" | "-" | "*" | "/" | ":" | "^" | "%in%";

/** Element-wise functions: each value of the result depends on the same row's values only. */
export const ELEMENTWISE = ["log", "log2", "log10", "log1p", "exp", "sqrt", "abs"] as const;

/**
 * Every function a formula may call. Nothing else runs: formulas are parsed and evaluated by this
 * package's own evaluator, never as code.
 * - `I(expr)`: arithmetic (`+ - * / ^`, parentheses, numbers, columns, the element-wise functions);
 * - the element-wise transforms {@link ELEMENTWISE};
 * - `factor(x)`: a column as categories;
 * - `poly`, `scale`, `ns`, `bs`: bases learned from the data (R's `stats`/`splines` functions);
 * - `offset(expr)`: a term with coefficient fixed at 1;
 * - `c(…)`: a list of numbers, as the value of an argument such as `knots = c(2, 5)`.
 */
export const TRANSFORMS = ["I", "factor", ...ELEMENTWISE, "poly", "scale", "ns", "bs", "offset", "c"] as const;
export type TransformName = (typeof TRANSFORMS)[number];
export type FunctionName = TransformName;

/** The R package each function lives in, for calls written with a namespace (`splines::ns(x, df = 3)`). */
export const FUNCTION_NAMESPACE: Readonly<Record<FunctionName, string>> = {
  I: "base",
  factor: "base",
  log: "base",
  log2: "base",
  log10: "base",
  log1p: "base",
  exp: "base",
  sqrt: "base",
  abs: "base",
  scale: "base",
  c: "base",
  poly: "stats",
  offset: "stats",
  ns: "splines",
  bs: "splines",
};

/** A parsed formula: `response ~ rhs` (response absent for one-sided formulas such as `~ x`). */
export interface FormulaAst {
  text: string;
  response: FormulaNode | null;
  rhs: FormulaNode;
}
