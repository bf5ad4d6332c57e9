// The LMM log-likelihoods of GEMMA as functions of λ = σ²g/σ²e, and their first two derivatives
// (lmm.cpp LogL_f/LogRL_f, LogL_dev1/LogRL_dev1, LogL_dev2/LogRL_dev2), evaluated on the rotated data.
import { project, projected, type Projected } from "./projections.js";
import type { SpectralSums } from "./spectralSums.js";
import { SnpSumsKernel } from "./wasmSnpSums.js";
import { wasmKernelsEnabled } from "../linalg/wasmGemm.js";

/**
 * Rotated data shared by every SNP: eigenvalues `s` of K, and the rotated covariates and phenotype as
 * `vectors` (V0 = c + 1 rows of length n: covariates first, y last). Products of every pair are precomputed,
 * stored pair-major (`baseProducts[q * n + i]`), because every likelihood evaluation sums them
 * with weights (λ s_i + 1)^-p.
 */
export interface RotatedBase {
  n: number;
  /** Number of covariates c. */
  c: number;
  s: Float64Array;
  /** (c + 1) × n row-major: Uᵀw_0 … Uᵀw_{c-1}, Uᵀy. */
  vectors: Float64Array;
}

/** Everything about one likelihood problem that does not depend on λ. */
export class LambdaObjective {
  readonly n: number;
  readonly c: number;
  /** Number of vectors: c + 1 (null model) or c + 2 (with the SNP, placed at index c). */
  readonly V: number;
  /** Vectors projected out: c (null) or c + 1. */
  readonly levels: number;
  private readonly s: Float64Array;
  // Pairs among covariates and y, as (a, b) indices into the V-vector system.
  private readonly basePairA: Int32Array;
  private readonly basePairB: Int32Array;
  private readonly baseProducts: Float64Array;
  private xProducts: Float64Array;
  /** Identity-weighted pivots (the |WᵀW| part of REML), per level. */
  readonly identityPivots: Float64Array;
  private readonly P: Float64Array;
  private readonly PP: Float64Array;
  private readonly PPP: Float64Array;
  private readonly out: Projected;
  private readonly h1: Float64Array;
  private readonly h2: Float64Array;
  private readonly h3: Float64Array;
  /** The SNP's sums in WebAssembly SIMD (alternative model, where available): the same numbers as snpSums. */
  private readonly snpKernel: SnpSumsKernel | undefined;
  private readonly snpKernelSums: Float64Array;
  /** The SNP set on the kernel whose JavaScript products are not formed yet. */
  private pendingSnp: { x: Float64Array; offset: number; base: RotatedBase } | undefined;
  /** Σ log(λ s_i + 1) cache keyed by λ (the grid ends are asked for every SNP). */
  private readonly logdetCache = new Map<number, number>();

  /** Interpolated SNP-independent sums (optional; used for λ inside their range). */
  spectral: SpectralSums | undefined;

  constructor(base: RotatedBase, withSnp: boolean, baseProducts?: Float64Array) {
    const { n, c } = base;
    this.n = n;
    this.c = c;
    this.s = base.s;
    this.V = withSnp ? c + 2 : c + 1;
    this.levels = withSnp ? c + 1 : c;
    const idx = (k: number) => (withSnp && k === c ? c + 1 : k); // base vector k → system index
    const A: number[] = [], B: number[] = [];
    for (let a = 0; a <= c; a++) for (let b = a; b <= c; b++) { A.push(idx(a)); B.push(idx(b)); }
    this.basePairA = Int32Array.from(A);
    this.basePairB = Int32Array.from(B);
    this.baseProducts = baseProducts ?? baseProductMatrix(base);
    this.xProducts = new Float64Array(withSnp ? n * (c + 2) : 0);
    this.identityPivots = new Float64Array(this.levels);
    this.P = new Float64Array(this.V * this.V);
    this.PP = new Float64Array(this.V * this.V);
    this.PPP = new Float64Array(this.V * this.V);
    this.out = projected(this.levels);
    this.h1 = new Float64Array(n);
    this.h2 = new Float64Array(n);
    this.h3 = new Float64Array(n);
    this.snpKernel = withSnp && wasmKernelsEnabled() ? SnpSumsKernel.create(base.s, c + 2) : undefined;
    this.snpKernel?.setBase(base.vectors);
    this.snpKernelSums = new Float64Array(withSnp ? 3 * (c + 2) : 0);
    if (!withSnp) this.computeIdentityPivots();
  }

  /**
   * Sets the rotated SNP Uᵀx (alternative model only) and recomputes the SNP-dependent products;
   * `identityPivots` may be passed when already known (they are computed otherwise).
   */
  setSnp(x: Float64Array, xOffset: number, base: RotatedBase, identityPivots?: Float64Array): void {
    if (this.snpKernel) {
      // The kernel forms the products in its memory; the JavaScript copy only when a λ outside the
      // interpolated range needs it.
      this.snpKernel.setSnp(x, xOffset);
      this.pendingSnp = { x, offset: xOffset, base };
    } else {
      this.formProducts(x, xOffset, base);
    }
    if (identityPivots) this.identityPivots.set(identityPivots);
    else this.computeIdentityPivots();
  }

  private formProducts(x: Float64Array, xOffset: number, base: RotatedBase): void {
    const { n, c } = this;
    const xp = this.xProducts;
    const vec = base.vectors;
    for (let j = 0; j <= c; j++) {
      const o = (j === c ? c + 1 : j) * n, vo = j * n;
      for (let i = 0; i < n; i++) xp[o + i] = x[xOffset + i] * vec[vo + i];
    }
    const o = c * n;
    for (let i = 0; i < n; i++) { const xi = x[xOffset + i]; xp[o + i] = xi * xi; }
    this.pendingSnp = undefined;
  }

  private computeIdentityPivots(): void {
    this.fill(NaN, 1, false);
    project(this.P, this.PP, this.PPP, this.V, this.levels, 1, this.out);
    this.identityPivots.set(this.out.pivot);
  }

  /**
   * Level-0 sums with weights h_i^p, h_i = 1/(λ s_i + 1) (λ = NaN: h = 1), p ≤ power; returns [Σh, Σh²].
   * Products are stored pair-major so that each sum is a plain dot product with register accumulators.
   */
  private fill(lambda: number, power: number, traces: boolean): [number, number] {
    const { n, c, V } = this;
    const s = this.s;
    const h1 = this.h1, h2 = this.h2, h3 = this.h3;
    const nb = this.basePairA.length;
    const mats = [this.P, this.PP, this.PPP];
    const hasX = this.xProducts.length > 0;
    const sp = this.spectral;
    if (sp && hasX && sp.covers(lambda)) {
      // Covariate/phenotype sums from the interpolants, SNP sums directly.
      const v = sp.at(lambda, power, false);
      for (let p = 0; p < power; p++) {
        const M = mats[p];
        for (let q = 0; q < nb; q++) M[this.basePairA[q] * V + this.basePairB[q]] = v[p * nb + q];
      }
      const t1 = v[3 * nb], t2 = v[3 * nb + 1];
      if (this.snpKernel) this.kernelSums(lambda, power, mats);
      else snpSums(this.xProducts, n, c, V, lambda, s, power, mats);
      return [t1, t2];
    }
    let t1 = 0, t2 = 0;
    if (Number.isNaN(lambda)) {
      h1.fill(1); h2.fill(1); h3.fill(1);
      t1 = n; t2 = n;
    } else {
      for (let i = 0; i < n; i++) {
        const h = 1 / (lambda * s[i] + 1);
        const hh = h * h;
        h1[i] = h; h2[i] = hh; h3[i] = hh * h;
        t1 += h; t2 += hh;
      }
    }
    const bp = this.baseProducts;
    for (let q = 0; q < nb; q++) {
      const at = this.basePairA[q] * V + this.basePairB[q];
      dots(bp, q * n, n, power, h1, h2, h3, mats, at);
    }
    if (hasX) {
      if (this.pendingSnp) this.formProducts(this.pendingSnp.x, this.pendingSnp.offset, this.pendingSnp.base);
      const xp = this.xProducts;
      for (let j = 0; j < c; j++) dots(xp, j * n, n, power, h1, h2, h3, mats, j * V + c);
      dots(xp, c * n, n, power, h1, h2, h3, mats, c * V + c);
      dots(xp, (c + 1) * n, n, power, h1, h2, h3, mats, c * V + c + 1);
    }
    return traces ? [t1, t2] : [NaN, NaN];
  }

  // snpSums through the SIMD kernel, entries placed as snpSums places them.
  private kernelSums(lambda: number, power: number, mats: Float64Array[]): void {
    const { c, V } = this;
    const sums = this.snpKernelSums, np = c + 2;
    this.snpKernel!.run(lambda, power, sums);
    for (let p = 0; p < power; p++) {
      const M = mats[p], o = p * np;
      for (let j = 0; j < c; j++) M[j * V + c] = sums[o + j];
      M[c * V + c] = sums[o + c];
      M[c * V + c + 1] = sums[o + c + 1];
    }
  }

  /** Σ log(λ s_i + 1), cached for repeated λ. */
  logdet(lambda: number): number {
    if (this.spectral && this.spectral.covers(lambda)) return this.spectral.at(lambda, 0, true)[this.spectral.nf - 1];
    const hit = this.logdetCache.get(lambda);
    if (hit !== undefined) return hit;
    let d = 0;
    for (let i = 0; i < this.n; i++) d += Math.log(Math.abs(lambda * this.s[i] + 1));
    if (this.logdetCache.size > 64) this.logdetCache.clear();
    this.logdetCache.set(lambda, d);
    return d;
  }

  /** Projected quantities at λ with weights up to `power` (shared by all criteria below). */
  evaluate(lambda: number, power: number): { proj: Projected; traceHi: number; traceHiHi: number } {
    const [t1, t2] = this.fill(lambda, power, true);
    project(this.P, this.PP, this.PPP, this.V, this.levels, power, this.out);
    return { proj: this.out, traceHi: t1, traceHiHi: t2 };
  }

  /**
   * Entries after projecting out the covariates only (GEMMA's level n_cvt) with weights at λ: the SNP's
   * P_xx, P_xy, the phenotype's P_yy, and P_yy after also projecting out the SNP. Alternative model only.
   */
  covariateLevel(lambda: number): { Pxx: number; Pxy: number; Pyy: number; Pxyy: number } {
    const { c, V } = this;
    this.fill(lambda, 1, false);
    project(this.P, this.PP, this.PPP, V, c, 1, this.out);
    const Pxx = this.P[c * V + c], Pxy = this.P[c * V + c + 1], Pyy = this.P[(c + 1) * V + c + 1];
    const Pxyy = Pxx !== 0 ? Pyy - (Pxy * Pxy) / Pxx : Pyy;
    return { Pxx, Pxy, Pyy, Pxyy };
  }

  /** Log-likelihood (ML), GEMMA LogL_f. */
  logL(lambda: number): number {
    const { proj } = this.evaluate(lambda, 1);
    return likelihoodL(this.n, this.logdet(lambda), proj.yy);
  }

  /** Restricted log-likelihood (REML), GEMMA LogRL_f. */
  logRL(lambda: number): number {
    const { proj } = this.evaluate(lambda, 1);
    return likelihoodRL(this.n, this.levels, this.logdet(lambda), proj, this.identityPivots);
  }

  /** First derivative in λ of logL (`reml` false) or logRL. */
  dev1(reml: boolean, lambda: number): number {
    const e = this.evaluate(lambda, 2);
    return derivatives(this.n, this.levels, reml, lambda, e.proj, e.traceHi, e.traceHiHi, false)[0];
  }

  /** First and second derivatives in λ. */
  dev12(reml: boolean, lambda: number): [number, number] {
    const e = this.evaluate(lambda, 3);
    return derivatives(this.n, this.levels, reml, lambda, e.proj, e.traceHi, e.traceHiHi, true);
  }
}

/** Products of every pair (a ≤ b) of the base vectors, pair-major: [q * n + i]. */
export function baseProductMatrix(base: RotatedBase): Float64Array {
  const { n, c, vectors } = base;
  const np = ((c + 1) * (c + 2)) / 2;
  const out = new Float64Array(n * np);
  let q = 0;
  for (let a = 0; a <= c; a++) {
    for (let b = a; b <= c; b++, q++) {
      for (let i = 0; i < n; i++) out[q * n + i] = vectors[a * n + i] * vectors[b * n + i];
    }
  }
  return out;
}

// Σ h^p u over one product vector, for p = 1..power, stored at entry `at` of each matrix.
function dots(
  u: Float64Array, off: number, n: number, power: number,
  h1: Float64Array, h2: Float64Array, h3: Float64Array, mats: Float64Array[], at: number,
): void {
  if (power === 1) {
    let a = 0;
    for (let i = 0; i < n; i++) a += h1[i] * u[off + i];
    mats[0][at] = a;
  } else if (power === 2) {
    let a = 0, b = 0;
    for (let i = 0; i < n; i++) { const v = u[off + i]; a += h1[i] * v; b += h2[i] * v; }
    mats[0][at] = a; mats[1][at] = b;
  } else {
    let a = 0, b = 0, d = 0;
    for (let i = 0; i < n; i++) { const v = u[off + i]; a += h1[i] * v; b += h2[i] * v; d += h3[i] * v; }
    mats[0][at] = a; mats[1][at] = b; mats[2][at] = d;
  }
}

/** GEMMA LogL_f from P_yy at the top level. */
export function likelihoodL(n: number, logdetH: number, Pyy: number): number {
  const c = 0.5 * n * (Math.log(n) - Math.log(2 * Math.PI) - 1);
  return c - 0.5 * logdetH - 0.5 * n * Math.log(Pyy);
}

/** GEMMA LogRL_f: REML log-likelihood, with |WᵀH⁻¹W| − |WᵀW| from the pivots and P_yy floored at 1e-8. */
export function likelihoodRL(n: number, levels: number, logdetH: number, proj: Projected, identityPivots: Float64Array): number {
  const df = n - levels;
  let logdetHiw = 0;
  for (let i = 0; i < levels; i++) logdetHiw += Math.log(proj.pivot[i]) - Math.log(identityPivots[i]);
  const Pyy = proj.yy < 1e-8 ? 1e-8 : proj.yy;
  const c = 0.5 * df * (Math.log(df) - Math.log(2 * Math.PI) - 1);
  return c - 0.5 * logdetH - 0.5 * logdetHiw - 0.5 * df * Math.log(Pyy);
}

/** GEMMA LogL_dev1/2 (ML) and LogRL_dev1/2 (REML). */
export function derivatives(
  n: number, levels: number, reml: boolean, l: number, proj: Projected, traceHi: number, traceHiHi: number, second: boolean,
): [number, number] {
  const Pyy = proj.yy, PPyy = proj.yy2;
  const yPKPy = (Pyy - PPyy) / l;
  if (!reml) {
    const dev1 = -0.5 * ((n - traceHi) / l) + (0.5 * n * yPKPy) / Pyy;
    if (!second) return [dev1, NaN];
    const traceHiKHiK = (n + traceHiHi - 2 * traceHi) / (l * l);
    const yPKPKPy = (Pyy + proj.yy3 - 2 * PPyy) / (l * l);
    const dev2 = 0.5 * traceHiKHiK - (0.5 * n * (2 * yPKPKPy * Pyy - yPKPy * yPKPy)) / (Pyy * Pyy);
    return [dev1, dev2];
  }
  const df = n - levels;
  let traceP = traceHi;
  let tracePP = traceHiHi;
  for (let i = 0; i < levels; i++) {
    const pw = proj.pivot[i], p2w = proj.pivot2[i];
    traceP -= p2w / pw;
    if (second) tracePP += (p2w * p2w) / (pw * pw) - (2 * proj.pivot3[i]) / pw;
  }
  const dev1 = -0.5 * ((df - traceP) / l) + (0.5 * df * yPKPy) / Pyy;
  if (!second) return [dev1, NaN];
  const tracePKPK = (df + tracePP - 2 * traceP) / (l * l);
  const yPKPKPy = (Pyy + proj.yy3 - 2 * PPyy) / (l * l);
  const dev2 = 0.5 * tracePKPK - (0.5 * df * (2 * yPKPKPy * Pyy - yPKPy * yPKPy)) / (Pyy * Pyy);
  return [dev1, dev2];
}


// The SNP's sums Σ h^p (x∘v), p ≤ power, for its c + 2 product vectors (covariates, x∘x, x∘y), two vectors per
// pass with h = 1/(λ s_i + 1) computed on the fly and register accumulators (about twice as fast as going
// through stored weight vectors).
function snpSums(xp: Float64Array, n: number, c: number, V: number, lambda: number, s: Float64Array, power: number, mats: Float64Array[]): void {
  const np = c + 2;
  const at = (j: number) => (j < c ? j * V + c : j === c ? c * V + c : c * V + c + 1);
  const [M1, M2, M3] = mats;
  if (np === 3) return snpSums3(xp, n, lambda, s, power, M1, M2, M3, at(0), at(1), at(2));
  for (let q = 0; q < np; q += 2) {
    const o = q * n;
    if (q + 1 < np) {
      const o2 = o + n;
      if (power === 1) {
        let a1 = 0, b1 = 0;
        for (let i = 0; i < n; i++) { const h = 1 / (lambda * s[i] + 1); a1 += h * xp[o + i]; b1 += h * xp[o2 + i]; }
        M1[at(q)] = a1; M1[at(q + 1)] = b1;
      } else if (power === 2) {
        let a1 = 0, a2 = 0, b1 = 0, b2 = 0;
        for (let i = 0; i < n; i++) {
          const h = 1 / (lambda * s[i] + 1), hh = h * h, u = xp[o + i], v = xp[o2 + i];
          a1 += h * u; a2 += hh * u; b1 += h * v; b2 += hh * v;
        }
        M1[at(q)] = a1; M2[at(q)] = a2; M1[at(q + 1)] = b1; M2[at(q + 1)] = b2;
      } else {
        let a1 = 0, a2 = 0, a3 = 0, b1 = 0, b2 = 0, b3 = 0;
        for (let i = 0; i < n; i++) {
          const h = 1 / (lambda * s[i] + 1), hh = h * h, hhh = hh * h, u = xp[o + i], v = xp[o2 + i];
          a1 += h * u; a2 += hh * u; a3 += hhh * u; b1 += h * v; b2 += hh * v; b3 += hhh * v;
        }
        M1[at(q)] = a1; M2[at(q)] = a2; M3[at(q)] = a3; M1[at(q + 1)] = b1; M2[at(q + 1)] = b2; M3[at(q + 1)] = b3;
      }
    } else {
      let a1 = 0, a2 = 0, a3 = 0;
      for (let i = 0; i < n; i++) {
        const h = 1 / (lambda * s[i] + 1), hh = h * h, u = xp[o + i];
        a1 += h * u; a2 += hh * u; a3 += hh * h * u;
      }
      M1[at(q)] = a1;
      if (power >= 2) M2[at(q)] = a2;
      if (power >= 3) M3[at(q)] = a3;
    }
  }
}

// snpSums for one covariate (c = 1, the intercept alone: GEMMA's default): the three product vectors in one
// pass, one division per individual instead of two. Each sum still runs in index order, so the result is the
// same to the last bit.
function snpSums3(
  xp: Float64Array, n: number, lambda: number, s: Float64Array, power: number,
  M1: Float64Array, M2: Float64Array, M3: Float64Array, at0: number, at1: number, at2: number,
): void {
  const o1 = n, o2 = 2 * n;
  if (power === 1) {
    let a1 = 0, b1 = 0, d1 = 0;
    for (let i = 0; i < n; i++) { const h = 1 / (lambda * s[i] + 1); a1 += h * xp[i]; b1 += h * xp[o1 + i]; d1 += h * xp[o2 + i]; }
    M1[at0] = a1; M1[at1] = b1; M1[at2] = d1;
  } else if (power === 2) {
    let a1 = 0, a2 = 0, b1 = 0, b2 = 0, d1 = 0, d2 = 0;
    for (let i = 0; i < n; i++) {
      const h = 1 / (lambda * s[i] + 1), hh = h * h, u = xp[i], v = xp[o1 + i], w = xp[o2 + i];
      a1 += h * u; a2 += hh * u; b1 += h * v; b2 += hh * v; d1 += h * w; d2 += hh * w;
    }
    M1[at0] = a1; M2[at0] = a2; M1[at1] = b1; M2[at1] = b2; M1[at2] = d1; M2[at2] = d2;
  } else {
    let a1 = 0, a2 = 0, a3 = 0, b1 = 0, b2 = 0, b3 = 0, d1 = 0, d2 = 0, d3 = 0;
    for (let i = 0; i < n; i++) {
      const h = 1 / (lambda * s[i] + 1), hh = h * h, hhh = hh * h, u = xp[i], v = xp[o1 + i], w = xp[o2 + i];
      a1 += h * u; a2 += hh * u; a3 += hhh * u; b1 += h * v; b2 += hh * v; b3 += hhh * v; d1 += h * w; d2 += hh * w; d3 += hhh * w;
    }
    M1[at0] = a1; M2[at0] = a2; M3[at0] = a3; M1[at1] = b1; M2[at1] = b2; M3[at1] = b3; M1[at2] = d1; M2[at2] = d2; M3[at2] = d3;
  }
}
