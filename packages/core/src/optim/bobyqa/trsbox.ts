import { hessianTimes } from "./model.js";
import type { Workspace } from "./workspace.js";

/** Outputs of {@link trsbox}. @internal */
export interface TrsboxResult {
  /** |xnew − xopt|². */
  dsq: number;
  /**
   * 0 if the step reached the trust-region boundary; otherwise the least
   * curvature met in unconstrained conjugate-gradient searches, or −1 if every
   * search was constrained.
   */
  crvmin: number;
}

const enum Label {
  RestartCg,
  CgDirection,
  CgStep,
  Boundary,
  AltPrepare,
  AltIteration,
  AltStep,
  Done,
}

/**
 * Powell's TRSBOX: approximately minimises the quadratic model within the
 * trust region ‖d‖ ≤ delta around xopt and within the bounds sl ≤ xopt + d ≤ su.
 *
 * A truncated conjugate-gradient method runs on the free variables and is
 * restarted each time a variable hits a bound (which then stays fixed). Once d
 * reaches the trust-region boundary, further steps rotate d in the plane of d
 * and the reduced gradient, staying on the boundary, until the reduction of Q
 * becomes small. Sets ws.xnew, ws.d and ws.gnew (model gradient at xopt + d).
 *
 * @internal
 */
export function trsbox(ws: Workspace, delta: number, out: TrsboxResult): void {
  const { n, xopt, gopt, sl, su, xnew, d, gnew, xbdi, s, hs, hred } = ws;
  let iterc = 0;
  let nact = 0;
  for (let i = 0; i < n; i++) {
    xbdi[i] = 0;
    if (xopt[i] <= sl[i]) {
      if (gopt[i] >= 0) xbdi[i] = -1;
    } else if (xopt[i] >= su[i]) {
      if (gopt[i] <= 0) xbdi[i] = 1;
    }
    if (xbdi[i] !== 0) nact++;
    d[i] = 0;
    gnew[i] = gopt[i];
  }
  let delsq = delta * delta;
  let qred = 0;
  let crvmin = -1;

  let beta = 0;
  let stepsq = 0;
  let gredsq = 0;
  let ggsav = 0;
  let itermax = 0;
  let dredsq = 0;
  let dredg = 0;
  let sredg = 0;
  let angbd = 0;
  let iact = -1;
  let xsav = 0;
  // Safety valve against non-terminating loops on damaged (non-finite) models.
  let guard = 0;
  const guardMax = 50 * (n + 5) * (n + 5);

  let label = Label.RestartCg;
  for (;;) {
    if (++guard > guardMax) label = Label.Done;
    switch (label) {
      case Label.RestartCg:
        beta = 0;
        label = Label.CgDirection;
        break;
      case Label.CgDirection: {
        // Steepest descent on a restart, conjugate direction otherwise; fixed variables stay put.
        stepsq = 0;
        for (let i = 0; i < n; i++) {
          if (xbdi[i] !== 0) s[i] = 0;
          else if (beta === 0) s[i] = -gnew[i];
          else s[i] = beta * s[i] - gnew[i];
          stepsq += s[i] * s[i];
        }
        if (stepsq === 0) {
          label = Label.Done;
          break;
        }
        if (beta === 0) {
          gredsq = stepsq;
          itermax = iterc + n - nact;
        }
        if (gredsq * delsq <= 1e-4 * qred * qred) {
          label = Label.Done;
          break;
        }
        hessianTimes(ws, s, hs);
        label = Label.CgStep;
        break;
      }
      case Label.CgStep: {
        let resid = delsq;
        let ds = 0;
        let shs = 0;
        for (let i = 0; i < n; i++) {
          if (xbdi[i] === 0) {
            resid -= d[i] * d[i];
            ds += s[i] * d[i];
            shs += s[i] * hs[i];
          }
        }
        if (resid <= 0) {
          label = Label.Boundary;
          break;
        }
        // blen: step to the trust-region boundary; stplen: the CG step, cut by the bounds.
        const t = Math.sqrt(stepsq * resid + ds * ds);
        const blen = ds < 0 ? (t - ds) / stepsq : resid / (t + ds);
        let stplen = blen;
        if (shs > 0) stplen = Math.min(blen, gredsq / shs);
        iact = -1;
        for (let i = 0; i < n; i++) {
          if (s[i] !== 0) {
            const xsum = xopt[i] + d[i];
            const room = s[i] > 0 ? (su[i] - xsum) / s[i] : (sl[i] - xsum) / s[i];
            if (room < stplen) {
              stplen = room;
              iact = i;
            }
          }
        }
        let sdec = 0;
        if (stplen > 0) {
          iterc++;
          const curv = shs / stepsq;
          if (iact < 0 && curv > 0) {
            crvmin = Math.min(crvmin, curv);
            if (crvmin === -1) crvmin = curv;
          }
          ggsav = gredsq;
          gredsq = 0;
          for (let i = 0; i < n; i++) {
            gnew[i] += stplen * hs[i];
            if (xbdi[i] === 0) gredsq += gnew[i] * gnew[i];
            d[i] += stplen * s[i];
          }
          sdec = Math.max(stplen * (ggsav - 0.5 * stplen * shs), 0);
          qred += sdec;
        }
        if (iact >= 0) {
          // A new bound became active: fix the variable and restart CG.
          nact++;
          xbdi[iact] = s[iact] < 0 ? -1 : 1;
          delsq -= d[iact] * d[iact];
          label = delsq <= 0 ? Label.Boundary : Label.RestartCg;
          break;
        }
        if (stplen < blen) {
          if (iterc === itermax || sdec <= 0.01 * qred) {
            label = Label.Done;
            break;
          }
          beta = gredsq / ggsav;
          label = Label.CgDirection;
          break;
        }
        label = Label.Boundary;
        break;
      }
      case Label.Boundary:
        crvmin = 0;
        label = Label.AltPrepare;
        break;
      case Label.AltPrepare: {
        if (nact >= n - 1) {
          label = Label.Done;
          break;
        }
        dredsq = 0;
        dredg = 0;
        gredsq = 0;
        for (let i = 0; i < n; i++) {
          if (xbdi[i] === 0) {
            dredsq += d[i] * d[i];
            dredg += d[i] * gnew[i];
            gredsq += gnew[i] * gnew[i];
            s[i] = d[i];
          } else {
            s[i] = 0;
          }
        }
        hessianTimes(ws, s, hs);
        hred.set(hs);
        label = Label.AltIteration;
        break;
      }
      case Label.AltIteration: {
        iterc++;
        let t = gredsq * dredsq - dredg * dredg;
        if (t <= 1e-4 * qred * qred) {
          label = Label.Done;
          break;
        }
        t = Math.sqrt(t);
        for (let i = 0; i < n; i++) s[i] = xbdi[i] === 0 ? (dredg * d[i] - dredsq * gnew[i]) / t : 0;
        sredg = -t;
        // Upper bound on tan(θ/2) of the rotation from the simple bounds; a free
        // variable already at a bound is fixed and the iteration restarted.
        angbd = 1;
        iact = -1;
        let fixed = false;
        for (let i = 0; i < n; i++) {
          if (xbdi[i] !== 0) continue;
          const tempa = xopt[i] + d[i] - sl[i];
          const tempb = su[i] - xopt[i] - d[i];
          if (tempa <= 0) {
            nact++;
            xbdi[i] = -1;
            fixed = true;
            break;
          } else if (tempb <= 0) {
            nact++;
            xbdi[i] = 1;
            fixed = true;
            break;
          }
          const ssq = d[i] * d[i] + s[i] * s[i];
          let u = ssq - (xopt[i] - sl[i]) * (xopt[i] - sl[i]);
          if (u > 0) {
            u = Math.sqrt(u) - s[i];
            if (angbd * u > tempa) {
              angbd = tempa / u;
              iact = i;
              xsav = -1;
            }
          }
          u = ssq - (su[i] - xopt[i]) * (su[i] - xopt[i]);
          if (u > 0) {
            u = Math.sqrt(u) + s[i];
            if (angbd * u > tempb) {
              angbd = tempb / u;
              iact = i;
              xsav = 1;
            }
          }
        }
        if (fixed) {
          label = Label.AltPrepare;
          break;
        }
        hessianTimes(ws, s, hs);
        label = Label.AltStep;
        break;
      }
      case Label.AltStep: {
        let shs = 0;
        let dhs = 0;
        let dhd = 0;
        for (let i = 0; i < n; i++) {
          if (xbdi[i] === 0) {
            shs += s[i] * hs[i];
            dhs += d[i] * hs[i];
            dhd += d[i] * hred[i];
          }
        }
        // Greatest reduction of Q over equally spaced tan(θ/2) in [0, angbd], refined by a parabola.
        let redmax = 0;
        let isav = 0;
        let redsav = 0;
        let rdprev = 0;
        let rdnext = 0;
        const iu = Math.trunc(17 * angbd + 3.1);
        let angt = 0;
        for (let i = 1; i <= iu; i++) {
          angt = (angbd * i) / iu;
          const sth = (angt + angt) / (1 + angt * angt);
          const t = shs + angt * (angt * dhd - dhs - dhs);
          const rednew = sth * (angt * dredg - sredg - 0.5 * sth * t);
          if (rednew > redmax) {
            redmax = rednew;
            isav = i;
            rdprev = redsav;
          } else if (i === isav + 1) {
            rdnext = rednew;
          }
          redsav = rednew;
        }
        if (isav === 0) {
          label = Label.Done;
          break;
        }
        if (isav < iu) {
          const t = (rdnext - rdprev) / (redmax + redmax - rdprev - rdnext);
          angt = (angbd * (isav + 0.5 * t)) / iu;
        }
        const cth = (1 - angt * angt) / (1 + angt * angt);
        const sth = (angt + angt) / (1 + angt * angt);
        const t = shs + angt * (angt * dhd - dhs - dhs);
        const sdec = sth * (angt * dredg - sredg - 0.5 * sth * t);
        if (sdec <= 0) {
          label = Label.Done;
          break;
        }
        dredg = 0;
        gredsq = 0;
        for (let i = 0; i < n; i++) {
          gnew[i] = gnew[i] + (cth - 1) * hred[i] + sth * hs[i];
          if (xbdi[i] === 0) {
            d[i] = cth * d[i] + sth * s[i];
            dredg += d[i] * gnew[i];
            gredsq += gnew[i] * gnew[i];
          }
          hred[i] = cth * hred[i] + sth * hs[i];
        }
        qred += sdec;
        if (iact >= 0 && isav === iu) {
          nact++;
          xbdi[iact] = xsav;
          label = Label.AltPrepare;
          break;
        }
        label = sdec > 0.01 * qred ? Label.AltIteration : Label.Done;
        break;
      }
      case Label.Done: {
        let dsq = 0;
        for (let i = 0; i < n; i++) {
          let xn = Math.max(Math.min(xopt[i] + d[i], su[i]), sl[i]);
          if (xbdi[i] === -1) xn = sl[i];
          if (xbdi[i] === 1) xn = su[i];
          xnew[i] = xn;
          d[i] = xn - xopt[i];
          dsq += d[i] * d[i];
        }
        out.dsq = dsq;
        out.crvmin = crvmin;
        return;
      }
    }
  }
}
