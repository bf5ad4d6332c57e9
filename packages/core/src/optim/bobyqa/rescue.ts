import type { Objective } from "./objective.js";
import { updateInverse } from "./update.js";
import { packedIndex, placePoint, type Workspace } from "./workspace.js";

/** State shared between BOBYQB and RESCUE. @internal */
export interface RescueState {
  kopt: number;
  /** Set to true when the evaluation budget stopped RESCUE before it finished. */
  exhausted: boolean;
}

/**
 * Powell's RESCUE: rebuilds BMAT and ZMAT from scratch when rounding errors
 * have spoilt the denominators of the updating formula. XBASE moves to the
 * trust-region centre; provisional points along the coordinate axes from xopt
 * (steps of length delta, cut at the bounds) replace, one at a time, original
 * interpolation points whose positions make the system nearly singular. The
 * objective is then evaluated at the provisional points that remain, and the
 * model (GOPT, HQ, PQ) is updated to interpolate them.
 *
 * Provisional point k is `P[k]`, `Q[k]` (1-based coordinate numbers, 0 = none):
 * step ptsaux(1,p)e_p + ptsaux(1,q)e_q if both are positive, else ptsaux(1,p)e_p
 * or ptsaux(2,q)e_q (Powell's PTSID encoding, stored as two integer arrays).
 *
 * @internal
 */
export function rescue(ws: Workspace, obj: Objective, delta: number, state: RescueState): void {
  const { n, npt, nptm, ndim, xbase, xpt, fval, xopt, gopt, hq, pq, bmat, zmat, sl, su, vlag, w } = ws;
  const { ptsaux, ptsP, ptsQ, provisional } = ws;
  const dist = ws.distRescue;
  let kopt = state.kopt;

  // Shift the points so that xopt is the origin; remember squared distances.
  let sumpq = 0;
  let winc = 0;
  for (let k = 0; k < npt; k++) {
    let distsq = 0;
    for (let j = 0; j < n; j++) {
      xpt[k * n + j] -= xopt[j];
      distsq += xpt[k * n + j] * xpt[k * n + j];
    }
    sumpq += pq[k];
    dist[k] = distsq;
    winc = Math.max(winc, distsq);
    for (let j = 0; j < nptm; j++) zmat[k * nptm + j] = 0;
  }
  // HQ so that HQ and PQ define the model's second derivatives after the shift.
  let ih = 0;
  for (let j = 0; j < n; j++) {
    w[j] = 0.5 * sumpq * xopt[j];
    for (let k = 0; k < npt; k++) w[j] += pq[k] * xpt[k * n + j];
    for (let i = 0; i <= j; i++) {
      hq[ih] = hq[ih] + w[i] * xopt[j] + w[j] * xopt[i];
      ih++;
    }
  }
  for (let j = 0; j < n; j++) {
    xbase[j] += xopt[j];
    sl[j] -= xopt[j];
    su[j] -= xopt[j];
    xopt[j] = 0;
    let a = Math.min(delta, su[j]);
    let b = Math.max(-delta, sl[j]);
    if (a + b < 0) {
      const t = a;
      a = b;
      b = t;
    }
    if (Math.abs(b) < 0.5 * Math.abs(a)) b = 0.5 * a;
    ptsaux[2 * j] = a;
    ptsaux[2 * j + 1] = b;
    for (let i = 0; i < ndim; i++) bmat[i * n + j] = 0;
  }
  const fbase = fval[kopt];

  // Provisional points along the axes, with the matching BMAT and ZMAT of Powell's PRELIM-like layout.
  provisional[0] = 1;
  ptsP[0] = 0;
  ptsQ[0] = 0;
  for (let j = 0; j < n; j++) {
    const jp = j + 1;
    const jpn = jp + n;
    const a = ptsaux[2 * j];
    const b = ptsaux[2 * j + 1];
    provisional[jp] = 1;
    ptsP[jp] = j + 1;
    ptsQ[jp] = 0;
    if (jpn < npt) {
      provisional[jpn] = 1;
      ptsP[jpn] = 0;
      ptsQ[jpn] = j + 1;
      const t = 1 / (a - b);
      bmat[jp * n + j] = -t + 1 / a;
      bmat[jpn * n + j] = t + 1 / b;
      bmat[j] = -bmat[jp * n + j] - bmat[jpn * n + j];
      zmat[j] = Math.SQRT2 / Math.abs(a * b);
      zmat[jp * nptm + j] = zmat[j] * b * t;
      zmat[jpn * nptm + j] = -zmat[j] * a * t;
    } else {
      bmat[j] = -1 / a;
      bmat[jp * n + j] = 1 / a;
      bmat[(j + npt) * n + j] = -0.5 * (a * a);
    }
  }
  for (let k = 2 * n + 1; k < npt; k++) {
    const iw = Math.floor((k - n - 0.5) / n);
    const ip = k - n - iw * n;
    let iq = ip + iw;
    if (iq > n) iq -= n;
    provisional[k] = 1;
    ptsP[k] = ip;
    ptsQ[k] = iq;
    const t = 1 / (ptsaux[2 * (ip - 1)] * ptsaux[2 * (iq - 1)]);
    const col = k - n - 1;
    zmat[col] = t;
    zmat[ip * nptm + col] = -t;
    zmat[iq * nptm + col] = -t;
    zmat[k * nptm + col] = t;
  }

  let nrem = npt;
  let kold = 0;
  let knew = kopt;
  let beta = 0;
  let denom = 0;
  // Reinstate original points one at a time (Powell's labels 80 and 120).
  for (;;) {
    // Exchange provisional point kold with knew (label 80).
    for (let j = 0; j < n; j++) {
      const t = bmat[kold * n + j];
      bmat[kold * n + j] = bmat[knew * n + j];
      bmat[knew * n + j] = t;
    }
    for (let j = 0; j < nptm; j++) {
      const t = zmat[kold * nptm + j];
      zmat[kold * nptm + j] = zmat[knew * nptm + j];
      zmat[knew * nptm + j] = t;
    }
    provisional[kold] = provisional[knew];
    ptsP[kold] = ptsP[knew];
    ptsQ[kold] = ptsQ[knew];
    provisional[knew] = 0;
    dist[knew] = 0;
    nrem--;
    if (knew !== kopt) {
      const t = vlag[kold];
      vlag[kold] = vlag[knew];
      vlag[knew] = t;
      updateInverse(ws, beta, denom, knew);
      if (nrem === 0) {
        state.kopt = kopt;
        return;
      }
      for (let k = 0; k < npt; k++) dist[k] = Math.abs(dist[k]);
    }

    // Pick the next original point (closest to xopt, not yet tried since the last success).
    let found = false;
    for (;;) {
      let dsqmin = 0;
      for (let k = 0; k < npt; k++) {
        if (dist[k] > 0 && (dsqmin === 0 || dist[k] < dsqmin)) {
          knew = k;
          dsqmin = dist[k];
        }
      }
      if (dsqmin === 0) break;

      // w-vector of the chosen original point.
      for (let j = 0; j < n; j++) w[npt + j] = xpt[knew * n + j];
      for (let k = 0; k < npt; k++) {
        let sum = 0;
        if (k === kopt) {
          // zero
        } else if (provisional[k] === 0) {
          for (let j = 0; j < n; j++) sum += w[npt + j] * xpt[k * n + j];
        } else {
          const ip = ptsP[k];
          const iq = ptsQ[k];
          if (ip > 0) sum = w[npt + ip - 1] * ptsaux[2 * (ip - 1)];
          if (iq > 0) sum += w[npt + iq - 1] * ptsaux[2 * (iq - 1) + (ip === 0 ? 1 : 0)];
        }
        w[k] = 0.5 * sum * sum;
      }
      // VLAG and BETA for reinstating point knew.
      for (let k = 0; k < npt; k++) {
        let sum = 0;
        for (let j = 0; j < n; j++) sum += bmat[k * n + j] * w[npt + j];
        vlag[k] = sum;
      }
      beta = 0;
      for (let j = 0; j < nptm; j++) {
        let sum = 0;
        for (let k = 0; k < npt; k++) sum += zmat[k * nptm + j] * w[k];
        beta -= sum * sum;
        for (let k = 0; k < npt; k++) vlag[k] += sum * zmat[k * nptm + j];
      }
      let bsum = 0;
      let distsq = 0;
      for (let j = 0; j < n; j++) {
        let sum = 0;
        for (let k = 0; k < npt; k++) sum += bmat[k * n + j] * w[k];
        const jp = j + npt;
        bsum += sum * w[jp];
        for (let ip = npt; ip < ndim; ip++) sum += bmat[ip * n + j] * w[ip];
        bsum += sum * w[jp];
        vlag[jp] = sum;
        distsq += xpt[knew * n + j] * xpt[knew * n + j];
      }
      beta = 0.5 * distsq * distsq + beta - bsum;
      vlag[kopt] += 1;

      // The provisional point to drop: the one giving the largest denominator.
      denom = 0;
      let vlmxsq = 0;
      for (let k = 0; k < npt; k++) {
        if (provisional[k] !== 0) {
          let hdiag = 0;
          for (let j = 0; j < nptm; j++) hdiag += zmat[k * nptm + j] * zmat[k * nptm + j];
          const den = beta * hdiag + vlag[k] * vlag[k];
          if (den > denom) {
            kold = k;
            denom = den;
          }
        }
        vlmxsq = Math.max(vlmxsq, vlag[k] * vlag[k]);
      }
      if (denom <= 0.01 * vlmxsq) {
        dist[knew] = -dist[knew] - winc;
        continue;
      }
      found = true;
      break;
    }
    if (!found) break;
  }

  // Label 260: evaluate at the provisional points that remain and update the model.
  for (let kpt = 0; kpt < npt; kpt++) {
    if (provisional[kpt] === 0) continue;
    if (obj.exhausted) {
      state.kopt = kopt;
      state.exhausted = true;
      return;
    }
    ih = 0;
    for (let j = 0; j < n; j++) {
      w[j] = xpt[kpt * n + j];
      xpt[kpt * n + j] = 0;
      const t = pq[kpt] * w[j];
      for (let i = 0; i <= j; i++) {
        hq[ih] += t * w[i];
        ih++;
      }
    }
    pq[kpt] = 0;
    const ip = ptsP[kpt];
    const iq = ptsQ[kpt];
    let xp = 0;
    let xq = 0;
    if (ip > 0) {
      xp = ptsaux[2 * (ip - 1)];
      xpt[kpt * n + ip - 1] = xp;
    }
    if (iq > 0) {
      xq = ip === 0 ? ptsaux[2 * (iq - 1) + 1] : ptsaux[2 * (iq - 1)];
      xpt[kpt * n + iq - 1] = xq;
    }
    // Model value at the new point.
    let vquad = fbase;
    if (ip > 0) vquad += xp * (gopt[ip - 1] + 0.5 * xp * hq[packedIndex(ip - 1, ip - 1)]);
    if (iq > 0) {
      vquad += xq * (gopt[iq - 1] + 0.5 * xq * hq[packedIndex(iq - 1, iq - 1)]);
      if (ip > 0) vquad += xp * xq * hq[packedIndex(ip - 1, iq - 1)];
    }
    for (let k = 0; k < npt; k++) {
      let t = 0;
      if (ip > 0) t += xp * xpt[k * n + ip - 1];
      if (iq > 0) t += xq * xpt[k * n + iq - 1];
      vquad += 0.5 * pq[k] * t * t;
    }
    const f = obj.evaluate(placePoint(ws, xpt, kpt * n));
    fval[kpt] = f;
    if (f < fval[kopt]) kopt = kpt;
    const diff = f - vquad;

    // Add diff times the kpt-th Lagrange function to the model.
    for (let i = 0; i < n; i++) gopt[i] += diff * bmat[kpt * n + i];
    for (let k = 0; k < npt; k++) {
      let sum = 0;
      for (let j = 0; j < nptm; j++) sum += zmat[k * nptm + j] * zmat[kpt * nptm + j];
      const t = diff * sum;
      if (provisional[k] === 0) {
        pq[k] += t;
      } else {
        const kp = ptsP[k];
        const kq = ptsQ[k];
        if (kp === 0) {
          const a = ptsaux[2 * (kq - 1) + 1];
          hq[packedIndex(kq - 1, kq - 1)] += t * (a * a);
        } else {
          const a = ptsaux[2 * (kp - 1)];
          hq[packedIndex(kp - 1, kp - 1)] += t * (a * a);
          if (kq > 0) {
            const b = ptsaux[2 * (kq - 1)];
            hq[packedIndex(kq - 1, kq - 1)] += t * (b * b);
            hq[packedIndex(kp - 1, kq - 1)] += t * a * b;
          }
        }
      }
    }
    provisional[kpt] = 0;
  }
  state.kopt = kopt;
}
