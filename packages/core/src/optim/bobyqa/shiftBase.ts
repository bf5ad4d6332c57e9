import type { Workspace } from "./workspace.js";

/**
 * Moves XBASE to the trust-region centre xbase + xopt when xopt has become
 * large compared with the step (Powell's label 90 in BOBYQB), to limit
 * cancellation. BMAT, HQ, XPT, SL, SU and XNEW are revised to match; ZMAT is
 * unchanged. Uses ws.vlag and ws.w as scratch.
 *
 * @internal
 */
export function shiftBase(ws: Workspace): void {
  const { n, npt, nptm, xbase, xpt, xopt, bmat, zmat, hq, pq, sl, su, xnew, vlag, w } = ws;
  let xoptsq = 0;
  for (let i = 0; i < n; i++) xoptsq += xopt[i] * xopt[i];
  const fracsq = 0.25 * xoptsq;
  let sumpq = 0;

  // Changes to BMAT that do not depend on ZMAT.
  for (let k = 0; k < npt; k++) {
    sumpq += pq[k];
    let sum = -0.5 * xoptsq;
    for (let i = 0; i < n; i++) sum += xpt[k * n + i] * xopt[i];
    w[npt + k] = sum;
    const t = fracsq - 0.5 * sum;
    for (let i = 0; i < n; i++) {
      w[i] = bmat[k * n + i];
      vlag[i] = sum * xpt[k * n + i] + t * xopt[i];
      const ip = npt + i;
      for (let j = 0; j <= i; j++) bmat[ip * n + j] = bmat[ip * n + j] + w[i] * vlag[j] + vlag[i] * w[j];
    }
  }

  // Changes to BMAT that depend on ZMAT.
  for (let jj = 0; jj < nptm; jj++) {
    let sumz = 0;
    let sumw = 0;
    for (let k = 0; k < npt; k++) {
      sumz += zmat[k * nptm + jj];
      vlag[k] = w[npt + k] * zmat[k * nptm + jj];
      sumw += vlag[k];
    }
    for (let j = 0; j < n; j++) {
      let sum = (fracsq * sumz - 0.5 * sumw) * xopt[j];
      for (let k = 0; k < npt; k++) sum += vlag[k] * xpt[k * n + j];
      w[j] = sum;
      for (let k = 0; k < npt; k++) bmat[k * n + j] += sum * zmat[k * nptm + jj];
    }
    for (let i = 0; i < n; i++) {
      const ip = i + npt;
      const t = w[i];
      for (let j = 0; j <= i; j++) bmat[ip * n + j] += t * w[j];
    }
  }

  // Complete the shift, including the second-derivative parameters of the model.
  let ih = 0;
  for (let j = 0; j < n; j++) {
    w[j] = -0.5 * sumpq * xopt[j];
    for (let k = 0; k < npt; k++) {
      w[j] += pq[k] * xpt[k * n + j];
      xpt[k * n + j] -= xopt[j];
    }
    for (let i = 0; i <= j; i++) {
      hq[ih] = hq[ih] + w[i] * xopt[j] + xopt[i] * w[j];
      bmat[(npt + i) * n + j] = bmat[(npt + j) * n + i];
      ih++;
    }
  }
  for (let i = 0; i < n; i++) {
    xbase[i] += xopt[i];
    xnew[i] -= xopt[i];
    sl[i] -= xopt[i];
    su[i] -= xopt[i];
    xopt[i] = 0;
  }
}
