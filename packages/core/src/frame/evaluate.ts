import { InvalidValueError } from "../errors/data.js";
import type { FormulaNode } from "../formula/ast.js";
import { constantNumber } from "../formula/variables.js";
import type { DataColumns } from "./data.js";
import { readNumeric } from "./variables.js";

/** One step of an expression in postfix order, applied to whole columns. */
type Step =
  | { op: "column"; name: string }
  | { op: "constant"; value: number }
  | { op: "negate" }
  | { op: "+" | "-" | "*" | "/" | "^" }
  | { op: "function"; fn: (x: number) => number };

const FUNCTIONS: Readonly<Record<string, (x: number) => number>> = {
  log: Math.log,
  log2: Math.log2,
  log10: Math.log10,
  log1p: Math.log1p,
  exp: Math.exp,
  sqrt: Math.sqrt,
  abs: Math.abs,
};

/** The numeric values of an element-wise expression over the rows, and which rows miss an input. */
export interface Evaluated {
  values: Float64Array;
  /** 1 where a column the expression reads is missing (the value is then NaN). */
  missing: Uint8Array;
}

/**
 * Evaluates an element-wise expression (`x`, `I(Days^2)`, `log(x + 1)`, `exp(-t / 10)`) over every
 * row of the data, with this package's own arithmetic: nothing is run as code. A row where a column
 * it reads is missing gives NaN; a row where every input is present but the result is not a finite
 * number (`log(0)`, `sqrt(-1)`, `1/0`) is an error naming the column, the row and the value.
 */
export function evaluateExpression(node: FormulaNode, data: DataColumns, n: number, label: string): Evaluated {
  const steps = compile(node, label);
  const columns = new Map<string, Float64Array>();
  const missing = new Uint8Array(n);
  for (const step of steps) {
    if (step.op !== "column" || columns.has(step.name)) continue;
    const values = readNumeric(data, { column: step.name });
    for (let i = 0; i < n; i++) if (Number.isNaN(values[i])) missing[i] = 1;
    columns.set(step.name, values);
  }
  const stack: Float64Array[] = [];
  for (const step of steps) {
    switch (step.op) {
      case "column":
        stack.push(columns.get(step.name)!);
        break;
      case "constant":
        stack.push(new Float64Array(n).fill(step.value));
        break;
      case "negate":
        stack.push(stack.pop()!.map((x) => -x));
        break;
      case "function":
        stack.push(stack.pop()!.map(step.fn));
        break;
      default: {
        const b = stack.pop()!, a = stack.pop()!;
        stack.push(arithmetic(step.op, a, b));
      }
    }
  }
  // A fresh array: columns are read into new arrays, and every step allocates its result.
  const out = stack.pop()!;
  for (let i = 0; i < n; i++) {
    if (missing[i]) out[i] = NaN;
    else if (!Number.isFinite(out[i])) {
      const column = firstColumn(steps);
      throw new InvalidValueError(column, i, (data[column] as ArrayLike<unknown>)[i], `has no finite ${label}`);
    }
  }
  return { values: out, missing };
}

function arithmetic(op: "+" | "-" | "*" | "/" | "^", a: Float64Array, b: Float64Array): Float64Array {
  const out = new Float64Array(a.length);
  switch (op) {
    case "+":
      for (let i = 0; i < a.length; i++) out[i] = a[i] + b[i];
      break;
    case "-":
      for (let i = 0; i < a.length; i++) out[i] = a[i] - b[i];
      break;
    case "*":
      for (let i = 0; i < a.length; i++) out[i] = a[i] * b[i];
      break;
    case "/":
      for (let i = 0; i < a.length; i++) out[i] = a[i] / b[i];
      break;
    case "^":
      for (let i = 0; i < a.length; i++) out[i] = rPower(a[i], b[i]);
      break;
  }
  return out;
}

/** R's `^`: exact squares, and 1^y = x^0 = 1 even for NaN operands (as R_pow). */
function rPower(x: number, y: number): number {
  if (y === 2) return x * x;
  if (x === 1 || y === 0) return 1;
  return Math.pow(x, y);
}

function firstColumn(steps: Step[]): string {
  for (const s of steps) if (s.op === "column") return s.name;
  return "";
}

/** Postfix steps of the expression, built with an explicit stack (long sums do not recurse). */
function compile(node: FormulaNode, label: string): Step[] {
  const steps: Step[] = [];
  const todo: (FormulaNode | Step)[] = [node];
  while (todo.length > 0) {
    const item = todo.pop()!;
    if ("op" in item && !("kind" in item)) {
      steps.push(item);
      continue;
    }
    const n = item as FormulaNode;
    switch (n.kind) {
      case "number":
        steps.push({ op: "constant", value: n.value });
        break;
      case "name":
        if (!n.quoted && (n.name === "TRUE" || n.name === "FALSE")) steps.push({ op: "constant", value: n.name === "TRUE" ? 1 : 0 });
        else steps.push({ op: "column", name: n.name });
        break;
      case "paren":
        todo.push(n.inner);
        break;
      case "unary":
        if (n.op === "-") todo.push({ op: "negate" });
        todo.push(n.operand);
        break;
      case "binary":
        todo.push({ op: n.op as "+" | "-" | "*" | "/" | "^" }, n.right, n.left);
        break;
      case "call": {
        if (n.fn === "I") {
          todo.push(n.args[0].value);
          break;
        }
        const fn = FUNCTIONS[n.fn];
        const base = n.args.find((a, i) => a.name === "base" || (a.name === null && i === 1));
        const x = n.args.find((a, i) => a !== base && (a.name === "x" || (a.name === null && i === 0)))!;
        if (n.fn === "log" && base) {
          // R's log(x, base): log2 and log10 for those bases, else log(x) / log(base).
          const b = constantNumber(base.value, "base", label);
          const ln = Math.log(b);
          todo.push({ op: "function", fn: b === 2 ? Math.log2 : b === 10 ? Math.log10 : (v: number) => Math.log(v) / ln });
        } else todo.push({ op: "function", fn });
        todo.push(x.value);
        break;
      }
      default:
        throw new Error(`internal: ${n.kind} in an element-wise expression (${label})`);
    }
  }
  return steps;
}
