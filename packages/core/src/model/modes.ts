import { Dense, UniformBlockDiagonal } from "../engine/linalg/Dense.js";
import { subtractTransposedProduct, type Block } from "../engine/linalg/products.js";
import { backSolveTransposed } from "../numerics/dense/cholesky.js";
import type { BlockedSystem } from "../engine/BlockedSystem.js";
import type { LmmDesign } from "../engine/design.js";
import type { ReMat } from "../engine/ReMat.js";

/**
 * Spherical conditional modes ũ (one Float64Array of length q_j per ReMat) for the factor as it
 * stands and the given β: back-substitution through L' (MixedModels.jl's `ranef!`).
 */
export function sphericalModes(system: BlockedSystem, beta: Float64Array): Float64Array[] {
  const { m, p, L } = system;
  const v: Float64Array[] = [];
  for (let j = 0; j < m; j++) {
    const Lmj = L[m][j] as Dense;
    const q = Lmj.cols;
    const vj = new Float64Array(q);
    for (let c = 0; c < q; c++) {
      let s = Lmj.data[p * q + c];
      for (let r = 0; r < p; r++) s -= beta[r] * Lmj.data[r * q + c];
      vj[c] = s;
    }
    v.push(vj);
  }
  for (let i = m - 1; i >= 0; i--) {
    backSolveBlock(L[i][i], v[i]);
    for (let j = 0; j < i; j++) subtractTransposedProduct(L[i][j], v[i], v[j]);
  }
  return v;
}

/** x := L^{-T} x for a diagonal block of L. */
export function backSolveBlock(block: Block, x: Float64Array): void {
  if (block instanceof UniformBlockDiagonal) {
    const k = block.k;
    for (let l = 0; l < block.blocks; l++) backSolveTransposed(block.data, k, k, l * k * k, x, l * k);
  } else {
    const d = block as Dense;
    backSolveTransposed(d.data, d.rows, d.cols, 0, x);
  }
}

/** b = Λ u per ReMat (Λ: one template per ReMat): the conditional modes on the scale of the data. */
export function scaleModes(reterms: readonly ReMat[], lambda: readonly Float64Array[], u: Float64Array[]): Float64Array[] {
  return reterms.map((re, j) => {
    const k = re.k, T = lambda[j], uj = u[j];
    const b = new Float64Array(uj.length);
    for (let l = 0; l < re.nLevels; l++) {
      for (let r = 0; r < k; r++) {
        let s = 0;
        for (let c = 0; c <= r; c++) s += T[r * k + c] * uj[l * k + c];
        b[l * k + r] = s;
      }
    }
    return b;
  });
}

/** Xβ + Σ Z_j b_j (with b) or Xβ, over the design's rows (offset not included). */
export function linearPredictor(design: LmmDesign, beta: Float64Array, b: Float64Array[] | null): Float64Array {
  const n = design.frame.n, p = design.X.p, X = design.X.data;
  const mu = new Float64Array(n);
  for (let j = 0; j < p; j++) {
    const bj = beta[j];
    for (let i = 0; i < n; i++) mu[i] += X[j * n + i] * bj;
  }
  if (b) {
    design.reterms.forEach((re, j) => {
      const k = re.k, bj = b[j];
      for (let i = 0; i < n; i++) {
        const o = re.refs[i] * k;
        let s = 0;
        for (let c = 0; c < k; c++) s += re.z[i * k + c] * bj[o + c];
        mu[i] += s;
      }
    });
  }
  return mu;
}
