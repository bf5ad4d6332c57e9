// The SNP-independent sums of the likelihood, Σ_i u_i (λ s_i + 1)^-p over the covariate/phenotype products u,
// the traces Σ (λ s_i + 1)^-p and log|H| = Σ log(λ s_i + 1), as Chebyshev interpolants in t = log λ on each
// search region. Each is analytic in t within |Im t| < π (the poles sit at λ s_i = −1), so on a region one
// decade wide 40 nodes give errors near 1e-16 of Σ|u_i| — the size of the rounding in the sums themselves —
// and a likelihood evaluation then costs O(number of SNP products × n) instead of O(all products × n).
import type { LambdaSearch } from "./calcLambda.js";

const NODES = 40;

/** Chebyshev interpolants of the SNP-independent sums over [lMin, lMax]. */
export class SpectralSums {
  /** Number of interpolated functions: 3 powers × npairs, then Σh, Σh², log|H|. */
  readonly nf: number;
  private readonly coef: Float64Array; // [region][function][coefficient]
  private readonly t0: number;
  private readonly step: number;
  private readonly regions: number;
  private readonly lo: number;
  private readonly hi: number;
  private readonly values: Float64Array;
  /** What `values` holds: the sums at lastLambda up to lastPower, and log|H| when lastLogdet. */
  private lastLambda = NaN;
  private lastPower = 0;
  private lastLogdet = false;

  constructor(s: Float64Array, products: Float64Array, private readonly npairs: number, search: LambdaSearch) {
    const n = s.length;
    this.nf = 3 * npairs + 3;
    this.regions = search.nRegion;
    this.t0 = Math.log(search.lMin);
    this.step = Math.log(search.lMax / search.lMin) / search.nRegion;
    this.lo = search.lMin;
    this.hi = search.lMax;
    this.coef = new Float64Array(this.regions * this.nf * NODES);
    this.values = new Float64Array(this.nf);
    const f = new Float64Array(NODES * this.nf);
    const h1 = new Float64Array(n), h2 = new Float64Array(n), h3 = new Float64Array(n);
    for (let r = 0; r < this.regions; r++) {
      const ta = this.t0 + r * this.step;
      for (let k = 0; k < NODES; k++) {
        const t = ta + 0.5 * this.step * (1 + Math.cos((Math.PI * (k + 0.5)) / NODES));
        const l = Math.exp(t);
        let t1 = 0, t2 = 0, ld = 0;
        for (let i = 0; i < n; i++) {
          const d = l * s[i] + 1;
          const h = 1 / d;
          h1[i] = h; h2[i] = h * h; h3[i] = h * h * h;
          t1 += h; t2 += h * h;
          ld += Math.log(Math.abs(d));
        }
        const o = k * this.nf;
        for (let q = 0; q < npairs; q++) {
          let a = 0, b = 0, c = 0;
          const po = q * n;
          for (let i = 0; i < n; i++) { const u = products[po + i]; a += h1[i] * u; b += h2[i] * u; c += h3[i] * u; }
          f[o + q] = a; f[o + npairs + q] = b; f[o + 2 * npairs + q] = c;
        }
        f[o + 3 * npairs] = t1; f[o + 3 * npairs + 1] = t2; f[o + 3 * npairs + 2] = ld;
      }
      // DCT-II to Chebyshev coefficients.
      for (let j = 0; j < this.nf; j++) {
        const co = (r * this.nf + j) * NODES;
        for (let m = 0; m < NODES; m++) {
          let acc = 0;
          for (let k = 0; k < NODES; k++) acc += f[k * this.nf + j] * Math.cos((Math.PI * m * (k + 0.5)) / NODES);
          this.coef[co + m] = ((m === 0 ? 1 : 2) / NODES) * acc;
        }
      }
    }
  }

  /** True when λ lies where the interpolants are valid. */
  covers(lambda: number): boolean {
    return lambda >= this.lo && lambda <= this.hi;
  }

  /**
   * All interpolated values at λ (covered): [Σ h u_q (q < npairs), Σ h² u_q, Σ h³ u_q, Σh, Σh², log|H|].
   * Only the first `power` blocks of pair sums are evaluated; the rest of the array is stale.
   */
  at(lambda: number, power: number, logdet: boolean): Float64Array {
    // The search asks for the same λ again (the criterion at a root its derivative found): the values are there.
    if (lambda === this.lastLambda && power <= this.lastPower && (!logdet || this.lastLogdet)) return this.values;
    if (lambda !== this.lastLambda) { this.lastLambda = lambda; this.lastPower = 0; this.lastLogdet = false; }
    this.lastPower = Math.max(this.lastPower, power);
    this.lastLogdet ||= logdet;
    const t = Math.log(lambda);
    let r = Math.floor((t - this.t0) / this.step);
    if (r < 0) r = 0;
    if (r >= this.regions) r = this.regions - 1;
    const ta = this.t0 + r * this.step;
    const x = (2 * (t - ta)) / this.step - 1;
    const x2 = 2 * x;
    const np = this.npairs;
    const v = this.values;
    const evalAt = (j: number) => {
      const co = (r * this.nf + j) * NODES;
      let b1 = 0, b2 = 0;
      for (let m = NODES - 1; m >= 1; m--) {
        const b0 = this.coef[co + m] + x2 * b1 - b2;
        b2 = b1;
        b1 = b0;
      }
      v[j] = this.coef[co] + x * b1 - b2;
    };
    for (let j = 0; j < power * np; j++) evalAt(j);
    evalAt(3 * np);
    evalAt(3 * np + 1);
    if (logdet) evalAt(3 * np + 2);
    return v;
  }
}
