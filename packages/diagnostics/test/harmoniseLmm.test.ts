import { readFileSync } from "node:fs";
import { InvalidArgumentError, lmm } from "@lmm/core";
import { parseColumnSchema, readCsv, tableColumns } from "@lmm/arquero";
import { table as aqTable } from "arquero";
import { describe, expect, it } from "vitest";
import { lmmHarmonise } from "../src/index.js";

// The shipped TMA example (packages/datasets; realised batch effects saved in tma.truth.json).
const file = (name: string) => readFileSync(new URL(`../../datasets/data/${name}`, import.meta.url), "utf8");
const schema = parseColumnSchema(file("tma.columns.json"));
const tma = readCsv(file("tma.csv"), { schema });
const truth = JSON.parse(file("tma.truth.json")) as { features: { feature: string; profile: string }[]; batchEffects: { batches: string[]; values: number[][] } };
const levels = Object.fromEntries(schema.columns.filter((c) => c.levels).map((c) => [c.name, c.levels!]));
const template = "{feature} ~ grade + (1|patient) + (1|batch) + (1|reader)";

function correlation(a: number[], b: number[]): number {
  const ma = a.reduce((s, x) => s + x, 0) / a.length, mb = b.reduce((s, x) => s + x, 0) / b.length;
  let sab = 0, saa = 0, sbb = 0;
  a.forEach((x, i) => { sab += (x - ma) * (b[i] - mb); saa += (x - ma) ** 2; sbb += (b[i] - mb) ** 2; });
  return sab / Math.sqrt(saa * sbb);
}

describe("LMM harmonisation", () => {
  it("subtracts each feature's batch conditional modes and keeps everything else", async () => {
    const h = await lmmHarmonise(tma, template, ["feature_01", "feature_06"], { remove: ["batch"], levels });
    expect(h.warnings).toEqual([]);
    expect(h.table.columnNames()).toEqual(tma.columnNames());
    for (const name of tma.columnNames().filter((c) => !["feature_01", "feature_06"].includes(c))) expect(h.table.array(name)).toEqual(tma.array(name));
    for (const feature of ["feature_01", "feature_06"]) {
      // The same model fitted on its own: y − b̃_batch[batch], to the agreement of fitEach with lmm
      // (sds within 1e-3 of σ, see @lmm/arquero), so modes within 2e-3 σ.
      const m = lmm(template.replace("{feature}", feature), tableColumns(tma), { levels });
      const batch = m.ranef().find((r) => r.group === "batch")!;
      const y = tma.array(feature) as number[];
      const codes = tma.array("batch") as string[];
      const got = h.table.array(feature) as Float64Array;
      y.forEach((v, i) => expect(Math.abs(got[i] - (v - batch.values[batch.levels.indexOf(codes[i])]))).toBeLessThan(2e-3 * m.sigma));
      const removed = h.removed.objects().filter((r) => r.feature === feature);
      expect(removed.map((r) => r.level)).toEqual(batch.levels);
      removed.forEach((r, l) => expect(Math.abs((r.effect as number) - batch.values[l])).toBeLessThan(2e-3 * m.sigma));
    }
  });

  it("the removed effects are the planted batch effects (truth): correlation above 0.9 for batch-dominated features", async () => {
    const batchFeatures = truth.features.filter((f) => f.profile === "batch").map((f) => f.feature);
    const h = await lmmHarmonise(tma, template, batchFeatures, { remove: ["batch"], levels });
    for (const feature of batchFeatures) {
      const f = truth.features.findIndex((x) => x.feature === feature);
      const planted = truth.batchEffects.values.map((row) => row[f]);
      const removed = truth.batchEffects.batches.map((b) => h.removed.objects().find((r) => r.feature === feature && r.level === b)!.effect as number);
      // Batch-profile features have batch fractions 0.40–0.55 over ~49 cores per batch: the BLUPs
      // shrink little, so they track the realised effects closely.
      expect(correlation(removed, planted), feature).toBeGreaterThan(0.9);
    }
  });

  it("rows without design values get NaN, failed features stay unchanged, bad options are typed errors", async () => {
    const cols = tableColumns(tma);
    const batch = Array.from(cols.batch as ArrayLike<string>, (b, i) => (i === 3 ? null : b));
    const data = aqTable({ ...Object.fromEntries(["patient", "grade", "reader"].map((n) => [n, cols[n]])), batch, a: cols.feature_02, flat: new Float64Array(tma.numRows()).fill(2) });
    const h = await lmmHarmonise(data, template, ["a", "flat"], { remove: ["batch"], levels });
    expect(Number.isNaN(h.table.get("a", 3))).toBe(true);
    expect(Array.from(h.table.array("flat") as ArrayLike<number>)).toEqual(new Array(tma.numRows()).fill(2));
    expect(h.warnings.some((w) => w.startsWith("flat left unchanged"))).toBe(true);
    expect(h.warnings.some((w) => w.startsWith("a: 1 rows"))).toBe(true);
    await expect(lmmHarmonise(tma, template, ["feature_01"], { remove: ["site"] })).rejects.toThrow(InvalidArgumentError);
    await expect(lmmHarmonise(tma, "log({feature}) ~ (1|batch)", ["feature_01"], { remove: ["batch"] })).rejects.toThrow(/untransformed/);
    await expect(lmmHarmonise(tma, template, ["feature_01"], { remove: [] })).rejects.toThrow(InvalidArgumentError);
  });
});
