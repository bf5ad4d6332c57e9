// Splines as piecewise polynomials: what an engine without de Boor's recursion (SQL) evaluates.
// Between two consecutive distinct knots every B-spline is a polynomial of the spline's degree,
// so each column of bs() (and of ns(), a fixed linear map of a B-spline basis) is one polynomial
// per knot interval; beyond the boundary knots R extrapolates with polynomials too (bs: a Taylor
// expansion, ns: a line). The coefficients come from the derivatives at a point of the interval.
import { SplineBasis } from "./splineDesign.js";
import { allKnots, naturalProjection, type SplineKnots } from "./splines.js";

/** Σ_d coefs[c][d] · (x − centre)^d for each basis column c. */
export interface PolynomialPiece {
  centre: number;
  coefs: number[][];
}

/**
 * A spline basis as polynomials: `left` where x < `lower`; `inside[i].piece` where x < `inside[i].below`
 * (first match; the last one up to and with `upper`, as R's right-closed last interval); `right`
 * where x > `upper`.
 */
export interface SplinePieces {
  lower: number;
  upper: number;
  left: PolynomialPiece;
  inside: { below: number; piece: PolynomialPiece }[];
  right: PolynomialPiece;
}

/**
 * The columns of `ns()` or `bs()` with these knots as piecewise polynomials, equal to
 * `nsColumns`/`bsColumns` up to rounding.
 *
 * @example
 * ```ts
 * const pieces = splinePieces("bs", { knots: [0.5], boundary: [0, 1], intercept: false, degree: 3 });
 * pieces.inside.length; // 2: [0, 0.5) and [0.5, 1]
 * ```
 */
export function splinePieces(fn: "ns" | "bs", k: SplineKnots): SplinePieces {
  const ord = k.degree + 1;
  const aknots = allKnots(k);
  const spline = new SplineBasis(aknots, ord);
  const ncoef = spline.ncoef;
  const natural = fn === "ns" ? naturalProjection(spline, k) : null;
  const from = k.intercept ? 0 : 1;
  const width = natural ? natural.width - 2 : ncoef - from;
  // The polynomial about `centre` whose d-th coefficient is the d-th derivative / d! (d < order).
  const piece = (centre: number, order: number): PolynomialPiece => {
    const derivs = Array.from({ length: order }, (_, d) => d);
    const rows = spline.design(new Array(order).fill(centre), derivs);
    const coefs = Array.from({ length: width }, () => new Array<number>(order).fill(0));
    let factorial = 1;
    for (let d = 0; d < order; d++) {
      if (d > 1) factorial *= d;
      const row = rows.slice(d * ncoef, (d + 1) * ncoef);
      if (natural) {
        const r = row.slice(natural.from);
        natural.qty(r);
        for (let c = 2; c < natural.width; c++) coefs[c - 2][d] = r[c] / factorial;
      } else for (let c = 0; c < width; c++) coefs[c][d] = row[from + c] / factorial;
    }
    return { centre, coefs };
  };
  const [lower, upper] = k.boundary;
  const breaks = [...new Set([lower, ...k.knots, upper])].sort((a, b) => a - b);
  const inside = breaks.slice(1).map((below, i) => ({ below, piece: piece((breaks[i] + below) / 2, ord) }));
  // Beyond the boundary: ns is linear (value and slope at the boundary knot); bs is R's Taylor
  // expansion about a pivot a quarter of the way to the next knot.
  const e = 1 / 4;
  const left = natural ? piece(lower, 2) : piece((1 - e) * lower + e * aknots[ord], ord);
  const right = natural ? piece(upper, 2) : piece((1 - e) * upper + e * aknots[aknots.length - ord - 1], ord);
  return { lower, upper, left, inside, right };
}
