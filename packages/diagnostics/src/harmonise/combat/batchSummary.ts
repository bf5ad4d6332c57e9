/** Observed count, mean and centred sum of squares of each feature's standardised values within one batch. */
export interface BatchSummary {
  n: Float64Array;
  mean: Float64Array;
  ss: Float64Array;
}

/** Summaries over `rows` (missing values skipped), so Σ (s − g)² = ss + n (mean − g)² for any g. */
export function batchSummary(sData: Float64Array[], rows: readonly number[]): BatchSummary {
  const G = sData.length;
  const out: BatchSummary = { n: new Float64Array(G), mean: new Float64Array(G), ss: new Float64Array(G) };
  for (let f = 0; f < G; f++) {
    const s = sData[f];
    let n = 0, sum = 0;
    for (const i of rows) if (!Number.isNaN(s[i])) { n++; sum += s[i]; }
    const m = sum / n;
    let ss = 0;
    for (const i of rows) if (!Number.isNaN(s[i])) ss += (s[i] - m) ** 2;
    out.n[f] = n;
    out.mean[f] = m;
    out.ss[f] = ss;
  }
  return out;
}
