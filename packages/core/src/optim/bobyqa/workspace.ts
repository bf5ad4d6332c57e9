/**
 * All arrays BOBYQA works on, allocated once per run so that the iteration itself
 * allocates nothing.
 *
 * Layout (0-based, row-major; Powell's names):
 * - `xpt[k*n + j]`: interpolation point k relative to `xbase` (npt × n);
 * - `bmat[i*n + j]`: the last n columns of Powell's H matrix (ndim × n, ndim = npt + n);
 * - `zmat[k*nptm + j]`: factor of the leading npt × npt block of H, H = Z Zᵀ (npt × nptm);
 * - `hq`: explicit second-derivative matrix of the model, packed upper triangle
 *   (`hq[i + j(j+1)/2]` holds entry (i, j) for i ≤ j), see {@link packedIndex};
 * - `pq`: parameters of the implicit second derivatives Σ_k pq[k] xpt_k xpt_kᵀ.
 *
 * @internal
 */
export interface Workspace {
  readonly n: number;
  readonly npt: number;
  /** npt − n − 1: number of columns of `zmat`. */
  readonly nptm: number;
  /** npt + n: number of rows of `bmat`. */
  readonly ndim: number;
  /** Lower and upper bounds of the (free) variables. */
  readonly xl: Float64Array;
  readonly xu: Float64Array;
  readonly xbase: Float64Array;
  readonly xpt: Float64Array;
  readonly fval: Float64Array;
  readonly xopt: Float64Array;
  readonly gopt: Float64Array;
  readonly hq: Float64Array;
  readonly pq: Float64Array;
  readonly bmat: Float64Array;
  readonly zmat: Float64Array;
  /** Bounds relative to `xbase`: sl = xl − xbase, su = xu − xbase. */
  readonly sl: Float64Array;
  readonly su: Float64Array;
  readonly xnew: Float64Array;
  readonly xalt: Float64Array;
  readonly d: Float64Array;
  /** Values of the Lagrange functions at a new point (length ndim). */
  readonly vlag: Float64Array;
  /** General scratch of length max(2·npt, ndim) + n, Powell's W in BOBYQB. */
  readonly w: Float64Array;
  /** Vector of variables handed to the objective (length n). */
  readonly x: Float64Array;
  // TRSBOX scratch.
  readonly gnew: Float64Array;
  readonly xbdi: Float64Array;
  readonly s: Float64Array;
  readonly hs: Float64Array;
  readonly hred: Float64Array;
  // ALTMOV scratch.
  readonly glag: Float64Array;
  readonly hcol: Float64Array;
  readonly wCauchy: Float64Array;
  // RESCUE scratch.
  readonly ptsaux: Float64Array;
  readonly ptsP: Int32Array;
  readonly ptsQ: Int32Array;
  readonly provisional: Uint8Array;
  readonly distRescue: Float64Array;
}

/** Position of entry (i, j), i ≤ j, of a symmetric matrix in packed upper-triangle storage. @internal */
export function packedIndex(i: number, j: number): number {
  return i <= j ? i + (j * (j + 1)) / 2 : j + (i * (i + 1)) / 2;
}

/** Allocates a zero-filled workspace for n variables and npt interpolation points. @internal */
export function createWorkspace(n: number, npt: number, xl: Float64Array, xu: Float64Array): Workspace {
  const ndim = npt + n;
  const nptm = npt - n - 1;
  const f = (len: number) => new Float64Array(len);
  return {
    n, npt, nptm, ndim, xl, xu,
    xbase: f(n), xpt: f(npt * n), fval: f(npt), xopt: f(n), gopt: f(n),
    hq: f((n * (n + 1)) / 2), pq: f(npt), bmat: f(ndim * n), zmat: f(npt * nptm),
    sl: f(n), su: f(n), xnew: f(n), xalt: f(n), d: f(n), vlag: f(ndim),
    w: f(Math.max(2 * npt, ndim) + n), x: f(n),
    gnew: f(n), xbdi: f(n), s: f(n), hs: f(n), hred: f(n),
    glag: f(n), hcol: f(npt), wCauchy: f(2 * n),
    ptsaux: f(2 * n), ptsP: new Int32Array(npt), ptsQ: new Int32Array(npt),
    provisional: new Uint8Array(npt), distRescue: f(npt),
  };
}

/** Writes the variables xbase + xpt-like displacement `disp` into `ws.x`, respecting the bounds exactly. @internal */
export function placePoint(ws: Workspace, disp: Float64Array, offset: number): Float64Array {
  const { n, xl, xu, xbase, sl, su, x } = ws;
  for (let i = 0; i < n; i++) {
    const di = disp[offset + i];
    // Powell: clamp, and snap to the bound when the displacement sits exactly on it.
    x[i] = Math.min(Math.max(xl[i], xbase[i] + di), xu[i]);
    if (di === sl[i]) x[i] = xl[i];
    if (di === su[i]) x[i] = xu[i];
  }
  return x;
}
