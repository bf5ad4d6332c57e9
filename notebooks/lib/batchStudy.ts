// The batch notebooks' computation, run in the worker: how much of each feature's variance is batch
// and how much biology; then two harmonisations (ComBat, and removing the LMM's batch modes) and
// the proof that the batch went and the biology stayed.
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
}

const pick = (data: DataColumns, names: string[]) => Object.fromEntries(names.map((n) => [n, data[n] as ArrayLike<number>]));

export async function batchStudy(r: BatchStudyRequest) {
  const { data, features, template, batch } = r;
  const before = table(data as Record<string, ArrayLike<unknown>>);
  const variance = await varpart(before, template, features, { ratio: r.ratio, workers: 0 });
  const batchLabels = Array.from(data[batch] as ArrayLike<string>);

  const combatResult = combat({ features: pick(data, features), batch: batchLabels, covariates: { [r.covariate]: data[r.covariate] as ArrayLike<string> } });
  const combatTable = before.assign(table(combatResult.harmonised as Record<string, ArrayLike<unknown>>));
  const lmmResult = await lmmHarmonise(before, template, features, { remove: [batch], workers: 0 });

  const proofOptions = { template, features, batch, signal: r.signal, covariate: r.covariate };
  const proofCombat = await harmonisationProof(before, combatTable, proofOptions);
  const proofLmm = await harmonisationProof(before, lmmResult.table, proofOptions);

  const columnsOf = (t: typeof before) => Object.fromEntries(features.map((f) => [f, t.array(f) as ArrayLike<number>]));
  const pcaBefore = batchPca(columnsOf(before), batchLabels, { nComponents: 5 });
  const pca = (t: typeof before) => ({ before: pcaBefore, after: batchPca(columnsOf(t), batchLabels, { nComponents: 5 }), batch: batchLabels });
  const classify = (t: typeof before) => batchClassifier(columnsOf(t), batchLabels, { seed: 1 });
  const classifierBefore = classify(before);
  return {
    variance: variance.features,
    summary: variance.summary.objects(),
    proof: { combat: proofCombat.objects(), lmm: proofLmm.objects() },
    pca: { combat: pca(combatTable), lmm: pca(lmmResult.table) },
    classifier: { combat: { before: classifierBefore, after: classify(combatTable) }, lmm: { before: classifierBefore, after: classify(lmmResult.table) } },
  };
}
