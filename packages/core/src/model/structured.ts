import type { CovarianceStructure } from "../frame/knownCovariance.js";

/** b = S b*: the modes of a known-covariance term per id (genomic breeding values). */
export function structuredModes(structure: CovarianceStructure, bStar: Float64Array): Float64Array {
  const { factor, ids } = structure;
  const q = ids.length;
  const out = new Float64Array(q);
  for (let r = 0; r < q; r++) {
    let s = 0;
    for (let c = 0; c <= r; c++) s += factor[r * q + c] * bStar[c];
    out[r] = s;
  }
  return out;
}

/** diag(S M S'): conditional variances per id from the q × q conditional covariance M of b*. */
export function structuredVariances(structure: CovarianceStructure, M: Float64Array): Float64Array {
  const { factor, ids } = structure;
  const q = ids.length;
  const out = new Float64Array(q);
  const sm = new Float64Array(q);
  for (let r = 0; r < q; r++) {
    // sm = row r of S times M; out[r] = sm · row r of S.
    sm.fill(0);
    for (let c = 0; c <= r; c++) {
      const s = factor[r * q + c];
      if (s === 0) continue;
      for (let t = 0; t < q; t++) sm[t] += s * M[c * q + t];
    }
    let v = 0;
    for (let c = 0; c <= r; c++) v += sm[c] * factor[r * q + c];
    out[r] = v;
  }
  return out;
}
