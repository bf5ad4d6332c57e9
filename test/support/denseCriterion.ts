// An independent, dense implementation of lme4's profiled criterion, for checking the blocked
// fitter on designs without an lme4 reference: with V = Z Λ Λ' Z' + I (relative to σ²),
//   ML:   d = log|V| + n (1 + log(2π r²/n)),            r² = (y − Xβ̂)' V⁻¹ (y − Xβ̂)
//   REML: d = log|V| + log|X'V⁻¹X| + (n−p)(1 + log(2π r²/(n−p)))
// (the matrix determinant lemma turns lme4's log|L|² into log|V|). O(n³): small n only.
import type { LinearMixedModel } from "@lmm/core";

function cholesky(a: Float64Array, n: number): number {
  let logdet = 0;
  for (let j = 0; j < n; j++) {
    let s = a[j * n + j];
    for (let k = 0; k < j; k++) s -= a[j * n + k] ** 2;
    const d = Math.sqrt(s);
    logdet += 2 * Math.log(d);
    a[j * n + j] = d;
    for (let i = j + 1; i < n; i++) {
      let t = a[i * n + j];
      for (let k = 0; k < j; k++) t -= a[i * n + k] * a[j * n + k];
      a[i * n + j] = t / d;
    }
  }
  return logdet;
}

function solveInPlace(l: Float64Array, n: number, b: Float64Array): void {
  for (let i = 0; i < n; i++) {
    let s = b[i];
    for (let k = 0; k < i; k++) s -= l[i * n + k] * b[k];
    b[i] = s / l[i * n + i];
  }
  for (let i = n - 1; i >= 0; i--) {
    let s = b[i];
    for (let k = i + 1; k < n; k++) s -= l[k * n + i] * b[k];
    b[i] = s / l[i * n + i];
  }
}

/** The criterion of a fitted model's design at θ, computed densely from Z, Λ, X and y. */
export function denseCriterion(model: LinearMixedModel, theta: ArrayLike<number>, reml = model.reml): number {
  const { structure } = model;
  const y = model.response;
  const n = y.length;
  const { data: X, p } = structure.fixedMatrix();
  const lambda = structure.covarianceFactors(theta);
  // V = I + Σ_j Z_j Λ_j Λ_j' Z_j' : for obs i, l with the same level of factor j, add z_i' T T' z_l.
  const V = new Float64Array(n * n);
  for (let i = 0; i < n; i++) V[i * n + i] = 1;
  for (const [j, factor] of structure.groupingFactors().entries()) {
    const re = { k: factor.columns.length, z: factor.z, refs: factor.codes };
    const k = re.k, T = lambda[j];
    const w = new Float64Array(n * k); // w_i = T' z_i
    for (let i = 0; i < n; i++) for (let c = 0; c < k; c++) {
      let s = 0;
      for (let r = c; r < k; r++) s += T[r * k + c] * re.z[i * k + r];
      w[i * k + c] = s;
    }
    for (let i = 0; i < n; i++) for (let l = 0; l <= i; l++) {
      if (re.refs[i] !== re.refs[l]) continue;
      let s = 0;
      for (let c = 0; c < k; c++) s += w[i * k + c] * w[l * k + c];
      V[i * n + l] += s;
      if (l !== i) V[l * n + i] += s;
    }
  }
  const logdetV = cholesky(V, n);
  // V⁻¹X and V⁻¹y by solves; then β̂ from X'V⁻¹X.
  const VinvX = new Float64Array(n * p);
  for (let j = 0; j < p; j++) {
    const col = X.slice(j * n, (j + 1) * n);
    solveInPlace(V, n, col);
    VinvX.set(col, j * n);
  }
  const Vinvy = Float64Array.from(y);
  solveInPlace(V, n, Vinvy);
  const XtVX = new Float64Array(p * p), XtVy = new Float64Array(p);
  for (let a = 0; a < p; a++) {
    for (let b = 0; b < p; b++) {
      let s = 0;
      for (let i = 0; i < n; i++) s += X[a * n + i] * VinvX[b * n + i];
      XtVX[a * p + b] = s;
    }
    let s = 0;
    for (let i = 0; i < n; i++) s += X[a * n + i] * Vinvy[i];
    XtVy[a] = s;
  }
  const logdetXVX = cholesky(XtVX, p);
  const beta = Float64Array.from(XtVy);
  solveInPlace(XtVX, p, beta);
  let r2 = 0;
  for (let i = 0; i < n; i++) r2 += y[i] * Vinvy[i];
  for (let a = 0; a < p; a++) r2 -= beta[a] * XtVy[a];
  const dof = reml ? n - p : n;
  return logdetV + (reml ? logdetXVX : 0) + dof * (1 + Math.log((2 * Math.PI * r2) / dof));
}
