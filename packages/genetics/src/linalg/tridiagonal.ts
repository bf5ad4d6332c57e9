// Householder reduction of a dense symmetric matrix to tridiagonal form (LAPACK dsytrd/dlatrd/dsytd2, lower
// variant), working on the lower triangle of a row-major array so that every inner loop runs along a row.
import { kernel4x4, packRows, panelCount, wasmProduct } from "./gemm.js";
import { wasmGemm } from "./wasmGemm.js";
import { symvWorkspace, type SymvWorkspace } from "./wasmSymv.js";

/** The result of {@link tridiagonalise}: T = Qᵀ A Q with Q = H_0 H_1 ⋯ H_{n-3}, H_k = I − τ_k v_k v_kᵀ. */
export interface Tridiagonal {
  n: number;
  /** Diagonal of T. */
  d: Float64Array;
  /** Off-diagonal of T: e[i] = T[i, i+1]; e[n-1] = 0. */
  e: Float64Array;
  /** Scalar factors τ_k of the reflectors. */
  tau: Float64Array;
  /**
   * The reflector vectors: v_k has v_k[k+1] = 1 and v_k[r] = A[r * n + k] for r ≥ k+2 (stored below the
   * subdiagonal of the working array, which this object keeps).
   */
  a: Float64Array;
}

/**
 * Reduces the symmetric matrix `A` (row-major n × n; only the lower triangle is read) to tridiagonal form.
 * `A` is overwritten (it then holds the reflectors).
 *
 * @example
 * ```ts
 * const t = tridiagonalise(Float64Array.of(2, 1, 1, 2), 2); // t.d = [2, 2], t.e = [1, 0]
 * ```
 */
export function tridiagonalise(A: Float64Array, n: number): Tridiagonal {
  const d = new Float64Array(n);
  const e = new Float64Array(n);
  const tau = new Float64Array(n);
  // With the SIMD kernel, the reduction runs on a copy in the kernel's memory (copied back at the end).
  const ws = n > 2 * NB && wasmGemm() ? symvWorkspace(n, 2 * NB) : undefined; // useWasmGemm(false) turns both off
  const work = ws ? ws.A : A;
  if (ws) ws.A.set(A.subarray(0, n * n));
  const from = reduceBlocked(work, n, d, e, tau, ws);
  reduceUnblocked(work, n, d, e, tau, from);
  if (ws) A.set(ws.A);
  return { n, d, e, tau, a: A };
}

// dsytd2 from column `from` on (the trailing matrix is up to date there).
function reduceUnblocked(A: Float64Array, n: number, d: Float64Array, e: Float64Array, tau: Float64Array, from: number): void {
  const v = new Float64Array(n);
  const p = new Float64Array(n);
  for (let k = from; k < n - 2; k++) {
    const k1 = k + 1;
    // Reflector for x = A[k+1.., k] (dlarfg).
    const alpha = A[k1 * n + k];
    let xnorm2 = 0;
    for (let r = k + 2; r < n; r++) {
      const x = A[r * n + k];
      xnorm2 += x * x;
    }
    d[k] = A[k * n + k];
    if (xnorm2 === 0) {
      e[k] = alpha;
      tau[k] = 0;
      continue;
    }
    const beta = -Math.sign(alpha || 1) * Math.sqrt(alpha * alpha + xnorm2);
    const t = (beta - alpha) / beta;
    const scale = 1 / (alpha - beta);
    tau[k] = t;
    e[k] = beta;
    v[k1] = 1;
    for (let r = k + 2; r < n; r++) {
      const x = A[r * n + k] * scale;
      A[r * n + k] = x;
      v[r] = x;
    }
    // p = τ S v over the trailing lower triangle S = A[k+1.., k+1..].
    for (let r = k1; r < n; r++) p[r] = 0;
    for (let r = k1; r < n; r++) {
      const off = r * n;
      const vr = v[r];
      let acc = 0;
      for (let c = k1; c < r; c++) {
        const a = A[off + c];
        acc += a * v[c];
        p[c] += a * vr;
      }
      p[r] += acc + A[off + r] * vr;
    }
    let pv = 0;
    for (let r = k1; r < n; r++) {
      p[r] *= t;
      pv += p[r] * v[r];
    }
    // w = p − (τ/2)(pᵀv) v, then S −= v wᵀ + w vᵀ.
    const half = -0.5 * t * pv;
    for (let r = k1; r < n; r++) p[r] += half * v[r];
    for (let r = k1; r < n; r++) {
      const off = r * n;
      const vr = v[r], wr = p[r];
      for (let c = k1; c <= r; c++) A[off + c] -= vr * p[c] + wr * v[c];
    }
  }
  if (n >= 2) {
    d[n - 2] = A[(n - 2) * n + n - 2];
    e[n - 2] = A[(n - 1) * n + n - 2];
  }
  if (n >= 1) d[n - 1] = A[(n - 1) * n + n - 1];
  e[n - 1] = 0;
}

const NB = 32;

/**
 * dsytrd's blocked part (dlatrd panels of NB columns, then one rank-2·NB update of the trailing matrix as a
 * matrix product): half the work moves from memory-bound rank-2 updates into the GEMM kernel.
 * Returns the first column left for the unblocked code.
 */
function reduceBlocked(A: Float64Array, n: number, d: Float64Array, e: Float64Array, tau: Float64Array, ws: SymvWorkspace | undefined): number {
  let i = 0;
  const p = ws ? ws.p : new Float64Array(n);
  const vec = ws ? ws.v : new Float64Array(n);
  // With the SIMD kernel the panel lives in its memory in two layouts (wasmPanel.ts); the kernels take the
  // rows in pairs and the loops below finish an odd row, with the same numbers either way.
  const kernels = ws?.panel;
  const wv = kernels ? kernels.wv : new Float64Array(NB), vv = kernels ? kernels.vv : new Float64Array(NB);
  const ldc = kernels ? kernels.ldc : 0;
  while (n - i > 2 * NB) {
    const rows = n - i;
    // V and W of the panel: rows i..n-1, NB columns, row-major (and column-major as Vc, Wc for the kernels).
    const V = kernels ? kernels.V.fill(0, 0, rows * NB) : new Float64Array(rows * NB);
    const W = kernels ? kernels.W.fill(0, 0, rows * NB) : new Float64Array(rows * NB);
    const Vc = kernels?.Vc.fill(0), Wc = kernels?.Wc.fill(0);
    for (let j = 0; j < NB; j++) {
      const c = i + j;
      // Bring column c (rows ≥ c) up to date with the panel's earlier reflectors (two rows per pass: two
      // independent sums, each in the one-row order).
      const co = (c - i) * NB;
      let r = c;
      if (kernels && j > 0) {
        const pairs = (n - c) >> 1;
        kernels.columnUpdate(c, c - i, j, pairs);
        r += 2 * pairs;
      }
      for (; r + 1 < n; r += 2) {
        const ro = (r - i) * NB, ro2 = ro + NB;
        let s = 0, s2 = 0;
        for (let q = 0; q < j; q++) {
          const wc = W[co + q], vc = V[co + q];
          s += V[ro + q] * wc + W[ro + q] * vc;
          s2 += V[ro2 + q] * wc + W[ro2 + q] * vc;
        }
        A[r * n + c] -= s;
        A[(r + 1) * n + c] -= s2;
      }
      for (; r < n; r++) {
        const ro = (r - i) * NB;
        let s = 0;
        for (let q = 0; q < j; q++) s += V[ro + q] * W[co + q] + W[ro + q] * V[co + q];
        A[r * n + c] -= s;
      }
      d[c] = A[c * n + c];
      const alpha = A[(c + 1) * n + c];
      let xnorm2 = 0;
      for (let r = c + 2; r < n; r++) { const x = A[r * n + c]; xnorm2 += x * x; }
      if (xnorm2 === 0) {
        e[c] = alpha;
        tau[c] = 0;
        continue; // V and W columns stay zero
      }
      const beta = -Math.sign(alpha || 1) * Math.sqrt(alpha * alpha + xnorm2);
      const t = (beta - alpha) / beta;
      const scale = 1 / (alpha - beta);
      tau[c] = t;
      e[c] = beta;
      V[(c + 1 - i) * NB + j] = 1;
      vec[c + 1] = 1;
      for (let r = c + 2; r < n; r++) { const x = A[r * n + c] * scale; A[r * n + c] = x; V[(r - i) * NB + j] = x; vec[r] = x; }
      if (Vc) Vc.set(vec.subarray(c + 1, n), j * ldc + c + 1 - i);
      // p = A_trail v, A_trail = A[c+1.., c+1..] as last updated (lower triangle, read only).
      const c1 = c + 1;
      for (let r = c1; r < n; r++) p[r] = 0;
      if (ws) ws.product(c1);
      else symmetricProduct(A, n, c1, vec, p);
      // Corrections for the panel's updates not yet applied: p −= V (Wᵀv) + W (Vᵀv).
      let pv = 0;
      let r2 = c1;
      if (kernels) {
        const pairs = (n - c1) >> 1;
        if (j > 0) kernels.transposedProducts(c1 - i, n - c1, j);
        pv = kernels.correctedProduct(c1, c1 - i, pairs, j, t, pv);
        r2 += 2 * pairs;
      } else {
        for (let q = 0; q < j; q++) { wv[q] = 0; vv[q] = 0; }
        for (let r = c1; r < n; r++) {
          const ro = (r - i) * NB, vr = V[ro + j];
          for (let q = 0; q < j; q++) { wv[q] += W[ro + q] * vr; vv[q] += V[ro + q] * vr; }
        }
      }
      for (; r2 + 1 < n; r2 += 2) {
        const ro = (r2 - i) * NB, ro2 = ro + NB;
        let s = p[r2], s2 = p[r2 + 1];
        for (let q = 0; q < j; q++) {
          const a = wv[q], b = vv[q];
          s -= V[ro + q] * a + W[ro + q] * b;
          s2 -= V[ro2 + q] * a + W[ro2 + q] * b;
        }
        s *= t;
        s2 *= t;
        p[r2] = s;
        p[r2 + 1] = s2;
        pv += s * V[ro + j];
        pv += s2 * V[ro2 + j];
      }
      for (; r2 < n; r2++) {
        const ro = (r2 - i) * NB;
        let s = p[r2];
        for (let q = 0; q < j; q++) s -= V[ro + q] * wv[q] + W[ro + q] * vv[q];
        s *= t;
        p[r2] = s;
        pv += s * V[ro + j];
      }
      const half = -0.5 * t * pv;
      for (let r = c1; r < n; r++) {
        const ro = (r - i) * NB, w = p[r] + half * V[ro + j];
        W[ro + j] = w;
        if (Wc) Wc[j * ldc + r - i] = w;
      }
    }
    // Trailing update A[r, c] −= V_r·W_c + W_r·V_c for i+NB ≤ c ≤ r, as one product with inner size 2·NB.
    const t0 = i + NB, s = n - t0;
    const X = new Float64Array(s * 2 * NB), Y = new Float64Array(s * 2 * NB);
    for (let r = 0; r < s; r++) {
      const src = (r + NB) * NB, dst = r * 2 * NB;
      for (let q = 0; q < NB; q++) {
        X[dst + q] = -V[src + q]; X[dst + NB + q] = -W[src + q];
        Y[dst + q] = W[src + q]; Y[dst + NB + q] = V[src + q];
      }
    }
    if (ws) lowerUpdate(ws, X, Y, s, 2 * NB, t0 * n + t0);
    else lowerProduct(X, Y, s, 2 * NB, A, t0 * n + t0, n);
    i += NB;
  }
  return i;
}

// p[c1..n) += S v for the trailing block S = A[c1.., c1..], lower triangle (the JavaScript path of wasmSymv.ts).
function symmetricProduct(A: Float64Array, n: number, c1: number, vec: Float64Array, p: Float64Array): void {
  for (let r = c1; r < n; r++) {
    const off = r * n, vr = vec[r];
    let acc0 = 0, acc1 = 0;
    let q = c1;
    // Two accumulators: the sum is latency-bound otherwise.
    for (; q + 1 < r; q += 2) {
      const a0 = A[off + q], a1 = A[off + q + 1];
      acc0 += a0 * vec[q];
      acc1 += a1 * vec[q + 1];
      p[q] += a0 * vr;
      p[q + 1] += a1 * vr;
    }
    if (q < r) { const a = A[off + q]; acc0 += a * vec[q]; p[q] += a * vr; }
    p[r] += acc0 + acc1 + A[off + r] * vr;
  }
}

// lowerProduct into the workspace's matrix with its own kernels (no scratch copy back and forth).
function lowerUpdate(ws: SymvWorkspace, X: Float64Array, Y: Float64Array, s: number, k: number, off: number): void {
  const np = panelCount(s);
  ws.lowerUpdate(packRows(X, s, k, k, new Float64Array(np * 4 * k)), packRows(Y, s, k, k, new Float64Array(np * 4 * k)), s, k, off);
}

// C[r, c] += Σ_q X[r, q] Y[c, q] for c ≤ r (row panels of four; the upper part of diagonal blocks is
// written too and never read).
function lowerProduct(X: Float64Array, Y: Float64Array, s: number, k: number, C: Float64Array, off: number, ld: number): void {
  const np = panelCount(s);
  const xp = packRows(X, s, k, k, new Float64Array(np * 4 * k));
  const yp = packRows(Y, s, k, k, new Float64Array(np * 4 * k));
  const w = wasmGemm();
  if (w) {
    const mark = w.mark();
    try {
      const xo = w.put(xp), yo = w.put(yp);
      for (let ib = 0; ib < np; ib++) {
        wasmProduct(w, xo + ib * 32 * k, Math.min(4, s - 4 * ib), yo, Math.min(s, 4 * ib + 4), k, C, off + 4 * ib * ld, ld, 1);
      }
    } finally {
      w.reset(mark);
    }
    return;
  }
  for (let ib = 0; ib < np; ib++) {
    const mr = Math.min(4, s - 4 * ib);
    for (let jb = 0; jb <= ib; jb++) kernel4x4(xp, ib * 4 * k, yp, jb * 4 * k, k, C, off + 4 * ib * ld + 4 * jb, ld, 1, mr, Math.min(4, s - 4 * jb));
  }
}
