// The batch notebooks' computation, run in the worker: how much of each feature's variance is batch
// and how much biology; then three harmonisations (ComBat; removing the LMM's batch modes; and, with
// a dispersion formula, removing the batch's residual scale too) and the proof that the batch went
// and the biology stayed.
import { table } from "arquero";
import type { DataColumns } from "@lmm/core";
import { batchClassifier, batchPca, combat, harmonisationProof, lmmHarmonise, varpart } from "@lmm/diagnostics";

export interface BatchStudyRequest {
  data: DataColumns;
  features: string[];
  /** `{feature} ~ …` model for every feature. */
  template: string;
  batch: string;
  signal: string;
  covariate: string;
  /** Named components for ρ = σ²batch / σ²signal. */
  ratio: { batch: string[]; signal: string[] };
  /**
   * A residual variance per batch (`"~ site"`): every fit reads the per-batch scale, and a third
   * harmonisation removes it as well as the location (LMM location + scale, the analogue of ComBat's δ).
   */
  dispersion?: string;
}

const pick = (data: DataColumns, names: string[]) => Object.fromEntries(names.map((n) => [n, data[n] as ArrayLike<number>]));

export async function batchStudy(r: BatchStudyRequest) {
  const { data, features, template, batch } = r;
  const before = table(data as Record<string, ArrayLike<unknown>>);
  const dispersion = r.dispersion !== undefined ? { dispersion: r.dispersion } : {};
  const variance = await varpart(before, template, features, { ratio: r.ratio, workers: 0, ...dispersion });
  const batchLabels = Array.from(data[batch] as ArrayLike<string>);

  const combatResult = combat({ features: pick(data, features), batch: batchLabels, covariates: { [r.covariate]: data[r.covariate] as ArrayLike<string> } });
  const combatTable = before.assign(table(combatResult.harmonised as Record<string, ArrayLike<unknown>>));
  const lmmResult = await lmmHarmonise(before, template, features, { remove: [batch], workers: 0, ...dispersion });
  const scaled = r.dispersion !== undefined ? await lmmHarmonise(before, template, features, { remove: [batch], workers: 0, dispersion: r.dispersion, scale: true }) : null;

  const proofOptions = { template, features, batch, signal: r.signal, covariate: r.covariate, beforeVariance: variance, ...dispersion };
  const proofCombat = await harmonisationProof(before, combatTable, proofOptions);
  const proofLmm = await harmonisationProof(before, lmmResult.table, proofOptions);
  const proofScale = scaled ? await harmonisationProof(before, scaled.table, proofOptions) : null;

  const columnsOf = (t: typeof before) => Object.fromEntries(features.map((f) => [f, t.array(f) as ArrayLike<number>]));
  const pcaBefore = batchPca(columnsOf(before), batchLabels, { nComponents: 5 });
  const pca = (t: typeof before) => ({ before: pcaBefore, after: batchPca(columnsOf(t), batchLabels, { nComponents: 5 }), batch: batchLabels });
  const classify = (t: typeof before) => batchClassifier(columnsOf(t), batchLabels, { seed: 1 });
  const classifierBefore = classify(before);
  return {
    variance: variance.features,
    summary: variance.summary.objects(),
    proof: { combat: proofCombat.objects(), lmm: proofLmm.objects(), ...(proofScale ? { lmmScale: proofScale.objects() } : {}) },
    pca: { combat: pca(combatTable), lmm: pca(lmmResult.table), ...(scaled ? { lmmScale: pca(scaled.table) } : {}) },
    classifier: {
      combat: { before: classifierBefore, after: classify(combatTable) },
      lmm: { before: classifierBefore, after: classify(lmmResult.table) },
      ...(scaled ? { lmmScale: { before: classifierBefore, after: classify(scaled.table) } } : {}),
    },
  };
}
