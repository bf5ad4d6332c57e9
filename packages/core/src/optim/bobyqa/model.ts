import type { Workspace } from "./workspace.js";

/**
 * hs = ∇²Q · s for the current quadratic model, whose Hessian is
 * HQ + Σ_k pq[k] xpt_k xpt_kᵀ (Powell's label 210 in TRSBOX).
 *
 * @internal
 */
export function hessianTimes(ws: Workspace, s: Float64Array, hs: Float64Array): void {
  const { n, npt, hq, pq, xpt } = ws;
  hs.fill(0);
  let ih = 0;
  for (let j = 0; j < n; j++) {
    for (let i = 0; i <= j; i++) {
      if (i < j) hs[j] += hq[ih] * s[i];
      hs[i] += hq[ih] * s[j];
      ih++;
    }
  }
  for (let k = 0; k < npt; k++) {
    const pk = pq[k];
    if (pk !== 0) {
      let t = 0;
      for (let j = 0; j < n; j++) t += xpt[k * n + j] * s[j];
      t *= pk;
      for (let i = 0; i < n; i++) hs[i] += t * xpt[k * n + i];
    }
  }
}

/**
 * gopt += ∇²Q · step, moving the model gradient by `step`. The implicit
 * (pq) part is skipped when `withImplicit` is false, as Powell does right
 * after PRELIM where pq is zero.
 *
 * @internal
 */
export function advanceGradient(ws: Workspace, step: Float64Array, withImplicit: boolean): void {
  const { n, npt, hq, pq, xpt, gopt } = ws;
  let ih = 0;
  for (let j = 0; j < n; j++) {
    for (let i = 0; i <= j; i++) {
      if (i < j) gopt[j] += hq[ih] * step[i];
      gopt[i] += hq[ih] * step[j];
      ih++;
    }
  }
  if (!withImplicit) return;
  for (let k = 0; k < npt; k++) {
    let t = 0;
    for (let j = 0; j < n; j++) t += xpt[k * n + j] * step[j];
    t *= pq[k];
    for (let i = 0; i < n; i++) gopt[i] += t * xpt[k * n + i];
  }
}

/**
 * Predicted change Q(xopt + d) − Q(xopt) of the model; needs w[npt + k] = xpt_k · d
 * (set by {@link lagrangeValues}).
 *
 * @internal
 */
export function predictedChange(ws: Workspace): number {
  const { n, npt, hq, pq, gopt, d, w } = ws;
  let vquad = 0;
  let ih = 0;
  for (let j = 0; j < n; j++) {
    vquad += d[j] * gopt[j];
    for (let i = 0; i <= j; i++) {
      let t = d[i] * d[j];
      if (i === j) t *= 0.5;
      vquad += hq[ih] * t;
      ih++;
    }
  }
  for (let k = 0; k < npt; k++) vquad += 0.5 * pq[k] * (w[npt + k] * w[npt + k]);
  return vquad;
}

/**
 * Values of the Lagrange functions at xopt + d (into `vlag`) and the parameter
 * β of the updating formula (Powell's label 230 in BOBYQB). Leaves
 * w[k] = (xpt_k·d)(½ xpt_k·d + xpt_k·xopt) and w[npt + k] = xpt_k·d.
 *
 * @internal
 */
export function lagrangeValues(ws: Workspace, kopt: number, xoptsq: number): number {
  const { n, npt, nptm, xpt, bmat, zmat, d, xopt, vlag, w } = ws;
  for (let k = 0; k < npt; k++) {
    let suma = 0;
    let sumb = 0;
    let sum = 0;
    for (let j = 0; j < n; j++) {
      const x = xpt[k * n + j];
      suma += x * d[j];
      sumb += x * xopt[j];
      sum += bmat[k * n + j] * d[j];
    }
    w[k] = suma * (0.5 * suma + sumb);
    vlag[k] = sum;
    w[npt + k] = suma;
  }
  let beta = 0;
  for (let jj = 0; jj < nptm; jj++) {
    let sum = 0;
    for (let k = 0; k < npt; k++) sum += zmat[k * nptm + jj] * w[k];
    beta -= sum * sum;
    for (let k = 0; k < npt; k++) vlag[k] += sum * zmat[k * nptm + jj];
  }
  let dsq = 0;
  let bsum = 0;
  let dx = 0;
  for (let j = 0; j < n; j++) {
    dsq += d[j] * d[j];
    let sum = 0;
    for (let k = 0; k < npt; k++) sum += w[k] * bmat[k * n + j];
    bsum += sum * d[j];
    const jp = npt + j;
    for (let i = 0; i < n; i++) sum += bmat[jp * n + i] * d[i];
    vlag[jp] = sum;
    bsum += sum * d[j];
    dx += d[j] * xopt[j];
  }
  beta = dx * dx + dsq * (xoptsq + dx + dx + 0.5 * dsq) + beta - bsum;
  vlag[kopt] += 1;
  return beta;
}

/**
 * Picks the interpolation point to drop for a trust-region step: the k that
 * maximises max(1, (|xpt_k − ref|²/Δ²)²)·(β·H_kk + vlag_k²), skipping `skip`
 * (−1 for none). Returns the index (−1 if none qualifies) and stores the chosen
 * denominator and the comparison quantity in `out`.
 *
 * @internal
 */
export function chooseDroppedPoint(
  ws: Workspace,
  beta: number,
  delta: number,
  ref: Float64Array,
  skip: number,
  out: { denom: number; scaden: number; biglsq: number },
): number {
  const { n, npt, nptm, zmat, xpt, vlag } = ws;
  const delsq = delta * delta;
  let scaden = 0;
  let biglsq = 0;
  let knew = -1;
  for (let k = 0; k < npt; k++) {
    if (k === skip) continue;
    let hdiag = 0;
    for (let jj = 0; jj < nptm; jj++) hdiag += zmat[k * nptm + jj] * zmat[k * nptm + jj];
    const den = beta * hdiag + vlag[k] * vlag[k];
    let distsq = 0;
    for (let j = 0; j < n; j++) {
      const t = xpt[k * n + j] - ref[j];
      distsq += t * t;
    }
    const r = distsq / delsq;
    const weight = Math.max(1, r * r);
    if (weight * den > scaden) {
      scaden = weight * den;
      knew = k;
      out.denom = den;
    }
    biglsq = Math.max(biglsq, weight * (vlag[k] * vlag[k]));
  }
  out.scaden = scaden;
  out.biglsq = biglsq;
  return knew;
}
