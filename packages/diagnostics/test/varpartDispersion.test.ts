// varpart with a dispersion formula (issue 20): the residual is pooled over the levels (Σ n_g sd_g² / n)
// in the estimate and in every bootstrap replicate (each refit estimates δ again), and broken down by level.
import { readFileSync } from "node:fs";
import { InvalidArgumentError, lmm } from "@lmm/core";
import { parseColumnSchema, readCsv, tableColumns } from "@lmm/arquero";
import { describe, expect, it } from "vitest";
import { varianceDecomposition, varpart } from "../src/index.js";

const file = (name: string) => readFileSync(new URL(`../../datasets/data/${name}`, import.meta.url), "utf8");
const schema = parseColumnSchema(file("radiomics.columns.json"));
const radiomics = readCsv(file("radiomics.csv"), { schema });
const levels = Object.fromEntries(schema.columns.filter((c) => c.levels).map((c) => [c.name, c.levels!]));
const template = "{feature} ~ grade + time + (1 | patient)";

describe("varpart with a residual variance per vendor", () => {
  it("pools the residual in the estimate and in the bootstrap replicates; the level rows add up to it", async () => {
    const r = await varpart(radiomics, template, ["f_firstorder_Mean"], { levels, dispersion: "~ vendor", bootstrap: { n: 40, seed: 3 } });
    const m = lmm("f_firstorder_Mean ~ grade + time + (1 | patient)", tableColumns(radiomics), { levels, dispersion: "~ vendor" });
    const d = r.features[0].decomposition!;
    const residual = d.components.find((c) => c.name === "Residual")!;
    expect(residual.variance).toBeCloseTo(m.dispersion!.pooledVariance, 8);
    // The pooled variance is far from the reference level's σ² here (Canon is the quietest vendor):
    // replicates that counted σ² would give an interval nowhere near the estimate.
    expect(m.sigma ** 2).toBeLessThan(0.5 * residual.variance);
    expect(residual.varianceInterval!.low).toBeLessThan(residual.variance);
    expect(residual.varianceInterval!.high).toBeGreaterThan(residual.variance);
    const rows = r.residualLevels!.objects() as { level: string; fraction: number }[];
    expect(rows.map((x) => x.level)).toEqual(m.dispersion!.levels);
    expect(rows.reduce((s, x) => s + x.fraction, 0)).toBeCloseTo(residual.fraction, 12);
  }, 120_000);

  it("varianceDecomposition of one model refuses a bootstrap with a dispersion formula (its replicates keep no δ)", () => {
    const m = lmm("f_firstorder_Mean ~ grade + time + (1 | patient)", tableColumns(radiomics), { levels, dispersion: "~ vendor" });
    expect(() => varianceDecomposition(m, { bootstrap: { n: 5 } })).toThrow(InvalidArgumentError);
  });
});
