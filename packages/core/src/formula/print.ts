import type { FormulaAst, FormulaNode } from "./ast.js";

/** Writes a syntax tree back as formula text that parses to the same tree. */
export function printFormula(ast: FormulaAst): string {
  return `${ast.response ? printNode(ast.response) + " " : ""}~ ${printNode(ast.rhs)}`;
}

const SIMPLE_NAME = /^[A-Za-z._][A-Za-z0-9._]*$/;

/** Formula text of one node. */
export function printNode(node: FormulaNode): string {
  switch (node.kind) {
    case "name":
      return SIMPLE_NAME.test(node.name) && !/^\.[0-9]/.test(node.name) ? node.name : "`" + node.name + "`";
    case "number":
      return node.text;
    case "call":
      return `${node.fn}(${printNode(node.arg)})`;
    case "unary":
      return `${node.op}${printNode(node.operand)}`;
    case "binary":
      return node.op === ":" || node.op === "^"
        ? `${printNode(node.left)}${node.op}${printNode(node.right)}`
        : `${printNode(node.left)} ${node.op} ${printNode(node.right)}`;
    case "paren":
      return `(${printNode(node.inner)})`;
    case "bar":
      return `(${printNode(node.lhs)} ${node.double ? "||" : "|"} ${printNode(node.group)})`;
  }
}
