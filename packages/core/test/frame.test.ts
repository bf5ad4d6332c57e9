import { describe, expect, it } from "vitest";
import {
  ColumnLengthError,
  EmptyDataError,
  InvalidValueError,
  MissingValueError,
  RandomEffectsError,
  ResponseError,
  UnknownColumnError,
} from "../src/index.js";
import { buildLmmDesign } from "../src/engine/design.js";

const n = 24;
const base = {
  y: Array.from({ length: n }, (_, i) => Math.sin(i) + i / 10),
  age: Array.from({ length: n }, (_, i) => 30 + ((i * 7) % 11)),
  Sex: Array.from({ length: n }, (_, i) => (i % 2 ? "Male" : "Female")),
  arm: Array.from({ length: n }, (_, i) => ["b", "a", "c"][i % 3]),
  smoker: Array.from({ length: n }, (_, i) => i % 4 === 0),
  g: Array.from({ length: n }, (_, i) => `g${i % 6}`),
};

describe("fixed-effect columns are named and coded as R does", () => {
  it("treatment contrasts with the first sorted level as reference", () => {
    const d = buildLmmDesign("y ~ age * Sex + arm + smoker + (1 | g)", base);
    expect(d.X.names).toEqual(["(Intercept)", "age", "SexMale", "armb", "armc", "smokerTRUE", "age:SexMale"]);
  });
  it("the levels option sets the reference level", () => {
    const d = buildLmmDesign("y ~ Sex + (1 | g)", base, { levels: { Sex: ["Male", "Female"] } });
    expect(d.X.names).toEqual(["(Intercept)", "SexFemale"]);
  });
  it("without an intercept the first factor gets all its levels", () => {
    expect(buildLmmDesign("y ~ 0 + arm + Sex + (1 | g)", base).X.names).toEqual(["arma", "armb", "armc", "SexMale"]);
  });
  it("a factor whose margin is absent is coded by indicators", () => {
    expect(buildLmmDesign("y ~ age:Sex + (1 | g)", base).X.names).toEqual(["(Intercept)", "age:SexFemale", "age:SexMale"]);
  });
  it("aliased columns are dropped, named and warned about (lme4's rank check)", () => {
    const data = { ...base, age2: base.age.map((a) => 2 * a + 1), konst: base.age.map(() => 5) };
    const d = buildLmmDesign("y ~ age + age2 + konst + Sex + (1 | g)", data);
    expect(d.X.names).toEqual(["(Intercept)", "age", "SexMale"]);
    expect(d.droppedColumns).toEqual(["age2", "konst"]);
    expect(d.warnings[0].code).toBe("RANK_DEFICIENT");
  });
  it("random-effect terms sorted by number of levels, nested factor labels as lme4", () => {
    const data = { ...base, site: base.g.map((g) => (g < "g3" ? "s1" : "s2")), patient: base.g };
    const d = buildLmmDesign("y ~ age + (1 | site/patient)", data);
    expect(d.randomTerms.map((t) => t.spec.groupLabel)).toEqual(["patient:site", "site"]);
    expect(d.reterms[0].levels[0]).toBe("g0:s1");
  });
});

describe("missing values", () => {
  const withNa = { ...base, y: base.y.map((v, i) => (i === 3 ? NaN : v)), age: base.age.map((v, i) => (i === 5 ? null : v)) };
  it("rows with a missing value in a used column are omitted and reported", () => {
    const d = buildLmmDesign("y ~ age + (1 | g)", withNa);
    expect(d.frame.n).toBe(n - 2);
    expect(d.frame.dropped.indices).toEqual([3, 5]);
    expect(d.frame.dropped.byColumn).toEqual([{ column: "y", missing: 1 }, { column: "age", missing: 1 }, { column: "g", missing: 0 }]);
  });
  it("a column the formula does not use does not drop rows", () => {
    expect(buildLmmDesign("y ~ Sex + (1 | g)", { ...withNa, y: base.y }).frame.n).toBe(n);
  });
  it('na: "fail" names the column and row', () => {
    expect(() => buildLmmDesign("y ~ age + (1 | g)", withNa, { na: "fail" })).toThrow(MissingValueError);
    expect(() => buildLmmDesign("y ~ age + (1 | g)", withNa, { na: "fail" })).toThrow(/"y" has a missing value at row 4/);
  });
});

describe("bad data get typed errors naming the culprit", () => {
  it("unknown column, with a suggestion", () => {
    expect(() => buildLmmDesign("y ~ agee + (1 | g)", base)).toThrow(UnknownColumnError);
    expect(() => buildLmmDesign("y ~ agee + (1 | g)", base)).toThrow(/did you mean "age"/);
  });
  it("mismatched lengths, empty data, infinite values", () => {
    expect(() => buildLmmDesign("y ~ age + (1 | g)", { ...base, age: base.age.slice(1) })).toThrow(ColumnLengthError);
    expect(() => buildLmmDesign("y ~ 1 + (1 | g)", { y: [], g: [] })).toThrow(EmptyDataError);
    expect(() => buildLmmDesign("y ~ age + (1 | g)", { ...base, age: base.age.map((a, i) => (i === 2 ? Infinity : a)) })).toThrow(InvalidValueError);
  });
  it("response: categorical, constant, all missing", () => {
    expect(() => buildLmmDesign("Sex ~ age + (1 | g)", base)).toThrow(ResponseError);
    expect(() => buildLmmDesign("y ~ age + (1 | g)", { ...base, y: base.y.map(() => 1) })).toThrow(/constant/);
    expect(() => buildLmmDesign("y ~ age + (1 | g)", { ...base, y: base.y.map(() => null) })).toThrow(/missing in every row/);
  });
  it("grouping factors lme4 refuses", () => {
    expect(() => buildLmmDesign("y ~ age + (1 | one)", { ...base, one: base.g.map(() => "a") })).toThrow(RandomEffectsError);
    expect(() => buildLmmDesign("y ~ age + (1 | id)", { ...base, id: base.g.map((_, i) => `r${i}`) })).toThrow(/levels for 24 observations/);
    expect(() => buildLmmDesign("y ~ age + (age | g2)", { ...base, g2: base.g.map((_, i) => `r${i >> 1}`) })).toThrow(/random effects for 24 observations/);
  });
  it("names like __proto__ are ordinary column and level names", () => {
    const data = Object.create(null);
    Object.assign(data, base);
    data["__proto__"] = base.age;
    data.constructor = base.Sex.map((s) => (s === "Male" ? "__proto__" : "constructor"));
    const d = buildLmmDesign("y ~ `__proto__` + constructor + (1 | g)", data);
    // Levels sort by code point: "__proto__" < "constructor", so "__proto__" is the reference.
    expect(d.X.names).toEqual(["(Intercept)", "__proto__", "constructorconstructor"]);
  });
});
