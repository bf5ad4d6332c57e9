// The dispersion formula (issue 20) through the table layer: `fit(table, formula, { dispersion })`,
// `fitEach` (each feature's fit equals a separate lmm() of it) and the tidy rows of the per-level
// residual sds.
import { readFileSync } from "node:fs";
import { lmm } from "@lmm/core";
import { describe, expect, it } from "vitest";
import { featureFormula, fit, fitEach, parseColumnSchema, readCsv, tableColumns, tidy } from "../src/index.js";

const file = (name: string) => readFileSync(new URL(`../../datasets/data/${name}`, import.meta.url), "utf8");
const schema = parseColumnSchema(file("tma.columns.json"));
const tma = readCsv(file("tma.csv"), { schema });
const levels = Object.fromEntries(schema.columns.filter((c) => c.levels).map((c) => [c.name, c.levels!]));
const template = "{feature} ~ grade + (1|patient) + (1|batch)";

describe("dispersion through the table layer", () => {
  it("fit() passes the option: per-level residual sds, σ of the first level", () => {
    const m = fit(tma, "feature_01 ~ grade + (1|patient) + (1|batch)", { dispersion: "~ reader" });
    const d = m.dispersion!;
    expect(d.levels).toEqual(levels.reader);
    expect(d.delta[0]).toBe(1);
    expect(d.sd[0]).toBeCloseTo(m.sigma, 14);
    expect(m.varCorr().residual.sd).toBe(m.sigma);
  });

  it("fitEach: each feature as a separate lmm() with the same dispersion", async () => {
    const features = ["feature_01", "feature_02", "feature_03"];
    const r = await fitEach(tma, template, features, { dispersion: "~ reader", levels });
    for (const f of r.fits) {
      expect(f.error).toBeNull();
      const m = lmm(featureFormula(template, f.feature), tableColumns(tma), { levels, dispersion: "~ reader" });
      expect(Math.abs(f.logLik - m.logLik)).toBeLessThanOrEqual(1e-6 * Math.max(1, Math.abs(m.logLik)));
      f.dispersion!.sd.forEach((sd, g) => expect(Math.abs(sd / m.dispersion!.sd[g] - 1)).toBeLessThanOrEqual(1e-3));
      // The residual's fraction is the pooled variance's; its level rows add up to it.
      const rows = r.table.filter((d: { feature: string; group: string }) => d.group === "Residual").objects().filter((d) => d.feature === f.feature) as { term: string; fraction: number }[];
      const pooled = rows.find((x) => x.term === "sd__Observation")!.fraction;
      const byLevel = rows.filter((x) => x.term !== "sd__Observation").reduce((s, x) => s + x.fraction, 0);
      expect(rows.length).toBe(1 + levels.reader.length);
      expect(byLevel).toBeCloseTo(pooled, 12);
    }
  });

  it("tidy(): one Residual row per level (level = the level, term sd__<level>)", () => {
    const m = fit(tma, "feature_01 ~ grade + (1|patient) + (1|batch)", { dispersion: "~ reader" });
    const rows = tidy(m).objects().filter((r) => r.group === "Residual") as { level: string | null; term: string; estimate: number }[];
    expect(rows[0]).toMatchObject({ level: null, term: "sd__Observation", estimate: m.sigma });
    expect(rows.slice(1).map((r) => r.level)).toEqual(m.dispersion!.levels);
    expect(rows.slice(1).map((r) => r.term)).toEqual(m.dispersion!.levels.map((l) => `sd__${l}`));
    rows.slice(1).forEach((r, g) => expect(r.estimate).toBe(m.dispersion!.sd[g]));
  });
});
