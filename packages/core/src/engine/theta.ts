import type { ReMat } from "./ReMat.js";

/** Where one lme4 term's θ entries live: its ReMat and its column range there. */
export interface ThetaTerm {
  remat: ReMat;
  offset: number;
  k: number;
  /** One θ for all k diagonal entries (a known covariance: Λ = θ·I on the factor's columns). */
  tied?: boolean;
  /** First index of this term's entries in θ. */
  start: number;
}

/**
 * θ in lme4's order: terms sorted by decreasing number of levels (stable), each contributing the
 * column-wise lower triangle of its relative covariance factor. Maps θ onto the ReMat templates.
 */
export class ThetaLayout {
  readonly terms: ThetaTerm[];
  readonly length: number;
  readonly names: string[];
  readonly lower: Float64Array;

  constructor(terms: Omit<ThetaTerm, "start">[]) {
    let start = 0;
    this.terms = terms.map((t) => {
      const out = { ...t, start };
      start += t.tied ? 1 : (t.k * (t.k + 1)) / 2;
      return out;
    });
    this.length = start;
    this.names = [];
    const lower: number[] = [];
    for (const t of this.terms) {
      if (t.tied) {
        this.names.push(`${t.remat.groupLabel}.(Intercept)`);
        lower.push(0);
        continue;
      }
      const cols = t.remat.columnNames.slice(t.offset, t.offset + t.k);
      for (let c = 0; c < t.k; c++) {
        for (let r = c; r < t.k; r++) {
          this.names.push(r === c ? `${t.remat.groupLabel}.${cols[r]}` : `${t.remat.groupLabel}.${cols[r]}.${cols[c]}`);
          lower.push(r === c ? 0 : -Infinity);
        }
      }
    }
    this.lower = Float64Array.from(lower);
  }

  /** Writes θ into the ReMat templates Λ. */
  apply(theta: ArrayLike<number>): void {
    for (const t of this.terms) {
      const { remat, offset, k } = t;
      const K = remat.k;
      let i = t.start;
      if (t.tied) {
        for (let c = 0; c < k; c++) remat.lambda[(offset + c) * K + offset + c] = theta[i];
        continue;
      }
      for (let c = 0; c < k; c++) for (let r = c; r < k; r++) remat.lambda[(offset + r) * K + offset + c] = theta[i++];
    }
  }

  /** The starting θ lme4 uses: 1 on diagonals, 0 elsewhere. */
  start(): Float64Array {
    const theta = new Float64Array(this.length);
    for (let i = 0; i < this.length; i++) theta[i] = this.lower[i] === 0 ? 1 : 0;
    return theta;
  }
}
