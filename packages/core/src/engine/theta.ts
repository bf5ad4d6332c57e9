import type { ReMat } from "./ReMat.js";

/** Where one lme4 term's θ entries live: its ReMat and its column range there. */
export interface ThetaTerm {
  remat: ReMat;
  /** Index of the ReMat in the design's `reterms` (and of its template in a template set). */
  index: number;
  offset: number;
  k: number;
  /** One θ for all k diagonal entries (a known covariance: Λ = θ·I on the factor's columns). */
  tied?: boolean;
  /** First index of this term's entries in θ. */
  start: number;
}

/**
 * θ in lme4's order: terms sorted by decreasing number of levels (stable), each contributing the
 * column-wise lower triangle of its relative covariance factor. Maps θ onto templates Λ, one per
 * ReMat, that belong to the caller (a fitter's workspace, a model's Λ at θ̂): the layout and the
 * ReMats stay immutable, so any number of fits can share them.
 */
export class ThetaLayout {
  readonly terms: ThetaTerm[];
  readonly length: number;
  readonly names: string[];
  readonly lower: Float64Array;
  /** Order of each ReMat's template (k), by ReMat index. */
  private readonly orders: number[];

  constructor(terms: Omit<ThetaTerm, "start">[], reterms: readonly ReMat[]) {
    let start = 0;
    this.terms = terms.map((t) => {
      const out = { ...t, start };
      start += t.tied ? 1 : (t.k * (t.k + 1)) / 2;
      return out;
    });
    this.length = start;
    this.orders = reterms.map((re) => re.k);
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

  /** Fresh templates, one per ReMat (zero outside the terms' blocks), holding θ when given. */
  templates(theta?: ArrayLike<number>): Float64Array[] {
    const out = this.orders.map((k) => new Float64Array(k * k));
    this.fill(theta ?? this.start(), out);
    return out;
  }

  /** Writes θ into templates made by {@link templates} (allocates nothing: the optimiser's path). */
  fill(theta: ArrayLike<number>, templates: Float64Array[]): void {
    for (const t of this.terms) {
      const { offset, k } = t;
      const T = templates[t.index];
      const K = this.orders[t.index];
      let i = t.start;
      if (t.tied) {
        for (let c = 0; c < k; c++) T[(offset + c) * K + offset + c] = theta[i];
        continue;
      }
      for (let c = 0; c < k; c++) for (let r = c; r < k; r++) T[(offset + r) * K + offset + c] = theta[i++];
    }
  }

  /** The starting θ lme4 uses: 1 on diagonals, 0 elsewhere. */
  start(): Float64Array {
    const theta = new Float64Array(this.length);
    for (let i = 0; i < this.length; i++) theta[i] = this.lower[i] === 0 ? 1 : 0;
    return theta;
  }

  /** The covariance factor of term `term` (k × k lower triangle, row-major) at θ. */
  termFactor(theta: ArrayLike<number>, term: number): Float64Array {
    const t = this.terms[term];
    const k = t.tied ? 1 : t.k;
    const T = new Float64Array(k * k);
    let i = t.start;
    if (t.tied) T[0] = theta[i];
    else for (let c = 0; c < k; c++) for (let r = c; r < k; r++) T[r * k + c] = theta[i++];
    return T;
  }
}
