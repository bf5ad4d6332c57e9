// Generators of formula text for property-based tests: token soup (mostly invalid) and
// structured formulas (valid by construction), plus small data sets for the model frame.
import fc from "fast-check";

const names = ["y", "x", "t", "g", "h", "a", "b", "site", "patient", "__proto__", "constructor", "x.1", "_z"];
const tokens = [...names, "~", "+", "-", "*", "/", ":", "^", "|", "||", "(", ")", "0", "1", "2", " ", "log(", "`a b`", "$", "%", ",", "1.5", "..", "`", "exp(x)",
  "I(", "poly(", "ns(", "bs(", "scale(", "offset(", "factor(", "c(", "=", "%in%", "::", "splines", "raw", "TRUE", "df", "knots", "1e-3", "2L", "-"];

/** Concatenations of formula tokens and arbitrary characters: almost all invalid. */
export const tokenSoup = fc.oneof(
  fc.array(fc.constantFrom(...tokens), { maxLength: 30 }).map((t) => t.join("")),
  fc.string({ maxLength: 40 }),
);

const name = fc.constantFrom(...names.slice(0, 9));
const leaf: fc.Arbitrary<string> = fc.oneof(
  name,
  fc.constantFrom("1", "0", "log(x)", "`a b`", "I(x^2)", "I((t + 1)/2)", "log(x + 1)", "exp(-t)", "poly(t, 2)", "poly(x, 2, raw = TRUE)", "scale(x)", "ns(x, df = 3)", "bs(t, df = 4, degree = 2)", "offset(t)", "factor(t)", "x %in% g"),
);
const expr: fc.Arbitrary<string> = fc.letrec<{ e: string }>((tie) => ({
  e: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    leaf,
    fc.tuple(tie("e"), fc.constantFrom(" + ", " - ", " * ", ":", " / "), tie("e")).map(([a, op, b]) => `${a}${op}${b}`),
    tie("e").map((e) => `(${e})`),
    tie("e").map((e) => `(${e})^2`),
  ),
})).e;
const bar = fc.tuple(expr, fc.constantFrom("|", "||"), fc.oneof(name, fc.tuple(name, name).map(([a, b]) => `${a}:${b}`), fc.tuple(name, name).map(([a, b]) => `${a}/${b}`))).map(([l, op, g]) => `(${l} ${op} ${g})`);

/** Structured formulas `y ~ terms + (lhs | g)…`: syntactically valid, possibly meaningless. */
export const structured = fc.tuple(name, fc.array(fc.oneof(expr, bar), { minLength: 1, maxLength: 4 })).map(([y, parts]) => `${y} ~ ${parts.join(" + ")}`);

/** A small data set over the names above: numbers, strings, missing values. */
export const smallData = fc.integer({ min: 0, max: 12 }).chain((n) =>
  fc.record({
    y: fc.array(fc.oneof(fc.double({ noNaN: false }), fc.constant(null)), { minLength: n, maxLength: n }),
    x: fc.array(fc.oneof(fc.double({ min: -1e6, max: 1e6 }), fc.constant(null)), { minLength: n, maxLength: n }),
    t: fc.array(fc.integer({ min: 0, max: 4 }), { minLength: n, maxLength: n }),
    g: fc.array(fc.constantFrom("a", "b", "c"), { minLength: n, maxLength: n }),
    h: fc.array(fc.constantFrom("u", "v", null), { minLength: n, maxLength: n }),
    a: fc.array(fc.boolean(), { minLength: n, maxLength: n }),
    b: fc.array(fc.constantFrom("p", "q"), { minLength: n, maxLength: n }),
    site: fc.array(fc.constantFrom("s1", "s2", "s3", "s4"), { minLength: n, maxLength: n }),
    patient: fc.array(fc.integer({ min: 1, max: 6 }), { minLength: n, maxLength: n }),
  }),
);
