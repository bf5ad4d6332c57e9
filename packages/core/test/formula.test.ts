import { describe, expect, it } from "vitest";
import { expandFormula, FormulaSyntaxError, FormulaTermError, parseFormula, printFormula } from "../src/index.js";

const expand = (f: string) => expandFormula(parseFormula(f));

describe("formula expansion follows R and lme4", () => {
  it("crossing, interaction, nesting and powers", () => {
    expect(expand("y ~ a * b").fixed.terms).toEqual([["a"], ["b"], ["a", "b"]]);
    expect(expand("y ~ a:b + c").fixed.terms).toEqual([["c"], ["a", "b"]]);
    expect(expand("y ~ a / b").fixed.terms).toEqual([["a"], ["a", "b"]]);
    expect(expand("y ~ (a + b + c)^2").fixed.terms).toEqual([["a"], ["b"], ["c"], ["a", "b"], ["a", "c"], ["b", "c"]]);
    expect(expand("y ~ a * b - a:b").fixed.terms).toEqual([["a"], ["b"]]);
  });
  it("variables inside a term follow their first appearance", () => {
    expect(expand("y ~ b:a + a").fixed.terms).toEqual([["a"], ["b", "a"]]);
    expect(expand("y ~ a + b:a").fixed.terms).toEqual([["a"], ["a", "b"]]);
  });
  it("intercept: 0 +, - 1, + 1", () => {
    expect(expand("y ~ x").fixed.intercept).toBe(true);
    expect(expand("y ~ 0 + x").fixed.intercept).toBe(false);
    expect(expand("y ~ x - 1").fixed.intercept).toBe(false);
    expect(expand("y ~ -1 + x").fixed.intercept).toBe(false);
    expect(expand("y ~ 0 + x + 1").fixed.intercept).toBe(true);
  });
  it("random terms: (x | g), (0 + x | g), (x || g), nesting and interactions", () => {
    const r = expand("y ~ t + (1 | site) + (1 + t | site:patient)").random;
    expect(r.map((t) => [t.groupLabel, t.lhs.intercept, t.lhs.terms])).toEqual([["site", true, []], ["site:patient", true, [["t"]]]]);
    expect(expand("y ~ (0 + x | g)").random[0].lhs).toEqual({ intercept: false, terms: [["x"]] });
    expect(expand("y ~ (x || g)").random.map((t) => t.text)).toEqual(["(1 | g)", "(0 + x | g)"]);
    expect(expand("y ~ (0 + x || g)").random.map((t) => t.text)).toEqual(["(0 + x | g)"]);
    expect(expand("y ~ (1 | batch/cask)").random.map((t) => t.groupLabel)).toEqual(["cask:batch", "batch"]);
    expect(expand("y ~ (1 | a/b/c)").random.map((t) => t.groupLabel)).toEqual(["c:(b:a)", "b:a", "a"]);
    expect(expand("y ~ (1 | g) + (0 + x | g)").random).toHaveLength(2);
  });
  it("transforms and backquoted names", () => {
    const s = expand("log(y) ~ sqrt(x) + `tumour size` + (1 | g)");
    expect(s.response).toMatchObject({ label: "log(y)", column: "y", columns: ["y"], transform: "log", kind: "numeric" });
    expect(s.fixed.terms).toEqual([["sqrt(x)"], ["tumour size"]]);
  });
});

describe("formula errors name what was expected and where", () => {
  const syntax: [string, number, RegExp][] = [
    ["y ~ x + (1 | g", 14, /'\)' matching '\(' at character 9/],
    ["y ~ x + (1 | g))", 15, /parentheses do not match/],
    ["y ~ x + 1 | g", 10, /only inside parentheses/],
    ["y ~ x + ( | g)", 10, /a term left of '\|'/],
    ["y ~ x + (1 | )", 13, /grouping factor/],
    ["y ~ x $ z", 6, /one of ~ \+ - \* \//],
    ["y ~ ", 4, /terms after '~'/],
    ["", 0, /a formula such as/],
    ["y ~ x + ()", 9, /something inside the parentheses/],
    ["y ~ foo(x)", 4, /formula functions I, factor, log/],
    ["y ~ x^a", 6, /whole number/],
    ["y ~ (1 | g | h)", 11, /one '\|' per random term/],
  ];
  for (const [formula, position, message] of syntax) {
    it(JSON.stringify(formula), () => {
      let error: unknown;
      try {
        parseFormula(formula);
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(FormulaSyntaxError);
      expect((error as FormulaSyntaxError).position).toBe(position);
      expect((error as Error).message).toMatch(message);
    });
  }
  it("meaningless terms", () => {
    expect(() => expand("y ~ x + (0 | g)")).toThrow(FormulaTermError);
    expect(() => expand("y ~ 2 + x")).toThrow(/only 0 and 1/);
    expect(() => expand("y ~ x + (1 | g + h)")).toThrow(/grouping factor must be/);
  });
});

describe("parse → print → parse", () => {
  for (const f of ["y ~ x * t + (1 | site) + (1 + t | site:patient)", "y ~ 0 + a:b + (x || g) + (1 | a/b)", "log(y) ~ -1 + `a b` + (a + b)^2"]) {
    it(f, () => {
      const ast = parseFormula(f);
      const again = parseFormula(printFormula(ast));
      expect(printFormula(again)).toBe(printFormula(ast));
      expect(expandFormula(again).fixed).toEqual(expandFormula(ast).fixed);
    });
  }
});
