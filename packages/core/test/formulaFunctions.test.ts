// The formula functions and algebra lme4 users write (issue 15) in the parser, the term expander
// and the model frame. The numbers are checked against lme4 in test/reference/formulaCases.test.ts;
// here: labels and names (R's deparse), argument handling, safety, and the refusals.
import { describe, expect, it } from "vitest";
import {
  BasisError,
  coefficients,
  expandFormula,
  FormulaSyntaxError,
  FormulaTermError,
  InvalidArgumentError,
  InvalidValueError,
  lmm,
  ModelSizeError,
  parseFormula,
  printFormula,
  UnknownColumnError,
} from "../src/index.js";
import { buildLmmDesign } from "../src/engine/design.js";
import { rNumber } from "../src/formula/rNumber.js";

const expand = (f: string) => expandFormula(parseFormula(f));
const n = 40;
const data = {
  y: Array.from({ length: n }, (_, i) => Math.sin(i) * 3 + i / 5 + ((i * 7) % 5)),
  t: Array.from({ length: n }, (_, i) => i % 5),
  age: Array.from({ length: n }, (_, i) => 30 + ((i * 13) % 17)),
  arm: Array.from({ length: n }, (_, i) => ["a", "b", "c"][i % 3]),
  grade: Array.from({ length: n }, (_, i) => ["G1", "G2", "G3", "G4"][(i * 5) % 4]),
  w: Array.from({ length: n }, (_, i) => 0.5 + (i % 4) / 2),
  g: Array.from({ length: n }, (_, i) => `g${i % 8}`),
};

describe("labels are R's deparse of the call", () => {
  const labels: [string, string][] = [
    ["I(Days^2)", "I(Days^2)"],
    ["I(x/2)", "I(x/2)"],
    ["I(x*2)", "I(x * 2)"],
    ["log(x+1)", "log(x + 1)"],
    ["exp( - t)", "exp(-t)"],
    ["I((x+1)^2)", "I((x + 1)^2)"],
    ["poly(x,degree=2)", "poly(x, degree = 2)"],
    ["poly(x, 2, raw=T)", "poly(x, 2, raw = T)"],
    ["I(x*1e3)", "I(x * 1000)"],
    ["I(x/1e6)", "I(x/1e+06)"],
    ["I(x*0.0001)", "I(x * 1e-04)"],
    ["I(x*0.001)", "I(x * 0.001)"],
    ["I(x^2.0)", "I(x^2)"],
    ["ns(x,df=3,knots=c(1,2.5))", "ns(x, df = 3, knots = c(1, 2.5))"],
    ["scale(x,scale=FALSE)", "scale(x, scale = FALSE)"],
    ["I(2^-1*x)", "I(2^-1 * x)"],
    ["I(x-(1-2))", "I(x - (1 - 2))"],
    ["I(x^(1/3))", "I(x^(1/3))"],
    ["log(`a b`)", "log(`a b`)"],
    ["splines::ns(x, df = 2)", "splines::ns(x, df = 2)"],
  ];
  for (const [written, label] of labels) {
    it(`${written} → ${label}`, () => {
      expect(expand(`y ~ ${written}`).fixed.terms).toEqual([[label]]);
    });
  }
  it("numbers as R prints them", () => {
    expect([100000, 123456, 0.1, 1e-15, 1.5e300, 3.14159265358979, -2.5].map(rNumber)).toEqual(["1e+05", "123456", "0.1", "1e-15", "1.5e+300", "3.14159265358979", "-2.5"]);
  });
});

describe("formula algebra", () => {
  it("%in%, term removal, powers, nested grouping", () => {
    expect(expand("y ~ Diet + Time %in% Diet").fixed.terms).toEqual([["Diet"], ["Diet", "Time"]]);
    expect(expand("y ~ c + a %in% (b + d)").fixed.terms).toEqual([["c"], ["a", "b", "d"]]);
    expect(expand("y ~ a*b %in% c").fixed.terms).toEqual([["a"], ["b", "c"], ["a", "b", "c"]]);
    expect(expand("y ~ (a + b + c)^2 - b:c").fixed.terms).toEqual([["a"], ["b"], ["c"], ["a", "b"], ["a", "c"]]);
    expect(expand("y ~ (1 | a/b/c/d)").random.map((r) => r.groupLabel)).toEqual(["d:(c:(b:a))", "c:(b:a)", "b:a", "a"]);
  });
  it("offset() terms are set aside, in the fixed part only", () => {
    const s = expand("y ~ x + offset(log(n)) + (1 | g)");
    expect(s.fixed.terms).toEqual([["x"]]);
    expect(s.offsets).toEqual(["offset(log(n))"]);
    expect(s.variables.get("offset(log(n))")!.columns).toEqual(["n"]);
    expect(() => expand("y ~ x:offset(n)")).toThrow(FormulaTermError);
    expect(() => expand("y ~ x + (offset(n) | g)")).toThrow(/fixed part/);
  });
  it("an expression's columns, including several", () => {
    const ref = expand("I(y / baseline) ~ log(x + z) + (1 | g)");
    expect(ref.response!.columns).toEqual(["y", "baseline"]);
    expect(ref.variables.get("log(x + z)")!.columns).toEqual(["x", "z"]);
    expect(ref.variables.get("log(x + z)")!.kind).toBe("numeric");
  });
  it("a formula of thousands of terms is expanded without deep recursion", () => {
    const names = Array.from({ length: 6000 }, (_, i) => `v${i}`);
    const spec = expand(`y ~ ${names.join(" + ")} + (1 | g)`);
    expect(spec.fixed.terms).toHaveLength(6000);
    expect(printFormula(parseFormula(`y ~ ${names.join(" + ")}`))).toBe(`y ~ ${names.join(" + ")}`);
    expect(expand(`y ~ I(${names.join(" + ")})`).variables.get(`I(${names.join(" + ")})`)!.columns).toHaveLength(6000);
  });
  it("an exploding power is refused while expanding, naming the limit", () => {
    const vars = Array.from({ length: 20 }, (_, i) => `v${i}`).join(" + ");
    const start = performance.now();
    expect(() => expandFormula(parseFormula(`y ~ (${vars})^20`), { maxTerms: 80 })).toThrow(ModelSizeError);
    expect(performance.now() - start).toBeLessThan(2000);
  });
});

describe("arguments and refusals", () => {
  const bad: [string, RegExp][] = [
    ["y ~ poly(x, 0)", /whole degree of at least 1/],
    ["y ~ poly(x, y, z)", /several variables/],
    ["y ~ poly(x, 2, coefs = 3)", /no argument "coefs"/],
    ["y ~ ns(x, df = 0)", /df of at least 1/],
    ["y ~ bs(x, df = 2)", /df of at least 3 with degree 3/],
    ["y ~ ns(x, Boundary.knots = c(1, 2, 3))", /two numbers/],
    ["y ~ log(poly(x, 2))", /term of its own/],
    ["y ~ I(a:b)", /formula operator/],
    ["y ~ factor(x + 1)", /one column/],
    ["y ~ c(1, 2)", /not a variable/],
    ["y ~ I(2)", /no column/],
    ["poly(y, 2) ~ x", /gives several/],
    ["factor(y) ~ x", /must be numeric/],
    ["y ~ x^1.5", /whole number/],
  ];
  for (const [formula, message] of bad) {
    it(formula, () => {
      let error: unknown;
      try {
        expand(formula);
      } catch (e) {
        error = e;
      }
      expect(error instanceof FormulaTermError || error instanceof FormulaSyntaxError, String(error)).toBe(true);
      expect((error as Error).message).toMatch(message);
    });
  }
  it("a namespace that does not have the function", () => {
    expect(() => parseFormula("y ~ stats::ns(x, 3)")).toThrow(/splines::ns/);
  });
  it("other %op% operators and '==' are syntax errors", () => {
    expect(() => parseFormula("y ~ a %o% b")).toThrow(FormulaSyntaxError);
    expect(() => parseFormula("y ~ I(a == b)")).toThrow(FormulaSyntaxError);
  });
});

describe("the model frame evaluates expressions and bases", () => {
  it("names of bases, contrasts and their interactions as R's model.matrix", () => {
    const d = buildLmmDesign("y ~ poly(t, 2) * arm + scale(age) + ns(age, df = 2) + (1 | g)", data);
    expect(d.X.names).toEqual(["(Intercept)", "poly(t, 2)1", "poly(t, 2)2", "armb", "armc", "scale(age)", "ns(age, df = 2)1", "poly(t, 2)1:armb", "poly(t, 2)2:armb", "poly(t, 2)1:armc", "poly(t, 2)2:armc"]);
    // A natural spline spans the straight line, which scale(age) already is: R drops the column too.
    expect(d.droppedColumns).toEqual(["ns(age, df = 2)2"]);
    expect(buildLmmDesign("y ~ poly(t, 1) + (1 | g)", data).X.names).toEqual(["(Intercept)", "poly(t, 1)"]);
  });
  it("contrasts: sum, helmert, poly (and ordered factors), indicators where R uses them", () => {
    const names = (contrasts: Record<string, "sum" | "helmert" | "poly" | "treatment">, ordered: string[] = [], formula = "y ~ arm + grade + (1 | g)") => buildLmmDesign(formula, data, { contrasts, ordered }).X.names;
    expect(names({ arm: "sum" })).toEqual(["(Intercept)", "arm1", "arm2", "gradeG2", "gradeG3", "gradeG4"]);
    expect(names({ arm: "helmert", grade: "poly" })).toEqual(["(Intercept)", "arm1", "arm2", "grade.L", "grade.Q", "grade.C"]);
    expect(names({}, ["grade"])).toEqual(["(Intercept)", "armb", "armc", "grade.L", "grade.Q", "grade.C"]);
    expect(names({ grade: "treatment" }, ["grade"])).toEqual(["(Intercept)", "armb", "armc", "gradeG2", "gradeG3", "gradeG4"]);
    // A numeric column declared ordered is an ordered factor.
    expect(names({}, ["t"], "y ~ t + (1 | g)")).toEqual(["(Intercept)", "t.L", "t.Q", "t.C", "t^4"]);
    expect(names({ arm: "sum" }, [], "y ~ t:arm + (1 | g)")).toEqual(["(Intercept)", "t:arma", "t:armb", "t:armc"]);
    const X = buildLmmDesign("y ~ arm + (1 | g)", data, { contrasts: { arm: "sum" } }).X;
    // contr.sum: the last level is −1 in every column.
    const row = data.arm.indexOf("c");
    expect([X.data[1 * n + row], X.data[2 * n + row]]).toEqual([-1, -1]);
    expect(() => buildLmmDesign("y ~ arm + (1 | g)", data, { contrasts: { arm: "sums" as never } })).toThrow(InvalidArgumentError);
    expect(() => buildLmmDesign("y ~ arm + (1 | g)", data, { contrasts: { nope: "sum" } })).toThrow(/a factor of the formula/);
  });
  it("element-wise expressions: values, missing inputs, and values that have no result", () => {
    const d = buildLmmDesign("y ~ I(age^2 / 100) + exp(-t) + (1 | g)", data);
    expect(d.X.data[1 * n + 3]).toBe(data.age[3] ** 2 / 100);
    expect(d.X.data[2 * n + 3]).toBe(Math.exp(-data.t[3]));
    const withNull = { ...data, age: data.age.map((a, i) => (i === 5 ? null : a)) };
    expect(buildLmmDesign("y ~ log(age + 1) + (1 | g)", withNull).frame.dropped.indices).toEqual([5]);
    expect(() => buildLmmDesign("y ~ log(t - 1) + (1 | g)", data)).toThrow(InvalidValueError);
    expect(() => buildLmmDesign("y ~ log(t - 1) + (1 | g)", data)).toThrow(/column "t", row 1: 0 has no finite log\(t - 1\)/);
    expect(() => buildLmmDesign("y ~ I(tt^2) + (1 | g)", data)).toThrow(UnknownColumnError);
  });
  it("bases refuse data they cannot be built from", () => {
    expect(() => buildLmmDesign("y ~ poly(t, 5) + (1 | g)", data)).toThrow(BasisError);
    expect(() => buildLmmDesign("y ~ poly(t, 5) + (1 | g)", data)).toThrow(/degree 5 needs at least 6 distinct values; the data have 5/);
    expect(() => buildLmmDesign("y ~ scale(k) + (1 | g)", { ...data, k: data.t.map(() => 3) })).toThrow(/constant/);
  });
  it("names like __proto__ and constructor are ordinary columns inside expressions", () => {
    const odd: Record<string, unknown[]> = Object.assign(Object.create(null), data);
    odd["__proto__"] = data.t;
    odd["constructor"] = data.age;
    const d = buildLmmDesign("y ~ I(__proto__ * 2) + log(constructor) + (1 | g)", odd);
    expect(d.X.names).toEqual(["(Intercept)", "I(__proto__ * 2)", "log(constructor)"]);
  });
});

describe("weights and offsets", () => {
  it("prior weights equal the model premultiplied by √w (the criterion differs by Σ log w)", () => {
    const sw = data.w.map(Math.sqrt);
    const weighted = lmm("y ~ t + (1 | g)", data, { weights: "w" });
    const scaled = lmm("I(sw * y) ~ 0 + sw + I(sw * t) + (0 + sw | g)", { ...data, sw });
    const logW = data.w.reduce((s, w) => s + Math.log(w), 0);
    expect(weighted.objective).toBeCloseTo(scaled.objective - logW, 6);
    weighted.beta.forEach((b, j) => expect(b).toBeCloseTo(scaled.beta[j], 6));
    expect(weighted.sigma).toBeCloseTo(scaled.sigma, 6);
    const se = weighted.fixef().map((f) => f.stdError), se2 = scaled.fixef().map((f) => f.stdError);
    se.forEach((s, j) => expect(s).toBeCloseTo(se2[j], 6));
    // So are the small-sample tests (pbkrtest ignores prior weights; its Kenward–Roger differs).
    for (const ddf of ["satterthwaite", "kenward-roger"] as const) {
      const a = coefficients(weighted, { ddf }), b = coefficients(scaled, { ddf });
      a.forEach((r, j) => {
        expect(r.df, `${ddf} df`).toBeCloseTo(b[j].df, 4);
        expect(r.stdError, `${ddf} SE`).toBeCloseTo(b[j].stdError, 6);
      });
    }
  });
  it("zero weights leave the row out (reported); negative and non-finite weights are refused", () => {
    const w0 = data.w.map((w, i) => (i === 2 || i === 9 ? 0 : w));
    const m = lmm("y ~ t + (1 | g)", { ...data, w0 }, { weights: "w0" });
    expect(m.nobs).toBe(n - 2);
    expect(m.droppedRows.zeroWeight).toEqual([2, 9]);
    expect(m.droppedRows.indices).toEqual([2, 9]);
    expect(m.warnings.find((x) => x.code === "ZERO_WEIGHTS")?.message).toMatch(/2 rows with prior weight 0 left out of the fit \(data rows 3, 10\)/);
    expect(() => lmm("y ~ t + (1 | g)", { ...data, w0: data.w.map((w, i) => (i === 4 ? -1 : w)) }, { weights: "w0" })).toThrow(/column "w0", row 5: -1 is a negative weight/);
    expect(() => lmm("y ~ t + (1 | g)", data, { weights: data.w.map((w, i) => (i === 6 ? Infinity : w)) })).toThrow(/column "weights", row 7: Infinity is not finite/);
  });
  it("an offset option equals an offset() term; fitted values include it", () => {
    const off = data.t.map((t) => 0.3 * t);
    const a = lmm("y ~ age + (1 | g)", { ...data, off }, { offset: "off" });
    const b = lmm("y ~ age + offset(0.3 * t) + (1 | g)", data);
    expect(a.objective).toBe(b.objective);
    expect(Array.from(a.beta)).toEqual(Array.from(b.beta));
    expect(Array.from(a.fitted())).toEqual(Array.from(b.fitted()));
    const newdata = { age: [33, 40], t: [2, 5], g: ["g1", "g3"], off: [0.6, 1.5] };
    expect(Array.from(a.predict(newdata))).toEqual(Array.from(b.predict(newdata)));
    expect(a.summary()).toMatch(/\n Offset: off\n/);
  });
  it("predicting the fit's own rows reproduces the fitted values (bases applied as learned)", () => {
    const m = lmm("y ~ poly(t, 2) * arm + scale(age) + ns(age, df = 3) + offset(t / 10) + (1 + t | g)", data, { weights: "w", contrasts: { arm: "sum" } });
    const fitted = m.fitted();
    const predicted = m.predict(data);
    predicted.forEach((p, i) => expect(p).toBeCloseTo(fitted[i], 9));
    // One row alone: a basis relearned on it could not even be built.
    const one = Object.fromEntries(Object.entries(data).map(([k, v]) => [k, [v[3]]]));
    expect(m.predict(one)[0]).toBeCloseTo(fitted[3], 9);
  });
});

describe("model-size guards refuse before building", () => {
  it("more fixed-effect columns than observations", () => {
    const wide: Record<string, number[]> = { y: data.y, g: data.g as never };
    const vars = Array.from({ length: 20 }, (_, i) => `v${i}`);
    vars.forEach((v, j) => (wide[v] = Array.from({ length: n }, (_, i) => Math.sin(i * (j + 1)))));
    const start = performance.now();
    expect(() => buildLmmDesign(`y ~ (${vars.join(" + ")})^20 + (1 | g)`, wide)).toThrow(ModelSizeError);
    expect(() => buildLmmDesign(`y ~ (${vars.join(" + ")})^3 + (1 | g)`, wide)).toThrow(/expands to more than 40 terms/);
    // 38 terms, 42 columns (the intercept and two factors).
    expect(() => buildLmmDesign(`y ~ (${vars.slice(0, 8).join(" + ")})^2 + arm + grade + (1 | g)`, { ...wide, arm: data.arm, grade: data.grade } as never)).toThrow(/the fixed part has 42 columns for 40 observations/);
    expect(performance.now() - start).toBeLessThan(3000);
  });
  it("a fixed factor with a level per row, and one too large for memory", () => {
    const id = Array.from({ length: n }, (_, i) => `id${i}`);
    expect(() => buildLmmDesign("y ~ id + (1 | g)", { ...data, id })).toThrow(/the fixed part has 40 columns for 40 observations/);
    const N = 200_000;
    const big = { y: Float64Array.from({ length: N }, (_, i) => Math.sin(i)), f: Array.from({ length: N }, (_, i) => `f${i % 100_000}`), g: Array.from({ length: N }, (_, i) => `g${i % 50}`) };
    const start = performance.now();
    expect(() => buildLmmDesign("y ~ f + (1 | g)", big)).toThrow(/100000 columns; at most 4096 are supported.*\(1 \| f\)/);
    expect(performance.now() - start).toBeLessThan(5000);
  });
  it("a formula of 6000 terms gets a clear error, not a stack overflow", () => {
    const wide: Record<string, number[]> = { y: data.y, g: data.g as never };
    const vars = Array.from({ length: 6000 }, (_, i) => `v${i}`);
    vars.forEach((v, j) => (wide[v] = Array.from({ length: n }, (_, i) => (i * (j + 1)) % 7)));
    expect(() => buildLmmDesign(`y ~ ${vars.join(" + ")} + (1 | g)`, wide)).toThrow(ModelSizeError);
  });
});
