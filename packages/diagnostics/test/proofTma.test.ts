// The proof on the shipped TMA example: after LMM harmonisation (batch conditional modes removed),
// the batch fraction and the batch classifier's accuracy fall, while the patient fraction and the
// grade effects stay where the saved truth (packages/datasets/data/tma.truth.json) puts them.
import { readFileSync } from "node:fs";
import { qnorm } from "@lmm/core/numerics";
import { parseColumnSchema, readCsv } from "@lmm/arquero";
import { beforeAll, describe, expect, it } from "vitest";
import type { ColumnTable } from "arquero";
import { harmonisationProof, lmmHarmonise } from "../src/index.js";

const file = (name: string) => readFileSync(new URL(`../../datasets/data/${name}`, import.meta.url), "utf8");
const schema = parseColumnSchema(file("tma.columns.json"));
const tma = readCsv(file("tma.csv"), { schema });
type FeatureTruth = { feature: string; patientVariance: number; batchVariance: number; readerVariance: number; residualVariance: number; fractions: { batch: number }; gradeG2: number; gradeG3: number };
const truth = JSON.parse(file("tma.truth.json")) as { features: FeatureTruth[] };
const levels = Object.fromEntries(schema.columns.filter((c) => c.levels).map((c) => [c.name, c.levels!]));
const template = "{feature} ~ grade + (1|patient) + (1|batch) + (1|reader)";

type ProofRow = { role: string; measure: string; feature: string | null; term: string | null; before: number; after: number; "se.before": number; "se.after": number };
let proof: ProofRow[];
let table: ColumnTable;

beforeAll(async () => {
  const h = await lmmHarmonise(tma, template, "feature_*", { remove: ["batch"], levels });
  table = await harmonisationProof(tma, h.table, { template, features: "feature_*", batch: "batch", signal: "patient", covariate: "grade", levels });
  proof = table.objects() as ProofRow[];
});

const row = (measure: string, feature: string | null = null, term: string | null = null) => proof.find((r) => r.measure === measure && r.feature === feature && r.term === term)!;

describe("harmonisation proof on the TMA example", () => {
  it("is one Arquero table, before and after side by side", () => {
    expect(table.columnNames()).toEqual(["role", "measure", "feature", "term", "before", "after", "change", "se.before", "se.after"]);
    expect(new Set(proof.map((r) => r.role))).toEqual(new Set(["classifier", "batch", "signal", "covariate"]));
    expect(proof.filter((r) => r.measure === "batch fraction")).toHaveLength(25);
    expect(proof.filter((r) => r.measure === "grade estimate")).toHaveLength(50);
  });

  it("batch fraction falls below the smallest planted batch effect", () => {
    // Truth: every feature carries a batch fraction of at least min(truth) (≈ 0.02 for the reader-heavy profile).
    const smallest = Math.min(...truth.features.map((f) => f.fractions.batch));
    const mean = row("batch fraction (mean)");
    expect(mean.after).toBeLessThan(mean.before);
    for (const f of truth.features) {
      const r = row("batch fraction", f.feature);
      expect(r.after, f.feature).toBeLessThan(smallest / 2);
    }
  });

  it("the batch classifier drops from detecting batch to no better than chance", () => {
    const accuracy = row("batch classifier accuracy"), chance = row("batch classifier chance").before;
    // One-sided 99 % binomial bound on the accuracy of a classifier that knows nothing about batch.
    const n = tma.numRows();
    const bound = chance + qnorm(0.99) * Math.sqrt((chance * (1 - chance)) / n);
    expect(accuracy.before).toBeGreaterThan(bound);
    expect(accuracy.after).toBeLessThan(accuracy.before);
    expect(accuracy.after).toBeLessThanOrEqual(bound);
  });

  it("the patient fraction after harmonisation is the truth's patient share of the non-batch variance", () => {
    // With the batch gone, patient / (patient + reader + residual) from the generating variances.
    // Bound: Fisher's large-sample SE of a one-way ICC, (1−ρ)(1+(k−1)ρ)√(2 / (k(k−1)(N−1))), with
    // N = 100 patients and k = 3.93 cores each (it ignores the 3-level reader term, so it is a little
    // optimistic), times a Bonferroni z for a 1 % family-wise error over the 25 features.
    const N = 100, k = tma.numRows() / N, z = qnorm(1 - 0.01 / (2 * 25));
    for (const f of truth.features) {
      const rho = f.patientVariance / (f.patientVariance + f.readerVariance + f.residualVariance);
      const se = (1 - rho) * (1 + (k - 1) * rho) * Math.sqrt(2 / (k * (k - 1) * (N - 1)));
      const r = row("patient fraction", f.feature);
      expect(Math.abs(r.after - rho), `${f.feature}: ${r.after} vs truth ${rho} ± ${z * se}`).toBeLessThan(z * se);
      // Removing batch only shrinks the total: the patient share never falls.
      expect(r.after).toBeGreaterThanOrEqual(r.before - 1e-9);
    }
  });

  it("the grade effects stay within their truth and do not move", () => {
    // Each estimate is within a Bonferroni 1 % family-wise z (50 coefficients) of the generating
    // value (0 for non-biological features), and harmonisation moves it by less than 0.1 SE.
    const z = qnorm(1 - 0.01 / (2 * 50));
    for (const f of truth.features) {
      for (const [term, value] of [["gradeG2", f.gradeG2], ["gradeG3", f.gradeG3]] as const) {
        const r = row("grade estimate", f.feature, term);
        expect(Math.abs(r.after - value), `${f.feature} ${term}: ${r.after} vs ${value}`).toBeLessThan(z * r["se.after"]);
        expect(Math.abs(r.after - r.before), `${f.feature} ${term} moved`).toBeLessThan(0.1 * r["se.before"]);
      }
    }
  });
});
