// The per-block work of the LMM scan as a pure function of serialisable inputs (typed arrays and numbers),
// so that blocks can run in any worker: rotate the SNPs by Uᵀ, evaluate every SNP at the λ values that
// are the same for all SNPs (GEMMA's grid, the null λs, identity weights) with two matrix products, and
// finish each SNP with GEMMA's Brent/Newton search.
import { gemmPacked, KC, packRows, panelCount, wasmProduct } from "../linalg/gemm.js";
import { WasmGemm } from "../linalg/wasmGemm.js";
import { lambdaGrid, type LambdaSearch } from "./calcLambda.js";
import { LambdaObjective, baseProductMatrix, derivatives, likelihoodL, likelihoodRL, type RotatedBase } from "./objective.js";
import { project, projected } from "./projections.js";
import { SpectralSums } from "./spectralSums.js";
import { exactSnpTests, type GridValues } from "./snpTests.js";
import type { NullModel } from "./nullModel.js";
import { pchisqUpper, pfUpper } from "@lmm/core/numerics";

/**
 * A SNP whose dosages, after projecting out the covariates, keep less than this share of their sum of
 * squares is collinear with the covariates: its tests are undefined (NaN), not p = 1.
 */
const COLLINEAR = 1e-9;

/** Coordinates per tile when the rotated block is read out of the product (TILE rows of it stay in L1). */
const TILE = 16;

/** Everything a block of the scan needs besides the genotypes; sent once to each worker. */
export interface ScanSetup {
  n: number;
  /** Number of covariates (columns of W, intercept included). */
  c: number;
  /** Eigenvalues of K, those below 1e-10 set to 0 (as GEMMA). */
  eigenvalues: Float64Array;
  /** Uᵀ, row-major: row j is eigenvector j. */
  eigenvectors: Float64Array;
  /** (c + 1) × n: UᵀW columns, then Uᵀy. */
  rotatedBase: Float64Array;
  lambdaMl: number;
  lambdaReml: number;
  logLikMl: number;
  search: LambdaSearch;
  mode: "exact" | "approximate";
}

/** A block of SNPs: `count` × n mean-imputed A1 dosages, SNP-major, analysed individuals only. */
export interface SnpBlock {
  dosages: Float64Array;
  count: number;
}

/** Results for a block, one entry per SNP, in GEMMA's `-lmm 4` quantities. */
export interface SnpBlockResult {
  beta: Float64Array;
  se: Float64Array;
  logLikH1: Float64Array;
  lambdaReml: Float64Array;
  lambdaMl: Float64Array;
  pWald: Float64Array;
  pLrt: Float64Array;
  pScore: Float64Array;
}

/**
 * Prepared state for scanning blocks with one {@link ScanSetup}: packed eigenvectors, weight vectors and the
 * SNP-independent sums. Create once per worker, then call {@link ScanKernel.run} per block.
 *
 * @example
 * ```ts
 * const kernel = new ScanKernel(setup);
 * const out = kernel.run({ dosages, count }); // out.pWald[k] for SNP k of the block
 * ```
 */
export class ScanKernel {
  private readonly base: RotatedBase;
  private readonly utPacked: Float64Array;
  private readonly grid: Float64Array;
  /** Weight vectors ω: grid × (power 1, power 2) in exact mode, then λ_ML0, λ_REML0, identity. */
  private readonly omegaCount: number;
  private readonly iMl: number;
  private readonly iReml: number;
  private readonly iId: number;
  private readonly hvPacked: Float64Array;
  private readonly hPacked: Float64Array;
  private readonly baseSums: Float64Array;
  private readonly traces: Float64Array;
  private readonly obj: LambdaObjective;
  private readonly nb: number;
  private readonly logdetEnds: [number, number];
  private readonly logdetMl: number;
  private readonly nullLike: Pick<NullModel, "lambdaMl" | "logLikMl">;
  /** This kernel's own SIMD instance, holding Uᵀ and the weight vectors resident (undefined: JS kernels). */
  private readonly wasm: WasmGemm | undefined;
  private readonly wasmOff: { ut: number; hv: number; h: number } | undefined;
  /** The block's rotated SNPs (SNP-major), reused between blocks on the SIMD path. */
  private xBuffer = new Float64Array(0);

  constructor(private readonly setup: ScanSetup) {
    const { n, c, eigenvalues: s } = setup;
    this.base = { n, c, s, vectors: setup.rotatedBase };
    this.utPacked = packRows(setup.eigenvectors, n, n, n, new Float64Array(panelCount(n) * 4 * n));
    this.grid = lambdaGrid(setup.search);
    const G = this.grid.length;
    const exact = setup.mode === "exact";
    const lambdas: number[] = [], powers: number[] = [];
    if (exact) for (let g = 0; g < G; g++) { lambdas.push(this.grid[g], this.grid[g]); powers.push(1, 2); }
    this.iMl = lambdas.length; lambdas.push(setup.lambdaMl); powers.push(1);
    this.iReml = lambdas.length; lambdas.push(setup.lambdaReml); powers.push(1);
    this.iId = lambdas.length; lambdas.push(NaN); powers.push(1);
    const W = lambdas.length;
    this.omegaCount = W;
    const H = new Float64Array(W * n);
    const HV = new Float64Array(W * (c + 1) * n);
    const traces = new Float64Array(W);
    for (let w = 0; w < W; w++) {
      const l = lambdas[w], p = powers[w];
      let t = 0;
      for (let i = 0; i < n; i++) {
        const h = Number.isNaN(l) ? 1 : 1 / (l * s[i] + 1);
        const v = p === 1 ? h : h * h;
        H[w * n + i] = v;
        t += v;
      }
      traces[w] = t;
      for (let v = 0; v <= c; v++) {
        const o = (w * (c + 1) + v) * n;
        for (let i = 0; i < n; i++) HV[o + i] = H[w * n + i] * setup.rotatedBase[v * n + i];
      }
    }
    this.traces = traces;
    this.hPacked = packRows(H, W, n, n, new Float64Array(panelCount(W) * 4 * n));
    this.hvPacked = packRows(HV, W * (c + 1), n, n, new Float64Array(panelCount(W * (c + 1)) * 4 * n));
    const products = baseProductMatrix(this.base);
    const nb = ((c + 1) * (c + 2)) / 2;
    this.nb = nb;
    const baseSums = new Float64Array(W * nb);
    for (let w = 0; w < W; w++) {
      for (let q = 0; q < nb; q++) {
        let a = 0;
        for (let i = 0; i < n; i++) a += H[w * n + i] * products[q * n + i];
        baseSums[w * nb + q] = a;
      }
    }
    this.baseSums = baseSums;
    this.obj = new LambdaObjective(this.base, true, products);
    this.obj.spectral = new SpectralSums(s, products, nb, setup.search);
    this.logdetEnds = [this.obj.logdet(this.grid[0]), this.obj.logdet(this.grid[G - 1])];
    this.logdetMl = this.obj.logdet(setup.lambdaMl);
    this.nullLike = { lambdaMl: setup.lambdaMl, logLikMl: setup.logLikMl };
    this.wasm = WasmGemm.create();
    this.wasmOff = this.wasm && { ut: this.wasm.put(this.utPacked), hv: this.wasm.put(this.hvPacked), h: this.wasm.put(this.hPacked) };
  }

  /** Rotates a block of SNPs: returns Uᵀx for each, SNP-major (count × n). */
  rotate(block: SnpBlock): Float64Array {
    const { n } = this.setup;
    const xp = packRows(block.dosages, block.count, n, n, new Float64Array(panelCount(block.count) * 4 * n));
    const out = new Float64Array(block.count * n);
    this.product("ut", this.utPacked, n, xp, block.count, n, out, 0, 1, n);
    return out;
  }

  // C += A Bᵀ with A one of the resident operands.
  private product(which: "ut" | "hv" | "h", A: Float64Array, m: number, Bp: Float64Array, nb: number, k: number, C: Float64Array, cOff: number, rs: number, cs: number): void {
    const w = this.wasm;
    if (!w || !this.wasmOff) return gemmPacked(A, m, Bp, nb, k, C, cOff, rs, cs);
    const mark = w.mark();
    try {
      wasmProduct(w, this.wasmOff[which], m, w.put(Bp), nb, k, C, cOff, rs, cs);
    } finally {
      w.reset(mark);
    }
  }

  /**
   * The block's rotated SNPs X = Uᵀx (SNP-major) and the weighted sums Sxv = Σ ω x v (per SNP, ω, base
   * vector) and Sxx = Σ ω x² (per SNP, ω).
   */
  private rotatedSums(block: SnpBlock): { X: Float64Array; Sxv: Float64Array; Sxx: Float64Array } {
    const { n, c } = this.setup;
    const count = block.count, W = this.omegaCount, ncv = W * (c + 1);
    const Sxv = new Float64Array(count * ncv), Sxx = new Float64Array(count * W);
    if (this.wasm && this.wasmOff) return { X: this.rotateResident(this.wasm, this.wasmOff, block, Sxv, Sxx), Sxv, Sxx };
    const X = this.rotate(block);
    const X2 = new Float64Array(X.length);
    for (let i = 0; i < X.length; i++) X2[i] = X[i] * X[i];
    const xp = packRows(X, count, n, n, new Float64Array(panelCount(count) * 4 * n));
    const x2p = packRows(X2, count, n, n, new Float64Array(panelCount(count) * 4 * n));
    this.product("hv", this.hvPacked, ncv, xp, count, n, Sxv, 0, 1, ncv);
    this.product("h", this.hPacked, W, x2p, count, n, Sxx, 0, 1, W);
    return { X, Sxv, Sxx };
  }

  // rotatedSums on the SIMD kernel with every operand in its memory: the dosages packed there, Uᵀx read once
  // from the product into X (a buffer reused between blocks) and into the x and x² panels of the two small
  // products — the numbers of rotate → square → pack, without the copies.
  private rotateResident(w: WasmGemm, at: { ut: number; hv: number; h: number }, block: SnpBlock, Sxv: Float64Array, Sxx: Float64Array): Float64Array {
    const { n, c } = this.setup;
    const count = block.count, np = panelCount(count), W = this.omegaCount, ncv = W * (c + 1);
    if (this.xBuffer.length < count * n) this.xBuffer = new Float64Array(count * n);
    const X = this.xBuffer;
    const mark = w.mark();
    try {
      const panelSize = np * 4 * n;
      const bo = w.reserve(panelSize); // packRows writes every entry, padding included
      packRows(block.dosages, count, n, n, w.view(bo, panelSize));
      const ldc = 4 * np, mp = panelCount(n);
      const co = w.zeros(mp * 4 * ldc);
      for (let p0 = 0; p0 < n; p0 += KC) w.run(at.ut + p0 * 32, bo + p0 * 32, 4 * n, 4 * n, Math.min(KC, n - p0), co, mp, np);
      const xo = w.reserve(panelSize), x2o = w.reserve(panelSize); // written whole below
      const D = w.view(co, mp * 4 * ldc), xp = w.view(xo, panelSize), x2p = w.view(x2o, panelSize);
      readRotated(D, ldc, n, count, np, X, xp, x2p);
      wasmProduct(w, at.hv, ncv, xo, count, n, Sxv, 0, 1, ncv);
      wasmProduct(w, at.h, W, x2o, count, n, Sxx, 0, 1, W);
    } finally {
      w.reset(mark);
    }
    return X;
  }

  /** Runs GEMMA's tests on every SNP of the block. */
  run(block: SnpBlock): SnpBlockResult {
    const { n, c } = this.setup;
    const count = block.count;
    const W = this.omegaCount;
    const ncv = W * (c + 1);
    const { X, Sxv, Sxx } = this.rotatedSums(block);
    const out: SnpBlockResult = {
      beta: new Float64Array(count), se: new Float64Array(count), logLikH1: new Float64Array(count),
      lambdaReml: new Float64Array(count), lambdaMl: new Float64Array(count),
      pWald: new Float64Array(count), pLrt: new Float64Array(count), pScore: new Float64Array(count),
    };
    const V = c + 2;
    const P = new Float64Array(V * V), PP = new Float64Array(V * V), PPP = new Float64Array(V * V);
    const proj = projected(c + 1);
    const G = this.grid.length;
    const remlDev1 = new Float64Array(G), mlDev1 = new Float64Array(G);
    const idPivots = new Float64Array(c + 1);
    for (let j = 0; j < count; j++) {
      const assemble = (M: Float64Array, w: number) => {
        const bo = w * this.nb;
        let q = 0;
        for (let a = 0; a <= c; a++) {
          const A = a === c ? c + 1 : a;
          for (let b = a; b <= c; b++, q++) M[A * V + (b === c ? c + 1 : b)] = this.baseSums[bo + q];
        }
        const so = j * ncv + w * (c + 1);
        for (let a = 0; a < c; a++) M[a * V + c] = Sxv[so + a];
        M[c * V + c] = Sxx[j * W + w];
        M[c * V + c + 1] = Sxv[so + c];
      };
      assemble(P, this.iId);
      project(P, PP, PPP, V, c + 1, 1, proj);
      idPivots.set(proj.pivot);
      if (!(idPivots[c] > COLLINEAR * Sxx[j * W + this.iId])) {
        // The SNP's dosages are (numerically) a combination of the covariates: no test is defined.
        out.beta[j] = out.se[j] = out.logLikH1[j] = out.lambdaReml[j] = out.lambdaMl[j] = NaN;
        out.pWald[j] = out.pLrt[j] = out.pScore[j] = NaN;
        continue;
      }
      let r;
      if (this.setup.mode === "approximate") {
        r = this.approximate(P, PP, PPP, proj, assemble, V);
      } else {
        let ends: [number, number] = [NaN, NaN], mlEnds: [number, number] = [NaN, NaN];
        for (let g = 0; g < G; g++) {
          assemble(P, 2 * g);
          assemble(PP, 2 * g + 1);
          project(P, PP, PPP, V, c + 1, 2, proj);
          const t1 = this.traces[2 * g], t2 = this.traces[2 * g + 1];
          remlDev1[g] = derivatives(n, c + 1, true, this.grid[g], proj, t1, t2, false)[0];
          mlDev1[g] = derivatives(n, c + 1, false, this.grid[g], proj, t1, t2, false)[0];
          if (g === 0 || g === G - 1) {
            const ld = this.logdetEnds[g === 0 ? 0 : 1];
            const k = g === 0 ? 0 : 1;
            ends[k] = likelihoodRL(n, c + 1, ld, proj, idPivots);
            mlEnds[k] = likelihoodL(n, ld, proj.yy);
          }
        }
        const grid: GridValues = { remlDev1, mlDev1, remlEnds: ends, mlEnds };
        this.obj.setSnp(X, j * n, this.base, idPivots);
        r = exactSnpTests(this.obj, this.nullLike, grid, this.setup.search);
      }
      out.beta[j] = r.beta; out.se[j] = r.se; out.logLikH1[j] = r.logLikH1;
      out.lambdaReml[j] = r.lambdaReml; out.lambdaMl[j] = r.lambdaMl;
      out.pWald[j] = r.pWald; out.pLrt[j] = r.pLrt; out.pScore[j] = r.pScore;
    }
    return out;
  }

  // EMMAX/P3D: everything from the bulk sums at the null λs.
  private approximate(
    P: Float64Array, PP: Float64Array, PPP: Float64Array, proj: ReturnType<typeof projected>,
    assemble: (M: Float64Array, w: number) => void, V: number,
  ) {
    const { n, c } = this.setup;
    const df = n - c - 1;
    const level = (w: number) => {
      assemble(P, w);
      project(P, PP, PPP, V, c, 1, proj);
      const Pxx = P[c * V + c], Pxy = P[c * V + c + 1], Pyy = P[(c + 1) * V + c + 1];
      return { Pxx, Pxy, Pyy, Pxyy: Pxx !== 0 ? Pyy - (Pxy * Pxy) / Pxx : Pyy };
    };
    const sc = level(this.iMl);
    const pScore = pfUpper((n * sc.Pxy * sc.Pxy) / (sc.Pyy * sc.Pxx), 1, df);
    const logLikH1 = likelihoodL(n, this.logdetMl, sc.Pxyy);
    const pLrt = pchisqUpper(2 * (logLikH1 - this.setup.logLikMl), 1);
    const w = level(this.iReml);
    const tau = df / w.Pxyy;
    return {
      beta: w.Pxy / w.Pxx, se: Math.sqrt(1 / (tau * w.Pxx)), logLikH1,
      lambdaReml: this.setup.lambdaReml, lambdaMl: this.setup.lambdaMl,
      pWald: pfUpper((w.Pyy - w.Pxyy) * tau, 1, df), pLrt, pScore,
    };
  }
}

/**
 * Scans one block with a fresh kernel: the pure-function form for worker pools.
 *
 * @example
 * ```ts
 * const res = scanBlock(setup, { dosages, count });
 * ```
 */
export function scanBlock(setup: ScanSetup, block: SnpBlock): SnpBlockResult {
  return new ScanKernel(setup).run(block);
}

// D[i, j] = coordinate i of SNP j (C starts at zero, so C += D is D itself; padded SNPs give +0) into X (SNP-major)
// and the x, x² panels. Tiles of TILE coordinates: their rows of D stay in cache while X and the panels are
// written in order.
function readRotated(D: Float64Array, ldc: number, n: number, count: number, np: number, X: Float64Array, xp: Float64Array, x2p: Float64Array): void {
  for (let i0 = 0; i0 < n; i0 += TILE) {
    const i1 = Math.min(n, i0 + TILE);
    for (let j = 0; j < count; j++) {
      const xo = j * n;
      for (let i = i0, d = i0 * ldc + j; i < i1; i++, d += ldc) X[xo + i] = D[d];
    }
    for (let b = 0; b < np; b++) {
      for (let i = i0, o = b * 4 * n + 4 * i0, e = i0 * ldc + 4 * b; i < i1; i++, o += 4, e += ldc) {
        const x0 = D[e], x1 = D[e + 1], x2 = D[e + 2], x3 = D[e + 3];
        xp[o] = x0; xp[o + 1] = x1; xp[o + 2] = x2; xp[o + 3] = x3;
        x2p[o] = x0 * x0; x2p[o + 1] = x1 * x1; x2p[o + 2] = x2 * x2; x2p[o + 3] = x3 * x3;
      }
    }
  }
}
