import { describe, expect, it } from "vitest";
import { pchisqUpper, pfUpper, pnorm, pt, pt2, qchisq, qnorm, qt } from "../src/numerics/index.js";

// Identities and closed forms only: no tabulated numbers copied in.
describe("distributions", () => {
  it("t with 1 df is Cauchy and t with large df approaches the normal", () => {
    for (const x of [-3, -0.5, 0.2, 4]) {
      expect(pt(x, 1)).toBeCloseTo(0.5 + Math.atan(x) / Math.PI, 14);
      expect(pt(x, 1e9)).toBeCloseTo(pnorm(x), 7);
    }
  });
  it("F(1, d) is the square of t(d) and chi-square(1) the square of a normal", () => {
    for (const t of [0.3, 2, 7.5]) {
      expect(pfUpper(t * t, 1, 13)).toBeCloseTo(pt2(t, 13), 14);
      expect(pchisqUpper(t * t, 1)).toBeCloseTo(2 * (1 - pnorm(t)), 12);
    }
  });
  it("chi-square with 2 df has upper tail exp(-x/2), also far in the tail", () => {
    for (const x of [0.1, 3, 50, 1300]) {
      const rel = Math.abs(pchisqUpper(x, 2) / Math.exp(-x / 2) - 1);
      expect(rel).toBeLessThan(1e-12);
    }
  });
  it("quantiles invert the distribution functions", () => {
    for (const p of [0.025, 0.5, 0.975]) {
      expect(pnorm(qnorm(p))).toBeCloseTo(p, 12);
      expect(pt(qt(p, 7), 7)).toBeCloseTo(p, 10);
      expect(1 - pchisqUpper(qchisq(p, 3), 3)).toBeCloseTo(p, 10);
    }
  });
});
