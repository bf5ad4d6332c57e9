import type { Workspace } from "./workspace.js";

/** Outputs of {@link altmov}. @internal */
export interface AltmovResult {
  /** Diagonal element H[knew][knew] of Powell's H matrix. */
  alpha: number;
  /** Square of the knew-th Lagrange function at xalt, or 0 when xalt was not computed. */
  cauchy: number;
}

const SQRT2_PLUS_1 = 1 + Math.SQRT2;

/**
 * Powell's ALTMOV: proposes new positions for interpolation point `knew`
 * within distance `adelt` of xopt and within the bounds, chosen to make the
 * denominator of the next UPDATE large (the geometry-improving step).
 *
 * - ws.xnew: best point on the lines through xopt and another interpolation point;
 * - ws.xalt: a constrained Cauchy step of the knew-th Lagrange function (uphill or
 *   downhill, whichever gives the larger |ℓ_knew|).
 *
 * @internal
 */
export function altmov(ws: Workspace, kopt: number, knew: number, adelt: number, out: AltmovResult): void {
  const { n, npt, nptm, xpt, xopt, bmat, zmat, sl, su, xnew, xalt, glag, hcol } = ws;
  const w = ws.wCauchy;

  // Column knew of H (first npt entries) and the gradient of ℓ_knew at xopt.
  hcol.fill(0);
  for (let j = 0; j < nptm; j++) {
    const t = zmat[knew * nptm + j];
    for (let k = 0; k < npt; k++) hcol[k] += t * zmat[k * nptm + j];
  }
  const alpha = hcol[knew];
  const ha = 0.5 * alpha;
  for (let i = 0; i < n; i++) glag[i] = bmat[knew * n + i];
  for (let k = 0; k < npt; k++) {
    let t = 0;
    for (let j = 0; j < n; j++) t += xpt[k * n + j] * xopt[j];
    t *= hcol[k];
    for (let i = 0; i < n; i++) glag[i] += t * xpt[k * n + i];
  }

  // Line searches through xopt and each other point; bound indices are ±(i+1), 0 = none.
  let presav = 0;
  let ksav = knew;
  let stpsav = 0;
  let ibdsav = 0;
  for (let k = 0; k < npt; k++) {
    if (k === kopt) continue;
    let dderiv = 0;
    let distsq = 0;
    for (let i = 0; i < n; i++) {
      const t = xpt[k * n + i] - xopt[i];
      dderiv += glag[i] * t;
      distsq += t * t;
    }
    let subd = adelt / Math.sqrt(distsq);
    let slbd = -subd;
    let ilbd = 0;
    let iubd = 0;
    const sumin = Math.min(1, subd);
    for (let i = 0; i < n; i++) {
      const t = xpt[k * n + i] - xopt[i];
      if (t > 0) {
        if (slbd * t < sl[i] - xopt[i]) {
          slbd = (sl[i] - xopt[i]) / t;
          ilbd = -(i + 1);
        }
        if (subd * t > su[i] - xopt[i]) {
          subd = Math.max(sumin, (su[i] - xopt[i]) / t);
          iubd = i + 1;
        }
      } else if (t < 0) {
        if (slbd * t > su[i] - xopt[i]) {
          slbd = (su[i] - xopt[i]) / t;
          ilbd = i + 1;
        }
        if (subd * t < sl[i] - xopt[i]) {
          subd = Math.max(sumin, (sl[i] - xopt[i]) / t);
          iubd = -(i + 1);
        }
      }
    }
    let step: number;
    let vlag: number;
    let isbd: number;
    if (k === knew) {
      // ℓ_knew along this line is a quadratic through 0 at xopt and 1 at xpt_knew.
      const diff = dderiv - 1;
      step = slbd;
      vlag = slbd * (dderiv - slbd * diff);
      isbd = ilbd;
      const t = subd * (dderiv - subd * diff);
      if (Math.abs(t) > Math.abs(vlag)) {
        step = subd;
        vlag = t;
        isbd = iubd;
      }
      const tempd = 0.5 * dderiv;
      const tempa = tempd - diff * slbd;
      const tempb = tempd - diff * subd;
      if (tempa * tempb < 0) {
        const v = (tempd * tempd) / diff;
        if (Math.abs(v) > Math.abs(vlag)) {
          step = tempd / diff;
          vlag = v;
          isbd = 0;
        }
      }
    } else {
      step = slbd;
      vlag = slbd * (1 - slbd);
      isbd = ilbd;
      const t = subd * (1 - subd);
      if (Math.abs(t) > Math.abs(vlag)) {
        step = subd;
        vlag = t;
        isbd = iubd;
      }
      if (subd > 0.5 && Math.abs(vlag) < 0.25) {
        step = 0.5;
        vlag = 0.25;
        isbd = 0;
      }
      vlag *= dderiv;
    }
    const t = step * (1 - step) * distsq;
    const predsq = vlag * vlag * (vlag * vlag + ha * t * t);
    if (predsq > presav) {
      presav = predsq;
      ksav = k;
      stpsav = step;
      ibdsav = isbd;
    }
  }
  for (let i = 0; i < n; i++) {
    const t = xopt[i] + stpsav * (xpt[ksav * n + i] - xopt[i]);
    xnew[i] = Math.max(sl[i], Math.min(su[i], t));
  }
  if (ibdsav < 0) xnew[-ibdsav - 1] = sl[-ibdsav - 1];
  if (ibdsav > 0) xnew[ibdsav - 1] = su[ibdsav - 1];

  // Constrained Cauchy step of ℓ_knew, assembled in w (free components marked by bigstp).
  const bigstp = adelt + adelt;
  let csave = 0;
  let cauchy = 0;
  let step = 0;
  for (let iflag = 0; iflag < 2; iflag++) {
    let wfixsq = 0;
    let ggfree = 0;
    for (let i = 0; i < n; i++) {
      w[i] = 0;
      const tempa = Math.min(xopt[i] - sl[i], glag[i]);
      const tempb = Math.max(xopt[i] - su[i], glag[i]);
      if (tempa > 0 || tempb < 0) {
        w[i] = bigstp;
        ggfree += glag[i] * glag[i];
      }
    }
    if (ggfree === 0) {
      out.alpha = alpha;
      out.cauchy = 0;
      return;
    }
    // Fix more components at bounds while that changes the step.
    for (;;) {
      const room = adelt * adelt - wfixsq;
      if (!(room > 0)) break;
      const wsqsav = wfixsq;
      step = Math.sqrt(room / ggfree);
      ggfree = 0;
      for (let i = 0; i < n; i++) {
        if (w[i] === bigstp) {
          const t = xopt[i] - step * glag[i];
          if (t <= sl[i]) {
            w[i] = sl[i] - xopt[i];
            wfixsq += w[i] * w[i];
          } else if (t >= su[i]) {
            w[i] = su[i] - xopt[i];
            wfixsq += w[i] * w[i];
          } else {
            ggfree += glag[i] * glag[i];
          }
        }
      }
      if (!(wfixsq > wsqsav && ggfree > 0)) break;
    }
    let gw = 0;
    for (let i = 0; i < n; i++) {
      if (w[i] === bigstp) {
        w[i] = -step * glag[i];
        xalt[i] = Math.max(sl[i], Math.min(su[i], xopt[i] + w[i]));
      } else if (w[i] === 0) {
        xalt[i] = xopt[i];
      } else if (glag[i] > 0) {
        xalt[i] = sl[i];
      } else {
        xalt[i] = su[i];
      }
      gw += glag[i] * w[i];
    }
    // Curvature of ℓ_knew along w; shorten w if that increases |ℓ_knew|.
    let curv = 0;
    for (let k = 0; k < npt; k++) {
      let t = 0;
      for (let j = 0; j < n; j++) t += xpt[k * n + j] * w[j];
      curv += hcol[k] * t * t;
    }
    if (iflag === 1) curv = -curv;
    if (curv > -gw && curv < -SQRT2_PLUS_1 * gw) {
      const scale = -gw / curv;
      for (let i = 0; i < n; i++) xalt[i] = Math.max(sl[i], Math.min(su[i], xopt[i] + scale * w[i]));
      cauchy = (0.5 * gw * scale) ** 2;
    } else {
      cauchy = (gw + 0.5 * curv) ** 2;
    }
    if (iflag === 0) {
      // Second pass: the same with -glag, keeping the first xalt in w[n..2n).
      for (let i = 0; i < n; i++) {
        glag[i] = -glag[i];
        w[n + i] = xalt[i];
      }
      csave = cauchy;
    }
  }
  if (csave > cauchy) {
    for (let i = 0; i < n; i++) xalt[i] = w[n + i];
    cauchy = csave;
  }
  out.alpha = alpha;
  out.cauchy = cauchy;
}
