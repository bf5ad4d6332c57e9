import { ConvergenceError } from "../errors.js";

/**
 * Eigen-decomposition of a symmetric tridiagonal matrix by the implicit QL method (EISPACK tql2, as in JAMA).
 * `d` (diagonal) is overwritten by the eigenvalues in ascending order; `e[i]` = T[i, i+1] is destroyed.
 * `Q` (row-major s × s, leading dimension `ld`, offset `off`) must hold the identity on entry and receives the
 * eigenvectors as columns. Meant for small blocks (the leaves of divide and conquer).
 *
 * @example
 * ```ts
 * const d = Float64Array.of(2, 2), e = Float64Array.of(1, 0), Q = Float64Array.of(1, 0, 0, 1);
 * tql2(d, e, 0, 2, Q, 0, 2); // d = [1, 3]
 * ```
 */
export function tql2(d: Float64Array, e: Float64Array, lo: number, s: number, Q: Float64Array, off: number, ld: number): void {
  const eps = 2 ** -52;
  let f = 0;
  let tst1 = 0;
  e[lo + s - 1] = 0;
  for (let l = 0; l < s; l++) {
    tst1 = Math.max(tst1, Math.abs(d[lo + l]) + Math.abs(e[lo + l]));
    let m = l;
    while (m < s - 1) {
      if (Math.abs(e[lo + m]) <= eps * tst1) break;
      m++;
    }
    if (m > l) {
      let iter = 0;
      do {
        if (++iter > 60) throw new ConvergenceError("tridiagonal QL", lo + l);
        let g = d[lo + l];
        let p = (d[lo + l + 1] - g) / (2 * e[lo + l]);
        let r = Math.hypot(p, 1);
        if (p < 0) r = -r;
        d[lo + l] = e[lo + l] / (p + r);
        d[lo + l + 1] = e[lo + l] * (p + r);
        const dl1 = d[lo + l + 1];
        let h = g - d[lo + l];
        for (let i = l + 2; i < s; i++) d[lo + i] -= h;
        f += h;
        p = d[lo + m];
        let c = 1, c2 = 1, c3 = 1;
        const el1 = e[lo + l + 1];
        let sn = 0, s2 = 0;
        for (let i = m - 1; i >= l; i--) {
          c3 = c2;
          c2 = c;
          s2 = sn;
          g = c * e[lo + i];
          h = c * p;
          r = Math.hypot(p, e[lo + i]);
          e[lo + i + 1] = sn * r;
          sn = e[lo + i] / r;
          c = p / r;
          p = c * d[lo + i] - sn * g;
          d[lo + i + 1] = h + sn * (c * g + sn * d[lo + i]);
          for (let k = 0; k < s; k++) {
            const o = off + k * ld + i;
            const hk = Q[o + 1];
            Q[o + 1] = sn * Q[o] + c * hk;
            Q[o] = c * Q[o] - sn * hk;
          }
        }
        p = (-sn * s2 * c3 * el1 * e[lo + l]) / dl1;
        e[lo + l] = sn * p;
        d[lo + l] = c * p;
      } while (Math.abs(e[lo + l]) > eps * tst1);
    }
    d[lo + l] += f;
    e[lo + l] = 0;
  }
  // Selection sort into ascending order, columns alongside.
  for (let i = 0; i < s - 1; i++) {
    let k = i;
    let p = d[lo + i];
    for (let j = i + 1; j < s; j++) if (d[lo + j] < p) { k = j; p = d[lo + j]; }
    if (k !== i) {
      d[lo + k] = d[lo + i];
      d[lo + i] = p;
      for (let r = 0; r < s; r++) {
        const o = off + r * ld;
        const t = Q[o + i];
        Q[o + i] = Q[o + k];
        Q[o + k] = t;
      }
    }
  }
}
