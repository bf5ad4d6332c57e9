export type { FormulaAst, FormulaNode, BinaryOp, TransformName, CallArgument } from "./ast.js";
export { TRANSFORMS } from "./ast.js";
export { parseFormula } from "./parse.js";
export { printFormula, printNode } from "./print.js";
export { expandFormula, type ModelSpec, type RandomTermSpec, type TermList, type VariableRef, type ExpandOptions } from "./terms.js";
export type { BasisSpec, VariableKind } from "./variables.js";
