import type { RandomTermMatrix } from "../frame/random.js";
import type { CovarianceStructure } from "../frame/knownCovariance.js";

/** One lme4 random-effects term inside a ReMat: its columns and its place in θ. */
export interface ReTerm {
  matrix: RandomTermMatrix;
  /** First column of this term inside the ReMat's k columns. */
  offset: number;
  k: number;
}

/**
 * The random-effects model matrix of one grouping factor (MixedModels.jl's ReMat): level of each
 * observation (`refs`) and the k values each observation contributes (`z`, observation-major).
 * Immutable: the relative covariance factor's template Λ (k × k lower triangle, row-major, filled
 * from θ by `ThetaLayout.fill`) is storage of whoever evaluates, passed to the products below.
 *
 * lme4 terms on the same factor (`(1|g) + (0 + x|g)`, or `(x||g)`) are amalgamated into one ReMat
 * whose template is block diagonal; the blocks outside the terms stay zero. Same θ, same criterion,
 * but the first diagonal block of L stays block diagonal instead of filling in.
 */
export class ReMat {
  readonly k: number;
  readonly z: Float64Array;
  readonly columnNames: string[];
  readonly levels: string[];
  readonly refs: Int32Array;
  /** Whether Λ's template is diagonal (scalar terms, or a known covariance): Λ products then scale. */
  readonly diagonal: boolean;
  /** The known covariance of a `(1 | id)` term with a relationship matrix (one pseudo-level, k = number of ids). */
  readonly structure?: CovarianceStructure;

  constructor(
    readonly groupLabel: string,
    readonly terms: ReTerm[],
  ) {
    const first = terms[0].matrix;
    this.levels = first.group.levels;
    this.refs = first.group.codes;
    this.k = terms.reduce((s, t) => s + t.k, 0);
    const n = this.refs.length;
    this.z = new Float64Array(n * this.k);
    this.columnNames = [];
    for (const term of terms) {
      const { z } = term.matrix;
      for (let c = 0; c < term.k; c++) {
        this.columnNames.push(z.names[c]);
        for (let i = 0; i < n; i++) this.z[i * this.k + term.offset + c] = z.data[c * n + i];
      }
    }
    this.diagonal = terms.every((t) => t.k === 1 || t.matrix.structure !== undefined);
    this.structure = first.structure;
  }

  get nLevels(): number {
    return this.levels.length;
  }
  /** Number of random effects: levels × k. */
  get q(): number {
    return this.levels.length * this.k;
  }

  /** B := Λ' B for the k rows of a row-major block of `width` columns at `offset` (T: this factor's template). */
  lmulLambdaT(T: Float64Array, data: Float64Array, offset: number, width: number): void {
    const k = this.k;
    if (this.diagonal) {
      for (let r = 0; r < k; r++) {
        const t = T[r * k + r], o = offset + r * width;
        for (let c = 0; c < width; c++) data[o + c] *= t;
      }
      return;
    }
    for (let c = 0; c < width; c++) {
      for (let r = 0; r < k; r++) {
        let s = 0;
        for (let u = r; u < k; u++) s += T[u * k + r] * data[offset + u * width + c];
        data[offset + r * width + c] = s;
      }
    }
  }

  /** x := x Λ for a row segment of length k at `offset` (a block column of this ReMat; T its template). */
  rmulLambda(T: Float64Array, data: Float64Array, offset: number): void {
    const k = this.k;
    if (this.diagonal) {
      for (let c = 0; c < k; c++) data[offset + c] *= T[c * k + c];
      return;
    }
    for (let c = 0; c < k; c++) {
      let s = 0;
      for (let u = c; u < k; u++) s += data[offset + u] * T[u * k + c];
      data[offset + c] = s;
    }
  }
}
