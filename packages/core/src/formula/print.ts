import type { FormulaAst, FormulaNode } from "./ast.js";
import { rNumber } from "./rNumber.js";

/** Writes a syntax tree back as formula text that parses to the same tree (R's deparse style). */
export function printFormula(ast: FormulaAst): string {
  return `${ast.response ? printNode(ast.response) + " " : ""}~ ${printNode(ast.rhs)}`;
}

const SIMPLE_NAME = /^[A-Za-z._][A-Za-z0-9._]*$/;
/** R deparses these operators without spaces (`x/2`, `x^2`, `a:b`), the others with (`x + 1`, `x * 2`). */
const TIGHT = new Set(["/", "^", ":"]);

/**
 * Formula text of one node, as R's `deparse` writes it: this is the label R gives a term and the
 * start of its coefficient names (`I(Days^2)`, `log(x + 1)`, `poly(t, 2)`, `ns(x, df = 3)`).
 * Long sums are written with a loop, so a formula of thousands of terms does not recurse deeply.
 */
export function printNode(node: FormulaNode): string {
  switch (node.kind) {
    case "name":
      return SIMPLE_NAME.test(node.name) && !/^\.[0-9]/.test(node.name) ? node.name : "`" + node.name + "`";
    case "number":
      return rNumber(node.value);
    case "call": {
      const args = node.args.map((a) => (a.name === null ? printNode(a.value) : `${a.name} = ${printNode(a.value)}`));
      return `${node.namespace ? node.namespace + "::" : ""}${node.fn}(${args.join(", ")})`;
    }
    case "unary":
      return `${node.op}${printNode(node.operand)}`;
    case "binary": {
      // Walk down the left spine iteratively: `a + b + … + z` is a deep left-leaning tree.
      const rights: { op: string; right: FormulaNode }[] = [];
      let left: FormulaNode = node;
      while (left.kind === "binary") {
        rights.push({ op: left.op, right: left.right });
        left = left.left;
      }
      let out = printNode(left);
      for (let k = rights.length - 1; k >= 0; k--) {
        const { op, right } = rights[k];
        out += TIGHT.has(op) ? `${op}${printNode(right)}` : ` ${op} ${printNode(right)}`;
      }
      return out;
    }
    case "paren":
      return `(${printNode(node.inner)})`;
    case "bar":
      return `(${printNode(node.lhs)} ${node.double ? "||" : "|"} ${printNode(node.group)})`;
  }
}
