import type { Workspace } from "./workspace.js";

/**
 * Powell's UPDATE: revises BMAT and ZMAT (the factored inverse H of the
 * interpolation system) when interpolation point `knew` is replaced by a new
 * point whose Lagrange values are in `vlag` (length ndim, first npt entries and
 * last n entries of H·w, equation (4.11) of Powell's 2006 NEWUOA paper).
 * `beta` and `denom` are the parameters of the updating formula. `w` is scratch
 * of length ≥ ndim. `vlag[knew]` is decremented by one on return, as in Powell's code.
 *
 * @internal
 */
export function updateInverse(ws: Workspace, beta: number, denom: number, knew: number): void {
  const { n, npt, nptm, bmat, zmat, vlag, w } = ws;
  let ztest = 0;
  for (let i = 0; i < npt * nptm; i++) ztest = Math.max(ztest, Math.abs(zmat[i]));
  ztest *= 1e-20;

  // Givens rotations that put zeros in row knew of ZMAT, except in its first column.
  const rk = knew * nptm;
  for (let j = 1; j < nptm; j++) {
    const zkj = zmat[rk + j];
    if (Math.abs(zkj) > ztest) {
      const zk1 = zmat[rk];
      const r = Math.sqrt(zk1 * zk1 + zkj * zkj);
      const c = zk1 / r;
      const s = zkj / r;
      for (let i = 0; i < npt; i++) {
        const a = zmat[i * nptm];
        const b = zmat[i * nptm + j];
        zmat[i * nptm] = c * a + s * b;
        zmat[i * nptm + j] = c * b - s * a;
      }
    }
    zmat[rk + j] = 0;
  }

  // First npt components of column knew of H, and the parameters of the update.
  const zk1 = zmat[rk];
  for (let i = 0; i < npt; i++) w[i] = zk1 * zmat[i * nptm];
  const alpha = w[knew];
  const tau = vlag[knew];
  vlag[knew] -= 1;

  const sqrtDenom = Math.sqrt(denom);
  const tb = zk1 / sqrtDenom;
  const ta = tau / sqrtDenom;
  for (let i = 0; i < npt; i++) zmat[i * nptm] = ta * zmat[i * nptm] - tb * vlag[i];

  // BMAT, keeping its trailing n × n block symmetric.
  for (let j = 0; j < n; j++) {
    const jp = npt + j;
    w[jp] = bmat[knew * n + j];
    const a = (alpha * vlag[jp] - tau * w[jp]) / denom;
    const b = (-beta * w[jp] - tau * vlag[jp]) / denom;
    for (let i = 0; i <= jp; i++) {
      bmat[i * n + j] = bmat[i * n + j] + a * vlag[i] + b * w[i];
      if (i >= npt) bmat[jp * n + (i - npt)] = bmat[i * n + j];
    }
  }
}
