import type { Objective } from "./objective.js";
import { packedIndex, placePoint, type Workspace } from "./workspace.js";

/** Outcome of {@link prelim}: index of the best point, or −1 when no finite value was found. @internal */
export interface PrelimResult {
  kopt: number;
  /** Number of interpolation points whose values were computed (npt unless maxEval ran out). */
  nf: number;
}

/**
 * Powell's PRELIM: places the initial npt interpolation points around xbase
 * (xbase, xbase ± rhobeg·e_i, then pairs rhobeg(e_i ± e_j) when npt > 2n+1),
 * evaluates the objective there and builds the first quadratic model (GOPT at
 * XBASE, HQ, PQ = 0) and the matching BMAT and ZMAT.
 *
 * One change from Powell's order of work, for non-finite objective values: the
 * first min(npt, 2n+1) points do not depend on any function value, so they are
 * all evaluated first; non-finite values among them are then replaced by the
 * moderated barrier (see {@link Objective}) computed from the finite ones, and
 * only then is the model built, exactly as Powell builds it. With finite values
 * this is the same computation in the same order as Powell's.
 *
 * `ws.xbase`, `ws.sl`, `ws.su` must be set on entry.
 *
 * @internal
 */
export function prelim(ws: Workspace, obj: Objective, rhobeg: number): PrelimResult {
  const { n, npt, nptm, xpt, fval, gopt, hq, pq, bmat, zmat, sl, su } = ws;
  const rhosq = rhobeg * rhobeg;
  const recip = 1 / rhosq;
  xpt.fill(0);
  bmat.fill(0);
  hq.fill(0);
  pq.fill(0);
  zmat.fill(0);
  gopt.fill(0);

  // Steps along the coordinate axes: point 1+i is at stepA[i]·e_i, point 1+n+i at stepB[i]·e_i.
  const stepA = ws.xnew; // scratch until BOBYQB starts
  const stepB = ws.xalt;
  for (let i = 0; i < n; i++) {
    let a = rhobeg;
    if (su[i] === 0) a = -a;
    let b = -rhobeg;
    if (sl[i] === 0) b = Math.min(2 * rhobeg, su[i]);
    if (su[i] === 0) b = Math.max(-2 * rhobeg, sl[i]);
    stepA[i] = a;
    stepB[i] = b;
    xpt[(1 + i) * n + i] = a;
    if (1 + n + i < npt) xpt[(1 + n + i) * n + i] = b;
  }

  // Phase 1: the points that do not depend on function values.
  const first = Math.min(npt, 2 * n + 1);
  let nf = 0;
  while (nf < first && !obj.exhausted) {
    fval[nf] = obj.evaluateRaw(placePoint(ws, xpt, nf * n));
    nf++;
  }
  if (!obj.hasFinite) return { kopt: -1, nf };
  for (let k = 0; k < nf; k++) fval[k] = obj.moderate(fval[k]);

  const fbeg = fval[0];
  let kopt = 0;
  for (let p = 1; p < nf; p++) {
    const f = fval[p];
    if (f < fval[kopt]) kopt = p;
    if (p <= n) {
      const c = p - 1;
      const a = stepA[c];
      gopt[c] = (f - fbeg) / a;
      if (npt <= p + n) {
        // Only n+1+… points: a linear model along this axis.
        bmat[c] = -1 / a;
        bmat[p * n + c] = 1 / a;
        bmat[(npt + c) * n + c] = -0.5 * rhosq;
      }
    } else {
      const c = p - n - 1;
      const a = stepA[c];
      const b = stepB[c];
      const temp = (f - fbeg) / b;
      const diff = b - a;
      hq[packedIndex(c, c)] = (2 * (temp - gopt[c])) / diff;
      gopt[c] = (gopt[c] * b - temp * a) / diff;
      if (a * b < 0 && f < fval[p - n]) {
        // Swap the two points so that the lower value sits at the first one,
        // which then contributes to the off-diagonal second derivatives.
        fval[p] = fval[p - n];
        fval[p - n] = f;
        if (kopt === p) kopt = p - n;
        xpt[(p - n) * n + c] = b;
        xpt[p * n + c] = a;
      }
      bmat[c] = -(a + b) / (a * b);
      bmat[p * n + c] = -0.5 / xpt[(p - n) * n + c];
      bmat[(p - n) * n + c] = -bmat[c] - bmat[p * n + c];
      zmat[c] = Math.SQRT2 / (a * b);
      zmat[p * nptm + c] = Math.SQRT1_2 / rhosq;
      zmat[(p - n) * nptm + c] = -zmat[c] - zmat[p * nptm + c];
    }
  }

  // Phase 2 (npt > 2n+1 only): points rhobeg-ish steps along two axes, for off-diagonal curvature.
  while (nf < npt && !obj.exhausted) {
    const p = nf;
    // Powell's pairing of axes (1-based ipt > jpt).
    let itemp = Math.floor((p - n - 1) / n);
    let jpt = p - itemp * n - n;
    let ipt = jpt + itemp;
    if (ipt > n) {
      itemp = jpt;
      jpt = ipt - n;
      ipt = itemp;
    }
    const xi = xpt[ipt * n + (ipt - 1)];
    const xj = xpt[jpt * n + (jpt - 1)];
    xpt[p * n + (ipt - 1)] = xi;
    xpt[p * n + (jpt - 1)] = xj;
    const f = obj.evaluate(placePoint(ws, xpt, p * n));
    fval[p] = f;
    nf++;
    if (f < fval[kopt]) kopt = p;
    const col = p - n - 1;
    zmat[col] = recip;
    zmat[p * nptm + col] = recip;
    zmat[ipt * nptm + col] = -recip;
    zmat[jpt * nptm + col] = -recip;
    hq[packedIndex(jpt - 1, ipt - 1)] = (fbeg - fval[ipt] - fval[jpt] + f) / (xi * xj);
  }
  return { kopt, nf };
}
