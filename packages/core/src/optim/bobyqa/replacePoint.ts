import { updateInverse } from "./update.js";
import type { Workspace } from "./workspace.js";

/**
 * Moves interpolation point `knew` to ws.xnew, where the objective is `f` and
 * the model error is `diff` (BOBYQB after label 360): updates H (BMAT, ZMAT),
 * the second-derivative parameters (HQ, PQ) so that the model interpolates f,
 * FVAL, XPT, and GOPT at the unchanged xopt. Returns false, as NLopt does, when
 * H has become singular (non-finite).
 *
 * @internal
 */
export function replacePoint(ws: Workspace, knew: number, beta: number, denom: number, f: number, diff: number): boolean {
  const { n, npt, nptm, xpt, fval, xopt, gopt, hq, pq, bmat, zmat, xnew, w } = ws;
  updateInverse(ws, beta, denom, knew);

  // The old point's implicit curvature becomes explicit; diff times the new
  // knew-th Lagrange function's curvature is added to the implicit part.
  const pqold = pq[knew];
  pq[knew] = 0;
  let ih = 0;
  for (let i = 0; i < n; i++) {
    const t = pqold * xpt[knew * n + i];
    for (let j = 0; j <= i; j++) {
      hq[ih] += t * xpt[knew * n + j];
      ih++;
    }
  }
  for (let jj = 0; jj < nptm; jj++) {
    const t = diff * zmat[knew * nptm + jj];
    for (let k = 0; k < npt; k++) pq[k] += t * zmat[k * nptm + jj];
  }

  // Include the new point, and the change to GOPT at xopt.
  fval[knew] = f;
  for (let i = 0; i < n; i++) {
    xpt[knew * n + i] = xnew[i];
    w[i] = bmat[knew * n + i];
  }
  for (let k = 0; k < npt; k++) {
    let suma = 0;
    for (let jj = 0; jj < nptm; jj++) suma += zmat[knew * nptm + jj] * zmat[k * nptm + jj];
    if (!Number.isFinite(suma)) return false;
    let sumb = 0;
    for (let j = 0; j < n; j++) sumb += xpt[k * n + j] * xopt[j];
    const t = suma * sumb;
    for (let i = 0; i < n; i++) w[i] += t * xpt[k * n + i];
  }
  for (let i = 0; i < n; i++) gopt[i] += diff * w[i];
  return true;
}

/**
 * After a trust-region step: computes the least-Frobenius-norm interpolant of
 * the current data and replaces the model by it when the interpolant's
 * (bound-projected) gradient has been much smaller than the model's three
 * times running. Returns the new value of Powell's counter ITEST.
 *
 * @internal
 */
export function leastFrobeniusCheck(ws: Workspace, kopt: number, itest: number): number {
  const { n, npt, nptm, xpt, fval, xopt, gopt, hq, pq, bmat, zmat, sl, su, vlag, w } = ws;
  const nh = (n * (n + 1)) / 2;
  for (let k = 0; k < npt; k++) {
    vlag[k] = fval[k] - fval[kopt];
    w[k] = 0;
  }
  for (let j = 0; j < nptm; j++) {
    let sum = 0;
    for (let k = 0; k < npt; k++) sum += zmat[k * nptm + j] * vlag[k];
    for (let k = 0; k < npt; k++) w[k] += sum * zmat[k * nptm + j];
  }
  for (let k = 0; k < npt; k++) {
    let sum = 0;
    for (let j = 0; j < n; j++) sum += xpt[k * n + j] * xopt[j];
    w[k + npt] = w[k];
    w[k] = sum * w[k];
  }
  let gqsq = 0;
  let gisq = 0;
  for (let i = 0; i < n; i++) {
    let sum = 0;
    for (let k = 0; k < npt; k++) sum = sum + bmat[k * n + i] * vlag[k] + xpt[k * n + i] * w[k];
    let gq = gopt[i];
    let gi = sum;
    // At a bound only the component pointing into the box counts.
    if (xopt[i] === sl[i]) {
      gq = Math.min(0, gq);
      gi = Math.min(0, gi);
    } else if (xopt[i] === su[i]) {
      gq = Math.max(0, gq);
      gi = Math.max(0, gi);
    }
    gqsq += gq * gq;
    gisq += gi * gi;
    vlag[npt + i] = sum;
  }
  itest++;
  if (gqsq < 10 * gisq) itest = 0;
  if (itest >= 3) {
    for (let i = 0; i < Math.max(npt, nh); i++) {
      if (i < n) gopt[i] = vlag[npt + i];
      if (i < npt) pq[i] = w[npt + i];
      if (i < nh) hq[i] = 0;
    }
    itest = 0;
  }
  return itest;
}
