// Kenward–Roger (1997) as pbkrtest 0.5 computes it: the adjusted covariance Φ_A of β̂
// (`vcovAdj`), the denominator df of a contrast (`Lb_ddf`) and the scaled F test (`KRmodcomp`).
// pbkrtest works with n × n matrices; the same quantities come here from the q-space algebra of
// marginalCovariance.ts (exactly the same formulas, a different route to Σ⁻¹).
import type { LinearMixedModel } from "../model/LinearMixedModel.js";
import { pfUpper } from "../numerics/distributions.js";
import { inverse, matMul, pseudoInverseSymmetric, symmetricEigen, traceProduct, transpose } from "../numerics/dense/matrices.js";
import { RemlRequiredError, ContrastError } from "./errors.js";
import { marginalCovariance, qqAt, type MarginalCovariance } from "./marginalCovariance.js";

/**
 * pbkrtest's `vcovAdj`: Φ_A with the pieces `Lb_ddf` needs (its attributes P and W).
 *
 * @example
 * ```ts
 * const { phiA }: KenwardRogerAdjustment = kenwardRogerAdjustment(model);
 * ```
 */
export interface KenwardRogerAdjustment {
  /** Unadjusted Var(β̂) (lme4's `vcov`), p × p. */
  phi: Float64Array;
  /** Kenward–Roger adjusted Var(β̂), p × p. */
  phiA: Float64Array;
  /** −X'Σ⁻¹GᵣΣ⁻¹X per variance component (pbkrtest's P). */
  P: Float64Array[];
  /** 2 × the inverse expected information of the variance components (pbkrtest's W). */
  W: Float64Array;
  /** Smallest |eigenvalue| of the information (below 1e-10 a generalised inverse is used). */
  condition: number;
  p: number;
}

const cache = new WeakMap<LinearMixedModel, KenwardRogerAdjustment>();

/**
 * Kenward–Roger adjusted covariance of the fixed effects (pbkrtest's `vcovAdj`), cached per model.
 *
 * @throws {@link RemlRequiredError} for ML fits (pbkrtest refits them by REML; lmerTest refuses).
 * @throws {@link ModelTooLargeError} above the dense random-effects limit.
 *
 * @example
 * ```ts
 * const { phiA, p } = kenwardRogerAdjustment(model);
 * Math.sqrt(phiA[0]); // adjusted standard error of the intercept
 * ```
 */
export function kenwardRogerAdjustment(model: LinearMixedModel): KenwardRogerAdjustment {
  const hit = cache.get(model);
  if (hit) return hit;
  if (!model.reml) throw new RemlRequiredError("Kenward-Roger");
  const out = kenwardRogerFrom(marginalCovariance(model, "Kenward-Roger"), model.vcov());
  cache.set(model, out);
  return out;
}

/**
 * pbkrtest's `vcovAdj` from Σ's traces and products and the unadjusted Var(β̂): the algebra of
 * {@link kenwardRogerAdjustment}, for any fit that supplies them (an in-memory model, or a fit from
 * sums through `marginalCovarianceFrom`).
 *
 * @example
 * ```ts
 * const { phiA } = kenwardRogerFrom(marginalCovarianceFrom(inputs), vcov);
 * ```
 */
export function kenwardRogerFrom(mc: MarginalCovariance, phi: Float64Array): KenwardRogerAdjustment {
  const { g, p, PP } = mc;
  const phiP = PP.map((P) => matMul(phi, P, p, p, p));
  const IE2 = new Float64Array(g * g);
  for (let i = 0; i < g; i++) {
    for (let j = i; j < g; j++) {
      const QQ = qqAt(mc, i, j);
      let s = 0;
      for (let c = 0; c < p * p; c++) s += phi[c] * QQ[c];
      IE2[i * g + j] = IE2[j * g + i] = mc.K[i * g + j] - 2 * s + traceProduct(phiP[i], phiP[j], p);
    }
  }
  const condition = Math.min(...Array.from(symmetricEigen(IE2, g).values, Math.abs));
  const W = (condition > 1e-10 ? inverse(IE2, g) : null) ?? pseudoInverseSymmetric(IE2, g);
  for (let c = 0; c < g * g; c++) W[c] *= 2;
  const UU = new Float64Array(p * p);
  const term = (i: number, j: number) => {
    const PiPhiPj = matMul(matMul(PP[i], phi, p, p, p), PP[j], p, p, p);
    const QQ = qqAt(mc, i, j);
    return QQ.map((v, c) => v - PiPhiPj[c]);
  };
  for (let i = 0; i < g - 1; i++) for (let j = i + 1; j < g; j++) {
    const t = term(i, j);
    for (let c = 0; c < p * p; c++) UU[c] += W[i * g + j] * t[c];
  }
  const UUt = transpose(UU, p, p);
  for (let c = 0; c < p * p; c++) UU[c] += UUt[c];
  for (let i = 0; i < g; i++) {
    const t = term(i, i);
    for (let c = 0; c < p * p; c++) UU[c] += W[i * g + i] * t[c];
  }
  const gamma = matMul(matMul(phi, UU, p, p, p), phi, p, p, p);
  const phiA = phi.map((v, c) => v + 2 * gamma[c]);
  return { phi, phiA, P: PP, W, condition, p };
}

/**
 * The Kenward–Roger F test of H₀: Lβ = 0 (pbkrtest's `.KR_adjust`); for one row, a t test.
 *
 * @example
 * ```ts
 * const { denDf, F, scaling }: KenwardRogerTest = kenwardRogerTest(kenwardRogerAdjustment(model), L, 1, model.beta);
 * ```
 */
export interface KenwardRogerTest {
  /** Numerator df (rank of L). */
  numDf: number;
  /** Denominator df. */
  denDf: number;
  /** The scaled F statistic (pbkrtest's `Ftest`). */
  F: number;
  /** The unscaled Wald F with Φ_A (pbkrtest's `FtestU`). */
  unscaledF: number;
  /** F scaling λ. */
  scaling: number;
  pValue: number;
}

/**
 * pbkrtest's `.KR_adjust`: df and scaled F for the hypothesis Lβ = 0 (L rows × p, row-major).
 * `rows` may be 1 (then the df is `Lb_ddf`'s).
 */
export function kenwardRogerTest(adj: KenwardRogerAdjustment, L: Float64Array, rows: number, beta: Float64Array): KenwardRogerTest {
  const { p, phi, phiA } = adj;
  const q = rows;
  const LPhiLt = sandwich(L, phi, rows, p);
  const inv = inverse(LPhiLt, rows);
  if (!inv) throw new ContrastError(-1, "the rows of L are linearly dependent (L Var(β̂) L' is singular)");
  // Θ = L'(LΦL')⁻¹L.
  const theta = matMul(matMul(transpose(L, rows, p), inv, p, rows, rows), L, p, rows, p);
  const thetaPhi = matMul(theta, phi, p, p, p);
  const u = adj.P.map((P) => matMul(matMul(thetaPhi, P, p, p, p), phi, p, p, p));
  const g = adj.P.length;
  let A1 = 0, A2 = 0;
  for (let i = 0; i < g; i++) {
    for (let j = i; j < g; j++) {
      const e = i === j ? 1 : 2;
      const w = adj.W[i * g + j];
      A1 += e * w * trace(u[i], p) * trace(u[j], p);
      A2 += e * w * traceProduct(u[i], u[j], p);
    }
  }
  const B = (A1 + 6 * A2) / (2 * q);
  const gg = ((q + 1) * A1 - (q + 4) * A2) / ((q + 2) * A2);
  const den = 3 * q + 2 * (1 - gg);
  const c1 = gg / den, c2 = (q - gg) / den, c3 = (q + 2 - gg) / den;
  let V0 = 1 + c1 * B;
  const V1 = 1 - c2 * B, V2 = 1 - c3 * B;
  if (Math.abs(V0) < 1e-10) V0 = 0;
  const ratio = Math.abs(1 - A2 / q) < 1e-14 && Math.abs(V1) < 1e-14 ? 1 : (1 - A2 / q) / V1;
  const rho = (1 / q) * ratio * ratio * (V0 / V2);
  const denDf = 4 + (q + 2) / (q * rho - 1);
  const scaling = Math.abs(denDf - 2) < 0.01 ? 1 : (denDf * (1 - A2 / q)) / (denDf - 2);
  const Lb = matMul(L, beta, rows, p, 1);
  const adjInv = inverse(sandwich(L, phiA, rows, p), rows);
  const wald = adjInv ? quad(Lb, adjInv, rows) : NaN;
  const unscaledF = wald / q;
  const F = scaling * unscaledF;
  return { numDf: q, denDf, F, unscaledF, scaling, pValue: pfUpper(F, q, denDf) };
}

/** L A L' for L (rows × p). */
export function sandwich(L: Float64Array, A: Float64Array, rows: number, p: number): Float64Array {
  return matMul(matMul(L, A, rows, p, p), transpose(L, rows, p), rows, p, rows);
}

function trace(a: Float64Array, n: number): number {
  let s = 0;
  for (let i = 0; i < n; i++) s += a[i * n + i];
  return s;
}

function quad(x: Float64Array, A: Float64Array, n: number): number {
  let s = 0;
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) s += x[i] * A[i * n + j] * x[j];
  return s;
}
