import { readFileSync } from "node:fs";
import { fromCSV } from "arquero";
import { describe, expect, it } from "vitest";
import { batchClassifier, batchPca, combat, combatFit } from "../src/index.js";

// The shipped TMA example (packages/datasets, seeded; truth in tma.truth.json): 8 staining batches, grade G1–G3.
const file = (name: string) => readFileSync(new URL(`../../datasets/data/${name}`, import.meta.url), "utf8");
const table = fromCSV(file("tma.csv"));
const truth = JSON.parse(file("tma.truth.json")) as { features: { feature: string; gradeG2: number; gradeG3: number; patientVariance: number; batchVariance: number; readerVariance: number; residualVariance: number }[] };
const names = table.columnNames().filter((c) => c.startsWith("feature_"));
const features = Object.fromEntries(names.map((n) => [n, Float64Array.from(table.array(n) as ArrayLike<number>)]));
const batch = Array.from(table.array("batch") as ArrayLike<string>);
const grade = Array.from(table.array("grade") as ArrayLike<string>);
const { harmonised } = combat({ features, batch, covariates: { grade } });

/** Grade effects (G2, G3 vs G1) by least squares on [batch indicators, grade] (ComBat's own standardising fit). */
function batchAdjustedGradeEffects(columns: Record<string, Float64Array>): number[][] {
  const model = combatFit({ features: columns, batch, covariates: { grade } }, { meanOnly: true });
  return names.map((_, f) => model.standardisation.covariateCoefficients.map((c) => c[f]));
}

/** Grade effects with grade alone in the model: differences of grade means. */
function crudeGradeEffects(columns: Record<string, Float64Array>): number[][] {
  return names.map((n) => {
    const mean = (g: string) => {
      let s = 0, k = 0;
      columns[n].forEach((v, i) => { if (grade[i] === g) { s += v; k++; } });
      return s / k;
    };
    return [mean("G2") - mean("G1"), mean("G3") - mean("G1")];
  });
}

describe("ComBat on the shipped TMA example", () => {
  it("batch stops being predictable and stops loading on the principal components", () => {
    const before = batchClassifier(features, batch, { seed: 1 });
    const after = batchClassifier(harmonised, batch, { seed: 1 });
    expect(before.accuracy).toBeGreaterThan(before.chance + 0.15);
    expect(after.accuracy).toBeLessThanOrEqual(after.chance);
    // "None": three times what a K-level factor explains of pure noise on average, 3 (K − 1)/(n − 1).
    const none = (3 * 7) / (batch.length - 1);
    expect(batchPca(features, batch).batchShare).toBeGreaterThan(2 * none);
    expect(batchPca(harmonised, batch).batchShare).toBeLessThan(none / 3);
  });

  it("grade effects survive: with grade alone in the model, after ComBat they equal the batch-adjusted estimates before it, within 5% of the feature's sd", () => {
    const before = batchAdjustedGradeEffects(features);
    const after = crudeGradeEffects(harmonised);
    const crudeBefore = crudeGradeEffects(features);
    let moved = 0;
    truth.features.forEach((t, f) => {
      const sd = Math.sqrt(t.patientVariance + t.batchVariance + t.readerVariance + t.residualVariance);
      for (const k of [0, 1]) {
        expect(Math.abs(after[f][k] - before[f][k])).toBeLessThan(0.05 * sd);
        moved = Math.max(moved, Math.abs(crudeBefore[f][k] - before[f][k]) / sd);
      }
    });
    // the check can fail: before ComBat, ignoring batch shifts some grade effect by more than the bound
    expect(moved).toBeGreaterThan(0.05);
  });
});
