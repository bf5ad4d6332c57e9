/**
 * B-spline basis functions as R's `splines::splineDesign` (a port of the C routine
 * `spline_basis` of R's splines package, so that values at knots and at the right boundary, and
 * derivatives there, are R's): `ord` = degree + 1, `knots` sorted with the boundary knots repeated
 * `ord` times. Every x must lie within the boundary knots (extrapolation is the caller's).
 */
export class SplineBasis {
  readonly ncoef: number;
  private readonly ordm1: number;
  private readonly rdel: Float64Array;
  private readonly ldel: Float64Array;
  private readonly a: Float64Array;
  private curs = 0;
  private boundary = false;

  constructor(
    private readonly knots: Float64Array,
    private readonly order: number,
  ) {
    this.ordm1 = order - 1;
    this.ncoef = knots.length - order;
    this.rdel = new Float64Array(this.ordm1);
    this.ldel = new Float64Array(this.ordm1);
    this.a = new Float64Array(order);
  }

  /**
   * The design matrix: one row per x (row-major nx × ncoef), the `derivs[i % derivs.length]`-th
   * derivative at x[i].
   */
  design(x: ArrayLike<number>, derivs: ArrayLike<number> = [0]): Float64Array {
    const { order, ncoef } = this;
    const out = new Float64Array(x.length * ncoef);
    const values = new Float64Array(order);
    for (let i = 0; i < x.length; i++) {
      const offset = this.setCursor(x[i]) - order;
      if (offset < 0 || offset > this.knots.length) {
        for (let j = 0; j < order; j++) if (offset + j >= 0 && offset + j < ncoef) out[i * ncoef + offset + j] = NaN;
        continue;
      }
      const d = derivs[i % derivs.length];
      if (d > 0) {
        for (let ii = 0; ii < order; ii++) {
          this.a.fill(0);
          this.a[ii] = 1;
          values[ii] = this.evaluate(x[i], d);
        }
      } else this.basisFunctions(x[i], values);
      for (let j = 0; j < order; j++) if (offset + j < ncoef) out[i * ncoef + offset + j] = values[j];
    }
    return out;
  }

  /** R's `set_cursor`: the first knot above x (at the right boundary, the last legitimate interval). */
  private setCursor(x: number): number {
    const { knots, order } = this;
    const nk = knots.length;
    this.curs = -1;
    this.boundary = false;
    for (let i = 0; i < nk; i++) {
      if (knots[i] >= x) this.curs = i;
      if (knots[i] > x) break;
    }
    if (this.curs > nk - order) {
      const lastLegit = nk - order;
      if (x === knots[lastLegit]) {
        this.boundary = true;
        this.curs = lastLegit;
      }
    }
    return this.curs;
  }

  private diffTable(x: number, ndiff: number): void {
    for (let i = 0; i < ndiff; i++) {
      this.rdel[i] = this.knots[this.curs + i] - x;
      this.ldel[i] = x - this.knots[this.curs - (i + 1)];
    }
  }

  /** R's `basis_funcs`: the `order` non-zero basis functions at x. */
  private basisFunctions(x: number, b: Float64Array): void {
    const { rdel, ldel } = this;
    this.diffTable(x, this.ordm1);
    b[0] = 1;
    for (let j = 1; j <= this.ordm1; j++) {
      let saved = 0;
      for (let r = 0; r < j; r++) {
        const den = rdel[r] + ldel[j - 1 - r];
        if (den !== 0) {
          const term = b[r] / den;
          b[r] = saved + rdel[r] * term;
          saved = ldel[j - 1 - r] * term;
        } else {
          if (r !== 0 || rdel[r] !== 0) b[r] = saved;
          saved = 0;
        }
      }
      b[j] = saved;
    }
  }

  /** R's `evaluate`: the nder-th derivative of the spline with coefficients `a` at x. */
  private evaluate(x: number, nder: number): number {
    const { a, knots, ldel, rdel } = this;
    if (this.boundary && nder === this.ordm1) return 0;
    const ti = this.curs;
    let outer = this.ordm1;
    let d = nder;
    while (d-- > 0) {
      for (let inner = 0, lpt = ti - outer; inner < outer; inner++, lpt++) a[inner] = (outer * (a[inner + 1] - a[inner])) / (knots[lpt + outer] - knots[lpt]);
      outer--;
    }
    this.diffTable(x, outer);
    while (outer-- > 0) {
      for (let k = 0; k <= outer; k++) a[k] = (a[k + 1] * ldel[outer - k] + a[k] * rdel[k]) / (rdel[k] + ldel[outer - k]);
    }
    return a[0];
  }
}
