import type { BasisSpec } from "../../formula/variables.js";
import { learnPoly, polyColumns, rawPolyColumns, type PolyCoefs } from "./poly.js";
import { learnScale, scaleColumn, type ScaleCoefs } from "./scale.js";
import { bsColumns, learnKnots, nsColumns, type SplineKnots } from "./splines.js";

/**
 * What a basis learned from the fit's data: poly's recurrence coefficients, scale's centre and
 * scale, the splines' knots. Plain data (it travels to workers and into saved results). Applied as
 * it is to new data and in refits, R's "safe prediction" (`makepredictcall`).
 */
export type LearnedBasis =
  | ({ fn: "poly" } & PolyCoefs)
  | { fn: "poly"; raw: true; degree: number }
  | ({ fn: "scale" } & ScaleCoefs)
  | ({ fn: "ns" | "bs" } & SplineKnots);

/**
 * The learned bases of a model by variable label (`poly(t, 2)`, `scale(age)` …), e.g. a fit's
 * `model.structure.transforms`: passed as the `transforms` option, a model uses them instead of
 * learning again (refits on some of the rows, predictions).
 */
export type LearnedTransforms = Readonly<Record<string, LearnedBasis>>;

/** Learns a basis from the sorted non-missing values of its argument. */
export function learnBasis(spec: BasisSpec, sorted: Float64Array, label: string): LearnedBasis {
  switch (spec.fn) {
    case "poly":
      return spec.raw ? { fn: "poly", raw: true, degree: spec.degree } : { fn: "poly", ...learnPoly(sorted, spec.degree, label) };
    case "scale":
      return { fn: "scale", ...learnScale(sorted, spec.center, spec.scale, label) };
    case "ns":
    case "bs":
      return { fn: spec.fn, ...learnKnots(sorted, spec.fn, { ...spec, degree: spec.fn === "bs" ? spec.degree : 3 }, label) };
  }
}

/**
 * The basis's columns at x (NaN rows stay NaN) and the suffixes R appends to the label to name them
 * (`1`, `2` …; none for a one-column basis such as `scale(x)` or `poly(x, 1)`).
 */
export function basisColumns(learned: LearnedBasis, x: Float64Array): { columns: Float64Array[]; suffixes: string[] } {
  let columns: Float64Array[];
  switch (learned.fn) {
    case "poly":
      columns = "raw" in learned ? rawPolyColumns(x, learned.degree) : polyColumns(x, learned);
      break;
    case "scale":
      columns = [scaleColumn(x, learned)];
      break;
    case "ns":
      columns = nsColumns(x, learned);
      break;
    case "bs":
      columns = bsColumns(x, learned);
      break;
  }
  return { columns, suffixes: columns.length === 1 ? [""] : columns.map((_, j) => String(j + 1)) };
}
