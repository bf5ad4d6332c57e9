/** Syntax tree of a model formula. `pos` is the 0-based character offset of the node's first token. */
export type FormulaNode =
  | { kind: "name"; name: string; pos: number }
  | { kind: "number"; value: number; text: string; pos: number }
  | { kind: "call"; fn: TransformName; arg: FormulaNode; pos: number }
  | { kind: "unary"; op: "-" | "+"; operand: FormulaNode; pos: number }
  | { kind: "binary"; op: BinaryOp; left: FormulaNode; right: FormulaNode; pos: number }
  | { kind: "paren"; inner: FormulaNode; pos: number }
  | { kind: "bar"; lhs: FormulaNode; group: FormulaNode; double: boolean; pos: number };

export type BinaryOp = "+" | "-" | "*" | "/" | ":" | "^";

/** The element-wise transforms a formula may apply to a column, e.g. `log(y)`. Nothing else runs. */
export const TRANSFORMS = ["log", "log2", "log10", "log1p", "exp", "sqrt", "abs", "factor"] as const;
export type TransformName = (typeof TRANSFORMS)[number];

/** A parsed formula: `response ~ rhs` (response absent for one-sided formulas such as `~ x`). */
export interface FormulaAst {
  text: string;
  response: FormulaNode | null;
  rhs: FormulaNode;
}
