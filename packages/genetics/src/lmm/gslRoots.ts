// Faithful ports of the GSL 1D root finders GEMMA uses (roots/brent.c, roots/newton.c, roots/convergence.c),
// so that λ estimates follow the same iterates and agree with GEMMA's to its printed digits.

const DBL_EPSILON = 2 ** -52;

/** Status codes as in GSL. */
export const GSL_SUCCESS = 0;
export const GSL_CONTINUE = -2;
export const GSL_EBADFUNC = 9;
export const GSL_EZERODIV = 12;

/** gsl_root_fsolver_brent, state and iteration. */
export class BrentSolver {
  a = 0; b = 0; c = 0; d = 0; e = 0; fa = 0; fb = 0; fc = 0;
  root = 0;
  lower = 0;
  upper = 0;
  constructor(private readonly f: (x: number) => number) {}

  /**
   * gsl_root_fsolver_set with brent_init. Returns a GSL status. The function values at the ends may be passed
   * when already known (the scan has them from its bulk grid evaluation).
   */
  set(lower: number, upper: number, fLower?: number, fUpper?: number): number {
    this.root = 0.5 * (lower + upper);
    this.lower = lower;
    this.upper = upper;
    const fl = fLower ?? this.f(lower), fu = fUpper ?? this.f(upper);
    if (!Number.isFinite(fl) || !Number.isFinite(fu)) return GSL_EBADFUNC;
    this.a = lower; this.fa = fl;
    this.b = upper; this.fb = fu;
    this.c = upper; this.fc = fu;
    this.d = upper - lower;
    this.e = upper - lower;
    return GSL_SUCCESS;
  }

  /** brent_iterate. */
  iterate(): number {
    let { a, b, c, d, e, fa, fb, fc } = this;
    let acEqual = false;
    if ((fb < 0 && fc < 0) || (fb > 0 && fc > 0)) {
      acEqual = true;
      c = a; fc = fa; d = b - a; e = b - a;
    }
    if (Math.abs(fc) < Math.abs(fb)) {
      acEqual = true;
      a = b; b = c; c = a; fa = fb; fb = fc; fc = fa;
    }
    const tol = 0.5 * DBL_EPSILON * Math.abs(b);
    const m = 0.5 * (c - b);
    if (fb === 0) {
      this.root = b; this.lower = b; this.upper = b;
      return GSL_SUCCESS;
    }
    if (Math.abs(m) <= tol) {
      this.root = b;
      if (b < c) { this.lower = b; this.upper = c; } else { this.lower = c; this.upper = b; }
      return GSL_SUCCESS;
    }
    if (Math.abs(e) < tol || Math.abs(fa) <= Math.abs(fb)) {
      d = m; e = m;
    } else {
      let p: number, q: number;
      const s = fb / fa;
      if (acEqual) {
        p = 2 * m * s;
        q = 1 - s;
      } else {
        const q0 = fa / fc;
        const r = fb / fc;
        p = s * (2 * m * q0 * (q0 - r) - (b - a) * (r - 1));
        q = (q0 - 1) * (r - 1) * (s - 1);
      }
      if (p > 0) q = -q; else p = -p;
      if (2 * p < Math.min(3 * m * q - Math.abs(tol * q), Math.abs(e * q))) {
        e = d;
        d = p / q;
      } else {
        d = m; e = m;
      }
    }
    a = b;
    fa = fb;
    if (Math.abs(d) > tol) b += d;
    else b += m > 0 ? +tol : -tol;
    fb = this.f(b);
    if (!Number.isFinite(fb)) {
      Object.assign(this, { a, b, c, d, e, fa, fb, fc });
      return GSL_EBADFUNC;
    }
    this.a = a; this.b = b; this.c = c; this.d = d; this.e = e; this.fa = fa; this.fb = fb; this.fc = fc;
    this.root = b;
    if ((fb < 0 && fc < 0) || (fb > 0 && fc > 0)) c = a;
    if (b < c) { this.lower = b; this.upper = c; } else { this.lower = c; this.upper = b; }
    return GSL_SUCCESS;
  }
}

/** gsl_root_fdfsolver_newton: `fdf` returns [f, f']. */
export class NewtonSolver {
  root = 0;
  private fv = 0;
  private dfv = 0;
  constructor(private readonly fdf: (x: number) => [number, number]) {}

  set(root: number): void {
    this.root = root;
    const [f, df] = this.fdf(root);
    this.fv = f;
    this.dfv = df;
  }

  iterate(): number {
    if (this.dfv === 0) return GSL_EZERODIV;
    const next = this.root - this.fv / this.dfv;
    this.root = next;
    const [f, df] = this.fdf(next);
    this.fv = f;
    this.dfv = df;
    if (!Number.isFinite(f) || !Number.isFinite(df)) return GSL_EBADFUNC;
    return GSL_SUCCESS;
  }
}

/** gsl_root_test_interval. */
export function testInterval(lower: number, upper: number, epsabs: number, epsrel: number): number {
  const minAbs = (lower > 0 && upper > 0) || (lower < 0 && upper < 0) ? Math.min(Math.abs(lower), Math.abs(upper)) : 0;
  const tolerance = epsabs + epsrel * minAbs;
  return Math.abs(upper - lower) < tolerance ? GSL_SUCCESS : GSL_CONTINUE;
}

/** gsl_root_test_delta. */
export function testDelta(x1: number, x0: number, epsabs: number, epsrel: number): number {
  const tolerance = epsabs + epsrel * Math.abs(x1);
  return Math.abs(x1 - x0) < tolerance || x1 === x0 ? GSL_SUCCESS : GSL_CONTINUE;
}
