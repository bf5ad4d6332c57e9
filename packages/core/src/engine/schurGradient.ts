import { inverseTransposeScalar, inverseTransposeSimd, type InverseTranspose } from "./linalg/triangularInverse.js";
import { simdKernels, type SimdKernels } from "./linalg/wasm/simdKernels.js";
import type { SchurSystem } from "./SchurSystem.js";
import type { ThetaLayout } from "./theta.js";

/**
 * The exact gradient of the profiled criterion over θ, read off the two-block factor L = [D 0; S T]
 * of {@link SchurSystem}, for designs whose every θ scales one set of random effects (scalar terms,
 * and uncorrelated `(x || g)` terms after the first factor): the crossed and nested random
 * intercepts of InstEval, Penicillin, a scanner's site, batch and reader.
 *
 * With Ω = Λ'ÃΛ + I_q over [Z X y] (Ã the cross-products), every leading block B of Ω that holds all
 * of Z has ∂ log det B / ∂θᵢ = (2/θᵢ)(|Jᵢ| − Σ_{j∈Jᵢ} (B⁻¹)_jj), Jᵢ the effects θᵢ scales (because
 * Λ'ÃΛ Eᵢ = (B − I) Eᵢ / θᵢ). The criterion is a combination of three such blocks: A_Z (Z alone),
 * A (Z and X) and Ω, log pwrss = log det Ω − log det A. The diagonals of their inverses come from
 * Z = T⁻ᵀ: (B⁻¹)_jj = Σ_k Z[j][k]² over B's rows k of T for T's rows, and (1 + ‖(T⁻¹s_l)_B‖²)/d_l²
 * for a level l of the first factor (s_l its column of S). Differences between the blocks are sums
 * over the rows of X and of y alone, so nothing cancels. Costs one triangular inversion of T (the
 * flops of its factorisation) and one sparse product with S.
 */
export class SchurGradient {
  /** θ index of each random-effects row of T. */
  private readonly rowTheta: Int32Array;
  /** θ index of the first factor. */
  private readonly firstTheta: number;
  /** |Jᵢ|: the random effects each θ scales. */
  private readonly counts: Float64Array;
  private readonly a: Float64Array;
  private readonly x: Float64Array;
  private readonly y: Float64Array;
  private readonly w: Float64Array;
  private inverse: Float64Array | undefined;

  private constructor(private readonly schur: SchurSystem, layout: ThetaLayout, offsets: number[]) {
    this.rowTheta = new Int32Array(schur.fixedAt).fill(-1);
    this.counts = new Float64Array(layout.length);
    this.a = new Float64Array(layout.length);
    this.x = new Float64Array(layout.length);
    this.y = new Float64Array(layout.length);
    this.w = new Float64Array(schur.size);
    let first = -1;
    for (const t of layout.terms) {
      const re = t.remat;
      if (t.index === 0) {
        first = t.start;
        this.counts[t.start] += re.nLevels;
        continue;
      }
      for (let l = 0; l < re.nLevels; l++) this.rowTheta[offsets[t.index - 1] + l * re.k + t.offset] = t.start;
      this.counts[t.start] += re.nLevels;
    }
    this.firstTheta = first;
  }

  /**
   * The gradient of a fitter's Schur system, or null where θ does not scale sets of effects (a
   * correlated term, a known covariance, a first factor of more than one column).
   */
  static of(schur: SchurSystem, layout: ThetaLayout, offsets: number[]): SchurGradient | null {
    if (!layout.terms.every((t) => t.k === 1 && !t.tied && !t.remat.structure)) return null;
    if (layout.terms.filter((t) => t.index === 0).length !== 1 || layout.terms.find((t) => t.index === 0)!.remat.k !== 1) return null;
    return new SchurGradient(schur, layout, offsets);
  }

  /**
   * ∇θ of lme4's profiled criterion (REML criterion or ML deviance, `dof` = n − p or n) at the θ of
   * the system's last update, into `out`. A θᵢ of 0 has gradient 0 (the criterion is even in it).
   */
  gradient(theta: ArrayLike<number>, reml: boolean, dof: number, out: Float64Array): Float64Array {
    const { schur, a, x, y } = this;
    const n = schur.size, fixedAt = schur.fixedAt, last = n - 1;
    const L = schur.factor;
    if (!L) throw new Error("internal: the Schur system has no factor to differentiate");
    const simd = schur.factorInKernels ? simdKernels() : undefined;
    // With the SIMD kernels, the product w follows Z in their memory.
    const inv = simd ? inverseTransposeSimd(simd, n, 4 + n) : inverseTransposeScalar(L, n, (this.inverse ??= new Float64Array(n * n)));
    const { z, at, stride } = inv;
    a.fill(0);
    x.fill(0);
    y.fill(0);
    for (let r = 0; r < fixedAt; r++) {
      const row = at + r * stride, i = this.rowTheta[r];
      let sa = 0, sx = 0;
      for (let k = r; k < fixedAt; k++) sa += z[row + k] * z[row + k];
      for (let k = fixedAt; k < last; k++) sx += z[row + k] * z[row + k];
      a[i] += sa;
      x[i] += sx;
      y[i] += z[row + last] * z[row + last];
    }
    this.firstLevels(inv, simd);
    for (let i = 0; i < out.length; i++) {
      const t = theta[i];
      out[i] = t === 0 ? 0 : (2 / t) * (this.counts[i] - a[i] - (reml ? x[i] : 0) - dof * y[i]);
    }
    return out;
  }

  /** The first factor's levels: w = T⁻¹s_l from Z's rows, then its sums over Z, X and y rows, over d_l². */
  private firstLevels(inv: InverseTranspose, simd: SimdKernels | undefined): void {
    const { D, S } = this.schur.firstColumns();
    const { colPtr, rowIdx, values } = S;
    const { z, at, stride, free } = inv;
    const n = this.schur.size, fixedAt = this.schur.fixedAt, last = n - 1;
    // In the kernels' memory after Z: four values for the kernel, then w.
    const valuesAt = free, wAt = free + 4;
    const w = simd ? z.subarray(wAt, wAt + n) : this.w;
    let sa = 0, sx = 0, sy = 0;
    for (let l = 0; l < S.blockCols; l++) {
      const start = colPtr[l], end = colPtr[l + 1];
      const d2 = D.data[l] * D.data[l];
      if (start === end) {
        sa += 1 / d2;
        continue;
      }
      const from = rowIdx[start];
      w.fill(0, from, n);
      if (simd) this.productSimd(simd, z, at, stride, rowIdx, values, start, end, valuesAt, wAt, n);
      else
        for (let e = start; e < end; e++) {
          const r = rowIdx[e], v = values[e], row = at + r * stride;
          for (let k = r; k < n; k++) w[k] += v * z[row + k];
        }
      let la = 1, lx = 0;
      for (let k = from; k < fixedAt; k++) la += w[k] * w[k];
      for (let k = Math.max(from, fixedAt); k < last; k++) lx += w[k] * w[k];
      sa += la / d2;
      sx += lx / d2;
      sy += (w[last] * w[last]) / d2;
    }
    const i = this.firstTheta;
    this.a[i] += sa;
    this.x[i] += sx;
    this.y[i] += sy;
  }

  /**
   * w += Σ_e values[e]·Z[row_e] over a column's entries (rows ascending), four rows per kernel call:
   * each row enters from its own diagonal, so a group of four runs the stretches between their
   * starting rows with the rows begun so far (the others with weight 0).
   */
  private productSimd(k: SimdKernels, z: Float64Array, at: number, stride: number, rowIdx: Int32Array, values: Float64Array, start: number, end: number, valuesAt: number, wAt: number, n: number): void {
    // A short last group repeats its last row, with weight 0.
    const rowAt = (e: number, last: number) => (at + rowIdx[Math.min(e, last)] * stride) * 8;
    for (let e = start; e < end; e += 4) {
      const m = Math.min(4, end - e), last = e + m - 1;
      const r0 = rowAt(e, last), r1 = rowAt(e + 1, last), r2 = rowAt(e + 2, last), r3 = rowAt(e + 3, last);
      for (let i = 0; i < m; i++) {
        const lo = rowIdx[e + i], hi = i + 1 < m ? rowIdx[e + i + 1] : n;
        if (lo === hi) continue;
        for (let j = 0; j < 4; j++) z[valuesAt + j] = j <= i ? values[e + j] : 0;
        k.axpy4(r0, r1, r2, r3, valuesAt * 8, wAt * 8, lo, hi);
      }
    }
  }
}
