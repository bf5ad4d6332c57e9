import { FormulaTermError } from "../errors/formula.js";
import { ELEMENTWISE, type FormulaNode } from "./ast.js";
import { printNode } from "./print.js";

/**
 * How a variable's values come from the data:
 * - `column`: a bare column, numeric or categorical as the data say;
 * - `factor`: `factor(x)`, a column as categories;
 * - `numeric`: an element-wise expression (`I(x^2)`, `log(x + 1)`): one numeric column;
 * - `basis`: `poly`, `scale`, `ns` or `bs` of an element-wise expression: numeric columns whose
 *   construction is learned from the data (and reused, not relearned, for new data).
 */
export type VariableKind = "column" | "factor" | "numeric" | "basis";

/** The data-dependent functions and their options (R's defaults filled in). */
export type BasisSpec =
  | { fn: "poly"; degree: number; raw: boolean }
  | { fn: "scale"; center: boolean | number; scale: boolean | number }
  | { fn: "ns"; df: number | null; knots: number[] | null; intercept: boolean; boundary: [number, number] | null }
  | { fn: "bs"; df: number | null; knots: number[] | null; degree: number; intercept: boolean; boundary: [number, number] | null };

/** A variable as the formula names it: a column, an expression of columns, or a basis of one. */
export interface VariableRef {
  /** The label R gives it (its deparsed text): `x`, `log(x + 1)`, `I(Days^2)`, `poly(t, 2)`. */
  label: string;
  /** The first column it reads (the one error messages name). */
  column: string;
  /** Every column it reads, in order of appearance. */
  columns: string[];
  /** The outermost function applied (`log`, `I`, `factor`, `poly` …), absent for a bare column. */
  transform?: string;
  kind: VariableKind;
  /** The expression giving its values: the column, the element-wise expression, or the basis's argument. */
  expr: FormulaNode;
  basis?: BasisSpec;
}

type Call = Extract<FormulaNode, { kind: "call" }>;

/** The constants a formula may write: TRUE and FALSE (T and F as option values, as R reads them). */
const LOGICAL: Record<string, boolean> = { TRUE: true, FALSE: false };
const LOGICAL_OPTION: Record<string, boolean> = { ...LOGICAL, T: true, F: false };

/**
 * Describes a term's variable: `x`, `factor(x)`, an element-wise expression or a basis. Refuses
 * what cannot be a variable (`c(…)`, a basis nested inside arithmetic, unknown arguments …).
 */
export function describeVariable(node: Extract<FormulaNode, { kind: "name" | "call" }>): VariableRef {
  if (node.kind === "name") return { label: node.name, column: node.name, columns: [node.name], kind: "column", expr: node };
  const label = printNode(node);
  switch (node.fn) {
    case "factor": {
      const arg = onlyArgument(node, label);
      if (arg.kind !== "name") throw new FormulaTermError(label, "factor() takes one column, such as factor(x)");
      return { label, column: arg.name, columns: [arg.name], transform: "factor", kind: "factor", expr: arg };
    }
    case "poly":
    case "scale":
    case "ns":
    case "bs": {
      const { expr, basis } = basisOf(node, label);
      const columns = expressionColumns(expr, label);
      return { label, column: columns[0], columns, transform: node.fn, kind: "basis", expr, basis };
    }
    case "offset":
      throw new FormulaTermError(label, "offset() is a term of its own in the fixed part (y ~ x + offset(log(n)) + (1 | g)); it cannot be inside another term or a random term");
    case "c":
      throw new FormulaTermError(label, "c(…) lists numbers for an argument such as knots = c(2, 5); it is not a variable");
    default: {
      const columns = expressionColumns(node, label);
      return { label, column: columns[0], columns, transform: node.fn, kind: "numeric", expr: node };
    }
  }
}

/** The variable of `offset(expr)`: one element-wise numeric expression. */
export function describeOffset(node: Call): VariableRef {
  const label = printNode(node);
  const expr = onlyArgument(node, label);
  const columns = expressionColumns(expr, label);
  return { label, column: columns[0], columns, transform: "offset", kind: "numeric", expr };
}

/**
 * The columns an element-wise expression reads, checking that it is one: numbers, columns, TRUE and
 * FALSE, `+ - * / ^`, parentheses, `I()` and the element-wise transforms. At least one column.
 */
export function expressionColumns(node: FormulaNode, label: string): string[] {
  const out: string[] = [];
  // An explicit stack: `I(x1 + x2 + … + x5000)` is a deep tree and must not exhaust the call stack.
  const stack: FormulaNode[] = [node];
  while (stack.length > 0) {
    const n = stack.pop()!;
    switch (n.kind) {
      case "number":
        break;
      case "name":
        if ((!n.quoted && Object.prototype.hasOwnProperty.call(LOGICAL, n.name)) || out.includes(n.name)) break;
        out.push(n.name);
        break;
      case "paren":
        stack.push(n.inner);
        break;
      case "unary":
        stack.push(n.operand);
        break;
      case "binary":
        if (n.op === ":" || n.op === "%in%") throw new FormulaTermError(label, `'${n.op}' is a formula operator; inside a function only + - * / ^ are arithmetic`);
        stack.push(n.right, n.left);
        break;
      case "bar":
        throw new FormulaTermError(label, "a random term cannot be inside a function");
      case "call":
        if (n.fn === "I") stack.push(onlyArgument(n, label));
        else if ((ELEMENTWISE as readonly string[]).includes(n.fn)) {
          const args = matchArguments(n, n.fn === "log" ? ["x", "base"] : ["x"], label);
          if (args.base) constantNumber(args.base, "base", label);
          stack.push(args.x!);
        } else {
          throw new FormulaTermError(label, `${n.fn}() cannot be used inside another function or inside arithmetic; ${n.fn === "c" ? "c(…) only lists numbers for arguments such as knots" : `write ${printNode(n)} as a term of its own`}`);
        }
        break;
    }
  }
  if (out.length === 0) throw new FormulaTermError(label, "uses no column; a variable needs at least one column of the data");
  return out;
}

function basisOf(node: Call, label: string): { expr: FormulaNode; basis: BasisSpec } {
  switch (node.fn) {
    case "poly": {
      const positional = node.args.filter((a) => a.name === null);
      const named = matchArguments({ ...node, args: node.args.filter((a) => a.name !== null) }, ["degree", "raw"], label, false);
      if (positional.length === 0) throw new FormulaTermError(label, "poly() needs the variable, as in poly(x, 2)");
      if (positional.length > 2) throw new FormulaTermError(label, "poly() of several variables (R's polym) is not supported; use poly(x, d) per variable and their interaction");
      if (positional.length === 2 && named.degree) throw new FormulaTermError(label, "the degree is given twice");
      const degreeNode = positional[1]?.value ?? named.degree;
      const degree = degreeNode ? constantNumber(degreeNode, "degree", label) : 1;
      if (!Number.isInteger(degree) || degree < 1) throw new FormulaTermError(label, `poly() needs a whole degree of at least 1, not ${degree}`);
      return { expr: positional[0].value, basis: { fn: "poly", degree, raw: named.raw ? constantLogical(named.raw, "raw", label) : false } };
    }
    case "scale": {
      const a = matchArguments(node, ["x", "center", "scale"], label);
      const option = (n: FormulaNode | undefined, name: string) => (n === undefined ? true : isLogical(n) ? constantLogical(n, name, label) : constantNumber(n, name, label));
      return { expr: a.x!, basis: { fn: "scale", center: option(a.center, "center"), scale: option(a.scale, "scale") } };
    }
    case "ns":
    case "bs": {
      const names = node.fn === "ns" ? ["x", "df", "knots", "intercept", "Boundary.knots"] : ["x", "df", "knots", "degree", "intercept", "Boundary.knots"];
      const a = matchArguments(node, names, label);
      const intercept = a.intercept ? constantLogical(a.intercept, "intercept", label) : false;
      const degree = node.fn === "bs" ? (a.degree ? constantNumber(a.degree, "degree", label) : 3) : 3;
      if (!Number.isInteger(degree) || degree < 1) throw new FormulaTermError(label, `bs() needs a whole degree of at least 1, not ${degree}`);
      const knots = a.knots ? constantNumbers(a.knots, "knots", label) : null;
      const boundary = a["Boundary.knots"] ? constantNumbers(a["Boundary.knots"], "Boundary.knots", label) : null;
      if (boundary && boundary.length !== 2) throw new FormulaTermError(label, "Boundary.knots needs two numbers, as in Boundary.knots = c(0, 10)");
      let df: number | null = null;
      if (a.df && !knots) {
        df = constantNumber(a.df, "df", label);
        // R warns and quietly uses fewer columns; a smaller basis than asked for is refused here.
        const least = node.fn === "ns" ? 1 + (intercept ? 1 : 0) : degree + (intercept ? 1 : 0);
        if (!Number.isInteger(df) || df < least) {
          throw new FormulaTermError(label, `${node.fn}() needs a whole df of at least ${least}${node.fn === "bs" ? ` with degree ${degree}` : ""}${intercept ? " and an intercept" : ""}, not ${df}`);
        }
      }
      const sortedBoundary = boundary ? ([Math.min(...boundary), Math.max(...boundary)] as [number, number]) : null;
      const spec: BasisSpec =
        node.fn === "ns"
          ? { fn: "ns", df, knots: knots && [...knots].sort((x, y) => x - y), intercept, boundary: sortedBoundary }
          : { fn: "bs", df, knots: knots && [...knots].sort((x, y) => x - y), degree, intercept, boundary: sortedBoundary };
      return { expr: a.x!, basis: spec };
    }
    default:
      throw new FormulaTermError(label, `${node.fn}() is not a basis`);
  }
}

/** R's argument matching, exact names only: positional arguments fill the formals left to right. */
function matchArguments(node: Call, formals: string[], label: string, required = true): Record<string, FormulaNode | undefined> {
  const out: Record<string, FormulaNode | undefined> = Object.create(null);
  for (const a of node.args) {
    if (a.name === null) continue;
    if (!formals.includes(a.name)) throw new FormulaTermError(label, `${node.fn}() has no argument ${JSON.stringify(a.name)}${formals.length > 1 ? ` (it takes ${formals.join(", ")})` : ""}`);
    if (out[a.name]) throw new FormulaTermError(label, `argument ${a.name} is given twice`);
    out[a.name] = a.value;
  }
  let next = 0;
  for (const a of node.args) {
    if (a.name !== null) continue;
    while (next < formals.length && out[formals[next]]) next++;
    if (next >= formals.length) throw new FormulaTermError(label, `too many arguments for ${node.fn}() (it takes ${formals.join(", ")})`);
    out[formals[next++]] = a.value;
  }
  if (required && !out[formals[0]]) throw new FormulaTermError(label, `${node.fn}() needs its ${formals[0] === "x" ? "variable" : formals[0]}`);
  return out;
}

function onlyArgument(node: Call, label: string): FormulaNode {
  if (node.args.length !== 1 || node.args[0].name !== null) throw new FormulaTermError(label, `${node.fn}() takes exactly one argument`);
  return node.args[0].value;
}

function isLogical(n: FormulaNode): boolean {
  return n.kind === "name" && !n.quoted && Object.prototype.hasOwnProperty.call(LOGICAL_OPTION, n.name);
}

function constantLogical(n: FormulaNode, what: string, label: string): boolean {
  if (isLogical(n)) return LOGICAL_OPTION[(n as { name: string }).name];
  throw new FormulaTermError(label, `${what} must be TRUE or FALSE`);
}

/** A number written as a constant: `2`, `-1.5`, `(3)`. */
export function constantNumber(n: FormulaNode, what: string, label: string): number {
  if (n.kind === "number") return n.value;
  if (n.kind === "paren") return constantNumber(n.inner, what, label);
  if (n.kind === "unary") return (n.op === "-" ? -1 : 1) * constantNumber(n.operand, what, label);
  throw new FormulaTermError(label, `${what} must be a number`);
}

function constantNumbers(n: FormulaNode, what: string, label: string): number[] {
  if (n.kind === "call" && n.fn === "c") {
    if (n.args.some((a) => a.name !== null)) throw new FormulaTermError(label, `${what} lists numbers without names: c(2, 5)`);
    return n.args.map((a) => constantNumber(a.value, what, label));
  }
  return [constantNumber(n, what, label)];
}
