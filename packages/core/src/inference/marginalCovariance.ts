// The marginal covariance Σ = σ²(I + ZΛΛ'Z') of y at the estimates, and the traces and products
// of it that Kenward–Roger and the exact Satterthwaite derivatives need, in the linear
// parametrisation Σ = Σᵣ ψᵣ Gᵣ (Gᵣ = Z_t Eᵣ Z_t' for a covariance entry of term t, G = I for σ²).
//
// pbkrtest forms n × n matrices. Everything here lives in the space of the q random effects
// instead: with Ω = Λ'Z'ZΛ + I, Z'Σ⁻¹W = (Z'W − Z'ZΛ Ω⁻¹ Λ'Z'W)/σ² for any W, so only
// Z'Z, Z'X, X'X and Z'r are needed, and the cost is O(q³) whatever n. The residual component
// (G = I) is reduced to the others through I = (Σ − Σ_{r≠res} ψᵣGᵣ)/σ², which turns every
// Σ⁻¹IΣ⁻¹ into Σ⁻¹ and Σ⁻¹GᵣΣ⁻¹ terms (likewise for P, since PΣP = P).
import { choleskyInPlaceFast } from "../engine/linalg/cholesky.js";
import type { LinearMixedModel } from "../model/LinearMixedModel.js";
import { designOf } from "../model/state.js";
import { ModelTooLargeError } from "./errors.js";
import { inverseSPD, matMul, symmetrise, transpose } from "../numerics/dense/matrices.js";
import { parameterPositions, termFactors, varianceComponentsAt } from "./varianceParameters.js";
import type { ReMat } from "../engine/ReMat.js";
import type { ThetaLayout } from "../engine/theta.js";

/**
 * Largest number of random effects q for which the dense q × q algebra is run (Kenward–Roger;
 * exact Satterthwaite derivatives): O(q³) time and five q × q matrices; at q = 2000 about 4 s
 * and 160 MB on a 2-core VM. pbkrtest's own limit is n × n, so this reaches much further in n.
 *
 * @example
 * ```ts
 * const ddf = q <= MAX_DENSE_RANDOM_EFFECTS ? "kenward-roger" : "satterthwaite";
 * ```
 */
export const MAX_DENSE_RANDOM_EFFECTS = 2000;

/** One lme4 term's columns in the global random-effects order. */
interface TermGeometry {
  base: number;
  K: number;
  offset: number;
  k: number;
  levels: number;
}

/** Eᵣ as a list of (a, b) unit entries: tr(Eᵣ X Eₛ Y) = Σ X[b, c] Y[d, a] over (a, b) ∈ Eᵣ, (c, d) ∈ Eₛ. */
type UnitPairs = [number, number][];

/** The quantities of Σ at the estimates, all for the linear parametrisation ψ (g = length(θ) + 1). */
export interface MarginalCovariance {
  g: number;
  p: number;
  psi: Float64Array;
  /** Φ = (X'Σ⁻¹X)⁻¹ = Var(β̂), p × p. */
  phi: Float64Array;
  /** PPᵣ = −X'Σ⁻¹GᵣΣ⁻¹X (pbkrtest's P), p × p each. */
  PP: Float64Array[];
  /** QQᵣₛ = X'Σ⁻¹GᵣΣ⁻¹GₛΣ⁻¹X, p × p, for r ≤ s at [r * g + s]. */
  QQ: Float64Array[];
  /** tr(Σ⁻¹GᵣΣ⁻¹Gₛ) (pbkrtest's Ktrace), g × g. */
  K: Float64Array;
  /** tr(Σ⁻¹Gᵣ) and tr(PGᵣ). */
  traceS: Float64Array;
  traceP: Float64Array;
  /** tr(PGᵣPGₛ), g × g. */
  traceP2: Float64Array;
  /** y'PGᵣPy and y'PGᵣPGₛPy (g, g × g). */
  y1: Float64Array;
  y2: Float64Array;
}

/**
 * What the q-space algebra reads of a fit: the random-effects geometry, the estimates, and the
 * cross-products of Z, X and the residual r = y − Xβ̂ (weighted by the prior weights, y net of any
 * offset). An in-memory model sums them over its rows ({@link rowCrossProducts}); a fit from sums
 * reads them off its cells' sums. Nothing else about the rows enters Kenward–Roger.
 */
export interface MarginalInputs {
  reterms: readonly Pick<ReMat, "q" | "k" | "nLevels">[];
  layout: ThetaLayout;
  theta: ArrayLike<number>;
  sigma: number;
  n: number;
  p: number;
  /** Z'Z, dense q × q, row-major. */
  ZtZ: Float64Array;
  /** [Z'X | Z'r], q × (p + 1), row-major. */
  ZtW: Float64Array;
  /** X'X, p × p. */
  XtX: Float64Array;
  /** r'r. */
  rtr: number;
}

/**
 * Computes Σ's traces and products at the model's estimates (dense over the random effects).
 *
 * @throws {@link ModelTooLargeError} when q exceeds {@link MAX_DENSE_RANDOM_EFFECTS}.
 */
export function marginalCovariance(model: LinearMixedModel, method: string): MarginalCovariance {
  checkDenseSize(designOf(model).reterms, method);
  return marginalCovarianceFrom(rowCrossProducts(model));
}

/** Refuses the dense algebra above {@link MAX_DENSE_RANDOM_EFFECTS} random effects. */
export function checkDenseSize(reterms: readonly Pick<ReMat, "q">[], method: string): void {
  const q = reterms.reduce((s, r) => s + r.q, 0);
  if (q > MAX_DENSE_RANDOM_EFFECTS) throw new ModelTooLargeError(method, "q (random effects)", q, MAX_DENSE_RANDOM_EFFECTS);
}

/** The {@link MarginalInputs} of an in-memory model, summed over its rows. */
export function rowCrossProducts(model: LinearMixedModel): MarginalInputs {
  const design = designOf(model);
  const q = design.reterms.reduce((s, r) => s + r.q, 0);
  const n = model.nobs, p = model.beta.length;
  const bases: number[] = [];
  design.reterms.reduce((s, r) => (bases.push(s), s + r.q), 0);
  // Cross products over the observations. With prior weights everything is that of the model
  // premultiplied by W^½ (Σ = σ²(W⁻¹ + ZΛΛ'Z')): Z'WZ, Z'WX, X'WX, r'Wr; y is net of the offset.
  const X = design.X.data, y = model.response, offset = design.offset, beta = model.beta, weights = design.weights;
  const resid = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = offset ? y[i] - offset[i] : y[i];
    for (let j = 0; j < p; j++) s -= X[j * n + i] * beta[j];
    resid[i] = s;
  }
  const w = p + 1; // right-hand sides: [ZtX | Ztr]
  const ZtZ = new Float64Array(q * q), ZtW = new Float64Array(q * w), XtX = new Float64Array(p * p);
  let rtr = 0;
  const cols: number[] = [], vals: number[] = [];
  for (let i = 0; i < n; i++) {
    cols.length = 0;
    vals.length = 0;
    design.reterms.forEach((re, j) => {
      for (let c = 0; c < re.k; c++) {
        cols.push(bases[j] + re.refs[i] * re.k + c);
        vals.push(re.z[i * re.k + c]);
      }
    });
    const wi = weights ? weights[i] : 1;
    for (let a = 0; a < cols.length; a++) {
      const ra = cols[a] * q, va = weights ? wi * vals[a] : vals[a];
      if (va === 0) continue;
      for (let b = 0; b < cols.length; b++) ZtZ[ra + cols[b]] += va * vals[b];
      const wa = cols[a] * w;
      for (let j = 0; j < p; j++) ZtW[wa + j] += va * X[j * n + i];
      ZtW[wa + p] += va * resid[i];
    }
    for (let a = 0; a < p; a++) {
      const xa = weights ? wi * X[a * n + i] : X[a * n + i];
      for (let b = 0; b < p; b++) XtX[a * p + b] += xa * X[b * n + i];
    }
    rtr += weights ? wi * resid[i] * resid[i] : resid[i] * resid[i];
  }
  return { reterms: design.reterms, layout: design.theta, theta: model.theta, sigma: model.sigma, n, p, ZtZ, ZtW, XtX, rtr };
}

/** Σ's traces and products from the cross-products alone (whatever summed them). */
export function marginalCovarianceFrom(inputs: MarginalInputs): MarginalCovariance {
  const { reterms, layout, n, p, ZtZ, ZtW, XtX, rtr } = inputs;
  const q = reterms.reduce((s, r) => s + r.q, 0);
  const pos = parameterPositions(layout);
  const m = pos.length, g = m + 1;
  const s2 = inputs.sigma * inputs.sigma;
  const psi = varianceComponentsAt(layout, inputs.theta, inputs.sigma);

  const bases: number[] = [];
  reterms.reduce((s, r) => (bases.push(s), s + r.q), 0);
  const geometry: TermGeometry[] = layout.terms.map((t) => {
    const j = reterms.indexOf(t.remat);
    return { base: bases[j], K: t.remat.k, offset: t.offset, k: t.k, levels: t.remat.nLevels };
  });
  const units: UnitPairs[] = pos.map(({ row, col }) => (row === col ? [[row, row]] : [[row, col], [col, row]]));
  const index = (t: TermGeometry, level: number, i: number) => t.base + level * t.K + t.offset + i;
  const w = p + 1;

  // Λ (block diagonal, one k × k lower template per level of each ReMat).
  const lambda = new Float64Array(q * q);
  const T = termFactors(layout, inputs.theta);
  layout.terms.forEach((t, ti) => {
    const G = geometry[ti];
    for (let l = 0; l < G.levels; l++) for (let r = 0; r < t.k; r++) for (let c = 0; c <= r; c++) lambda[index(G, l, r) * q + index(G, l, c)] = T[ti][r * t.k + c];
  });
  const lambdaT = transpose(lambda, q, q);
  const ZtZL = matMul(ZtZ, lambda, q, q, q);
  const omega = matMul(lambdaT, ZtZL, q, q, q);
  for (let i = 0; i < q; i++) omega[i * q + i] += 1;
  if (!choleskyInPlaceFast(omega, q)) throw new Error("internal: Λ'Z'ZΛ + I is not positive definite");
  // Y = Ω⁻¹ Λ'[Z'Z | Z'X | Z'r].
  const LtZtW = matMul(lambdaT, ZtW, q, q, w);
  const cw = q + w;
  const Y = matMul(lambdaT, concatColumns(ZtZ, q, q, ZtW, w), q, q, cw);
  solveCholeskyRows(omega, q, Y, cw);
  // Z'V⁻¹[Z | X | r] = Z'[Z | X | r] − Z'ZΛ Y;  X'V⁻¹[X | r] = X'[X | r] − (Λ'Z'X)' Y.
  const corr = matMul(ZtZL, Y, q, q, cw);
  const M = new Float64Array(q * q), B = new Float64Array(q * p), a = new Float64Array(q);
  for (let i = 0; i < q; i++) {
    for (let j = 0; j < q; j++) M[i * q + j] = (ZtZ[i * q + j] - corr[i * cw + j]) / s2;
    for (let j = 0; j < p; j++) B[i * p + j] = (ZtW[i * w + j] - corr[i * cw + q + j]) / s2;
    a[i] = (ZtW[i * w + p] - corr[i * cw + q + p]) / s2;
  }
  symmetrise(M, q);
  const XVX = Float64Array.from(XtX);
  let rVr = rtr;
  for (let i = 0; i < q; i++) {
    for (let c = 0; c < p; c++) for (let d = 0; d < p; d++) XVX[c * p + d] -= LtZtW[i * w + c] * Y[i * cw + q + d];
    rVr -= LtZtW[i * w + p] * Y[i * cw + q + p];
  }
  for (let c = 0; c < p * p; c++) XVX[c] /= s2;
  symmetrise(XVX, p);
  const phi = inverseSPD(XVX, p);
  if (!phi) throw new Error("internal: X'Σ⁻¹X is not positive definite");
  const yPy = rVr / s2;

  // P-versions: Z'PZ = M − BΦB' (a = Z'Py already, since Py = Σ⁻¹(y − Xβ̂)).
  const BPhi = matMul(B, phi, q, p, p);
  const Mp = Float64Array.from(M);
  for (let i = 0; i < q; i++) for (let j = 0; j < q; j++) {
    let s = 0;
    for (let t = 0; t < p; t++) s += BPhi[i * p + t] * B[j * p + t];
    Mp[i * q + j] -= s;
  }

  const trace1 = (S: Float64Array, r: number) => {
    const G = geometry[pos[r].term];
    let s = 0;
    for (let l = 0; l < G.levels; l++) for (const [x, z] of units[r]) s += S[index(G, l, z) * q + index(G, l, x)];
    return s;
  };
  const trace2 = (S: Float64Array, r: number, u: number) => {
    const Gt = geometry[pos[r].term], Gu = geometry[pos[u].term];
    let s = 0;
    for (let al = 0; al < Gt.levels; al++) for (let be = 0; be < Gu.levels; be++) {
      for (const [x, z] of units[r]) for (const [c, d] of units[u]) s += S[index(Gt, al, z) * q + index(Gu, be, c)] * S[index(Gu, be, d) * q + index(Gt, al, x)];
    }
    return s;
  };
  // Eᵣ v for a q-vector or the rows of a q × cols matrix, supported on term t's entries.
  const applyE = (r: number, v: Float64Array, cols: number) => {
    const G = geometry[pos[r].term];
    const out = new Float64Array(q * cols);
    for (let l = 0; l < G.levels; l++) for (const [x, z] of units[r]) {
      const to = index(G, l, x) * cols, from = index(G, l, z) * cols;
      for (let c = 0; c < cols; c++) out[to + c] += v[from + c];
    }
    return out;
  };

  const traceS = new Float64Array(g), traceP = new Float64Array(g), y1 = new Float64Array(g);
  const K = new Float64Array(g * g), traceP2 = new Float64Array(g * g), y2 = new Float64Array(g * g);
  const PP: Float64Array[] = [];
  const QQ: Float64Array[] = new Array(g * g);
  const EB: Float64Array[] = [], MEB: Float64Array[] = [], Ea: Float64Array[] = [], MpEa: Float64Array[] = [];
  for (let r = 0; r < m; r++) {
    traceS[r] = trace1(M, r);
    traceP[r] = trace1(Mp, r);
    EB.push(applyE(r, B, p));
    MEB.push(matMul(M, EB[r], q, q, p));
    Ea.push(applyE(r, a, 1));
    MpEa.push(matMul(Mp, Ea[r], q, q, 1));
    y1[r] = dot(a, Ea[r]);
    PP.push(scale(matMul(transpose(B, q, p), EB[r], p, q, p), -1));
  }
  for (let r = 0; r < m; r++) {
    for (let u = r; u < m; u++) {
      K[r * g + u] = K[u * g + r] = trace2(M, r, u);
      traceP2[r * g + u] = traceP2[u * g + r] = trace2(Mp, r, u);
      y2[r * g + u] = y2[u * g + r] = dot(Ea[r], MpEa[u]);
      QQ[r * g + u] = matMul(transpose(EB[r], q, p), MEB[u], p, q, p);
    }
  }
  // The residual component through I = (Σ − Σᵣ ψᵣ Gᵣ)/σ².
  const R = m;
  const reduce1 = (total: number, v: Float64Array) => (total - sum(m, (s) => psi[s] * v[s])) / s2;
  traceS[R] = reduce1(n, traceS);
  traceP[R] = reduce1(n - p, traceP);
  y1[R] = reduce1(yPy, y1);
  for (const [mat, first] of [[K, traceS], [traceP2, traceP], [y2, y1]] as const) {
    for (let r = 0; r < m; r++) mat[r * g + R] = mat[R * g + r] = (first[r] - sum(m, (s) => psi[s] * mat[r * g + s])) / s2;
    mat[R * g + R] = (first[R] - sum(m, (s) => psi[s] * mat[s * g + R])) / s2;
  }
  const ppR = new Float64Array(p * p);
  for (let c = 0; c < p * p; c++) ppR[c] = (-XVX[c] - sum(m, (s) => psi[s] * PP[s][c])) / s2;
  PP.push(ppR);
  const qqRows = (r: number) => Array.from({ length: m }, (_, s) => (r <= s ? QQ[r * g + s] : transpose(QQ[s * g + r], p, p)));
  for (let r = 0; r < m; r++) {
    const rows = qqRows(r);
    const out = new Float64Array(p * p);
    for (let c = 0; c < p * p; c++) out[c] = (-PP[r][c] - sum(m, (s) => psi[s] * rows[s][c])) / s2;
    QQ[r * g + R] = out;
  }
  const qqRR = new Float64Array(p * p);
  for (let c = 0; c < p * p; c++) qqRR[c] = (-ppR[c] - sum(m, (s) => psi[s] * QQ[s * g + R][c])) / s2;
  QQ[R * g + R] = qqRR;
  return { g, p, psi, phi, PP, QQ, K, traceS, traceP, traceP2, y1, y2 };
}

/** QQᵣₛ for any r, s (stored for r ≤ s). */
export function qqAt(mc: MarginalCovariance, r: number, s: number): Float64Array {
  return r <= s ? mc.QQ[r * mc.g + s] : transpose(mc.QQ[s * mc.g + r], mc.p, mc.p);
}

/**
 * Y := (LL')⁻¹ Y for lower L (q × q) and Y (q × w), both row-major: forward then back
 * substitution a row of Y at a time, so the inner loops run along contiguous rows.
 */
function solveCholeskyRows(L: Float64Array, q: number, Y: Float64Array, w: number): void {
  for (let i = 0; i < q; i++) {
    const yi = i * w;
    for (let t = 0; t < i; t++) {
      const l = L[i * q + t];
      if (l === 0) continue;
      const yt = t * w;
      for (let c = 0; c < w; c++) Y[yi + c] -= l * Y[yt + c];
    }
    const d = L[i * q + i];
    for (let c = 0; c < w; c++) Y[yi + c] /= d;
  }
  for (let i = q - 1; i >= 0; i--) {
    const yi = i * w;
    for (let t = i + 1; t < q; t++) {
      const l = L[t * q + i];
      if (l === 0) continue;
      const yt = t * w;
      for (let c = 0; c < w; c++) Y[yi + c] -= l * Y[yt + c];
    }
    const d = L[i * q + i];
    for (let c = 0; c < w; c++) Y[yi + c] /= d;
  }
}

function concatColumns(a: Float64Array, n: number, ca: number, b: Float64Array, cb: number): Float64Array {
  const w = ca + cb;
  const out = new Float64Array(n * w);
  for (let i = 0; i < n; i++) {
    out.set(a.subarray(i * ca, (i + 1) * ca), i * w);
    out.set(b.subarray(i * cb, (i + 1) * cb), i * w + ca);
  }
  return out;
}

function scale(a: Float64Array, f: number): Float64Array {
  for (let i = 0; i < a.length; i++) a[i] *= f;
  return a;
}

function dot(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}

function sum(m: number, f: (s: number) => number): number {
  let s = 0;
  for (let i = 0; i < m; i++) s += f(i);
  return s;
}
