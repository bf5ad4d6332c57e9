import type { BlockSparse } from "./linalg/Dense.js";

/**
 * The Schur complement of a scalar first factor, summed once per group of levels instead of once per
 * level. For a scalar term, level c's column of S is θ₁a_c/d_c with d_c² = θ₁²n_c + 1 (n_c = Z₁'Z₁
 * at c), so
 *
 *   S S' = Λ (Σ_v w_v G_v) Λ,  w_v = θ₁² / (θ₁²v + 1),  G_v = Σ_{c: n_c = v} a_c a_c',
 *
 * and the G_v do not depend on θ. Designs where every patient has the same number of scans (or a
 * handful of different numbers) then pay a few dense s × s passes per evaluation instead of one
 * sparse rank update over all levels. `worthIt` compares the two costs.
 *
 * A₂₂ − Σ w_v G_v cancels badly when θ₁ is large (w_v → 1/v), and finite differences over θ would
 * amplify that noise. Since 1/v − w_v = c_v = 1/(v(θ₁²v + 1)), it is formed as P + Σ c_v G_v with
 * the within-level part P = A₂₂ − Σ G_v/v computed once per response: a sum of positive terms.
 */
export class LevelGroups {
  /** The distinct values of Z₁'Z₁ and how many levels have each. */
  readonly values: Float64Array;
  readonly counts: Float64Array;
  /** G_v, lower triangles of s × s, one after another. */
  readonly G: Float64Array;
  /** P = A₂₂ − Σ_v G_v / v, lower triangle. */
  readonly P: Float64Array;
  private readonly groupOf: Int32Array;

  private constructor(
    diagonal: Float64Array,
    private readonly size: number,
  ) {
    const distinct = [...new Set(diagonal)].sort((a, b) => a - b);
    this.values = Float64Array.from(distinct);
    const index = new Map(distinct.map((v, i) => [v, i]));
    this.groupOf = Int32Array.from(diagonal, (v) => index.get(v)!);
    this.counts = new Float64Array(distinct.length);
    for (const g of this.groupOf) this.counts[g]++;
    this.G = new Float64Array(distinct.length * size * size);
    this.P = new Float64Array(size * size);
  }

  /**
   * The groups for a first factor with Z₁'Z₁ diagonal `diagonal` and S's pattern, when the dense
   * passes cost less than the sparse update they replace (and fit in memory); otherwise null.
   */
  static worthIt(diagonal: Float64Array, s: BlockSparse): LevelGroups | null {
    const size = s.blockRows;
    const groups = new Set(diagonal).size;
    let sparse = 0;
    for (let c = 0; c < s.blockCols; c++) {
      const nnz = s.colPtr[c + 1] - s.colPtr[c];
      sparse += (nnz * (nnz + 1)) / 2;
    }
    const dense = ((groups + 1) * size * (size + 1)) / 2;
    return dense < 0.7 * sparse && groups * size * size <= 1 << 22 ? new LevelGroups(diagonal, size) : null;
  }

  /**
   * G_v and P from S's unscaled values (A₂₁'s columns) and A₂₂'s lower triangle; `fromRow` limits the
   * work to rows ≥ it (a new response changes only the last).
   */
  accumulate(s: BlockSparse, raw: Float64Array, rawT: Float64Array, fromRow = 0): void {
    const { G, size } = this;
    const block = size * size;
    for (let g = 0; g < this.values.length; g++) for (let r = fromRow; r < size; r++) G.fill(0, g * block + r * size, g * block + r * size + r + 1);
    const { colPtr, rowIdx } = s;
    for (let c = 0; c < s.blockCols; c++) {
      const o = this.groupOf[c] * block, end = colPtr[c + 1];
      for (let a = colPtr[c]; a < end; a++) {
        const ra = rowIdx[a];
        if (ra < fromRow) continue;
        const row = o + ra * size, va = raw[a];
        for (let b = colPtr[c]; b <= a; b++) G[row + rowIdx[b]] += va * raw[b];
      }
    }
    const P = this.P;
    for (let r = fromRow; r < size; r++) for (let c = r * size; c <= r * size + r; c++) P[c] = rawT[c];
    this.values.forEach((v, g) => {
      // A level with Z₁'Z₁ = 0 meets nothing: its G_v is zero.
      if (v === 0) return;
      for (let r = fromRow; r < size; r++) for (let c = r * size; c <= r * size + r; c++) P[c] -= G[g * block + c] / v;
    });
  }

  /** H := A₂₂ − Σ_v w_v G_v = P + Σ_v c_v G_v on the lower triangle, for the first factor's θ₁² = `t2`. */
  complement(H: Float64Array, t2: number): void {
    const { G, P, size } = this;
    const block = size * size;
    H.set(P);
    for (let g = 0; g < this.values.length; g++) {
      const v = this.values[g];
      if (v === 0) continue;
      const w = 1 / (v * (t2 * v + 1));
      const o = g * block;
      for (let r = 0; r < size; r++) {
        const row = r * size;
        for (let c = row; c <= row + r; c++) H[c] += w * G[o + c];
      }
    }
  }

  /** log det(D)² = Σ_v count_v log(θ₁²v + 1). */
  logdet(t2: number): number {
    let s = 0;
    for (let g = 0; g < this.values.length; g++) s += this.counts[g] * Math.log(t2 * this.values[g] + 1);
    return s;
  }
}
