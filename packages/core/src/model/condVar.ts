import { Dense, UniformBlockDiagonal } from "../engine/linalg/Dense.js";
import { subtractProduct, type Block } from "../engine/linalg/products.js";
import { forwardSolve } from "../numerics/dense/cholesky.js";
import type { BlockedSystem } from "../engine/BlockedSystem.js";

/**
 * lme4's conditional covariance of the random effects of one level: σ² Λ (Ω_ZZ⁻¹)_ll Λ' (Λ: ReMat j's template at the system's θ), with
 * Ω_ZZ = Λ'Z'ZΛ + I = L_Z L_Z' (β taken as known, as `ranef(condVar = TRUE)` does). Returns, for
 * each requested level, the k × k matrix (row-major) of ReMat `j`.
 *
 * Each level costs one forward solve through the blocks after `j`: cheap for nested designs,
 * a dense triangular solve per level where factors are crossed.
 */
export function conditionalCovariances(system: BlockedSystem, j: number, lambda: Float64Array, sigma2: number, levels: ArrayLike<number>): Float64Array[] {
  const { m, L, reterms } = system;
  const re = reterms[j];
  const k = re.k;
  const w: Float64Array[][] = [];
  for (let c = 0; c < k; c++) w.push(reterms.map((r, i) => new Float64Array(i >= j ? r.q : 0)));
  const inv = new Float64Array(k * k);
  const out: Float64Array[] = [];
  for (let li = 0; li < levels.length; li++) {
    const l = levels[li];
    inv.fill(0);
    for (let c = 0; c < k; c++) {
      const wc = w[c];
      for (let i = j; i < m; i++) wc[i].fill(0);
      wc[j][l * k + c] = 1;
      solveDiagonal(L[j][j], wc[j], l, k);
      for (let i = j + 1; i < m; i++) {
        for (let t = j; t < i; t++) subtractProduct(L[i][t], wc[t], wc[i], t === j ? l : -1);
        solveDiagonal(L[i][i], wc[i], -1, reterms[i].k);
      }
    }
    for (let a = 0; a < k; a++) {
      for (let b = 0; b <= a; b++) {
        let s = 0;
        for (let i = j; i < m; i++) {
          const x = w[a][i], y = w[b][i];
          for (let t = 0; t < x.length; t++) s += x[t] * y[t];
        }
        inv[a * k + b] = s;
        inv[b * k + a] = s;
      }
    }
    out.push(sandwich(lambda, inv, k, sigma2));
  }
  return out;
}

/** x := L_ii⁻¹ x; for a block-diagonal L only the level's block is touched (x is zero elsewhere). */
function solveDiagonal(block: Block, x: Float64Array, level: number, k: number): void {
  if (block instanceof UniformBlockDiagonal) {
    if (level >= 0) forwardSolve(block.data, k, k, level * k * k, x, level * k);
    else for (let l = 0; l < block.blocks; l++) forwardSolve(block.data, k, k, l * k * k, x, l * k);
  } else {
    const d = block as Dense;
    forwardSolve(d.data, d.rows, d.cols, 0, x);
  }
}

/** σ² T M T' for the k × k template T (lower, row-major). */
function sandwich(T: Float64Array, M: Float64Array, k: number, sigma2: number): Float64Array {
  const tm = new Float64Array(k * k);
  for (let r = 0; r < k; r++) for (let c = 0; c < k; c++) {
    let s = 0;
    for (let u = 0; u <= r; u++) s += T[r * k + u] * M[u * k + c];
    tm[r * k + c] = s;
  }
  const out = new Float64Array(k * k);
  for (let r = 0; r < k; r++) for (let c = 0; c < k; c++) {
    let s = 0;
    for (let u = 0; u <= c; u++) s += tm[r * k + u] * T[c * k + u];
    out[r * k + c] = sigma2 * s;
  }
  return out;
}
