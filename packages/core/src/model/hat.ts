import { Dense, UniformBlockDiagonal } from "../engine/linalg/Dense.js";
import { subtractProduct } from "../engine/linalg/products.js";
import { forwardSolve } from "../numerics/dense/cholesky.js";
import type { BlockedSystem } from "../engine/BlockedSystem.js";
import type { LmmDesign } from "../engine/design.js";

/**
 * Diagonal of the hat matrix H (fitted = H y) at the rows asked for, as lme4's `hatvalues()`:
 * h_i = ‖L⁻¹ m_i‖² with m_i the i-th row of [ZΛ X] and L the factor without the response.
 * Each row costs one forward solve, so pass `rows` on very large crossed designs. `system` is
 * factored at the model's θ, whose templates are `lambda`.
 */
export function hatValues(design: LmmDesign, system: BlockedSystem, lambda: readonly Float64Array[], rows?: ArrayLike<number>): Float64Array {
  const { m, p, L } = system;
  const { reterms } = design;
  const X = design.X.data;
  const n = design.frame.n;
  const which = rows ?? Int32Array.from({ length: n }, (_, i) => i);
  const w = [...reterms.map((r) => new Float64Array(r.q)), new Float64Array(p)];
  const out = new Float64Array(which.length);
  const Lfe = L[m][m] as Dense;
  for (let idx = 0; idx < which.length; idx++) {
    const i = which[idx];
    for (let j = 0; j < m; j++) {
      const re = reterms[j], k = re.k, wj = w[j], l = re.refs[i], T = lambda[j];
      wj.fill(0);
      // Λ' z_i at the observation's level.
      for (let r = 0; r < k; r++) {
        let s = 0;
        for (let u = r; u < k; u++) s += T[u * k + r] * re.z[i * k + u];
        wj[l * k + r] = s;
      }
      for (let t = 0; t < j; t++) subtractProduct(L[j][t], w[t], wj, t === 0 ? reterms[0].refs[i] : -1, wj.length);
      const Ljj = L[j][j];
      if (Ljj instanceof UniformBlockDiagonal) forwardSolve(Ljj.data, k, k, l * k * k, wj, l * k);
      else forwardSolve((Ljj as Dense).data, (Ljj as Dense).rows, (Ljj as Dense).cols, 0, wj);
    }
    const wf = w[m];
    for (let r = 0; r < p; r++) wf[r] = X[r * n + i];
    for (let t = 0; t < m; t++) subtractProduct(L[m][t], w[t], wf, -1, p);
    forwardSolve(Lfe.data, p, p + 1, 0, wf);
    let h = 0;
    for (const v of w) for (let t = 0; t < v.length; t++) h += v[t] * v[t];
    out[idx] = h;
  }
  return out;
}
