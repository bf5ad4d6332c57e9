// LMM harmonisation that removes the batch's residual scale as well as its location (issue 20), on
// the shipped radiomics example, whose features have a true per-site noise scale (δ²_site in
// radiomics.truth.json): the dispersion model finds that scale, `scale: true` removes it (a refit
// sees every site with the same residual sd), location-only harmonisation leaves it, and the grade
// effects stay.
import { readFileSync } from "node:fs";
import { InvalidArgumentError, lmm } from "@lmm/core";
import { parseColumnSchema, readCsv, tableColumns } from "@lmm/arquero";
import { describe, expect, it } from "vitest";
import { harmonisationProof, lmmHarmonise } from "../src/index.js";

const file = (name: string) => readFileSync(new URL(`../../datasets/data/${name}`, import.meta.url), "utf8");
const schema = parseColumnSchema(file("radiomics.columns.json"));
const radiomics = readCsv(file("radiomics.csv"), { schema });
const truth = JSON.parse(file("radiomics.truth.json")) as { features: { feature: string }[]; siteEffects: { sites: string[]; scale: number[][] } };
const levels = Object.fromEntries(schema.columns.filter((c) => c.levels).map((c) => [c.name, c.levels!]));
const template = "{feature} ~ grade + time + (1 | site) + (1 | patient)";
const features = ["f_firstorder_Mean", "f_glcm_Contrast", "f_shape_Volume"];
const formula = (f: string) => template.replace("{feature}", f);

function correlation(a: number[], b: number[]): number {
  const ma = a.reduce((s, x) => s + x, 0) / a.length, mb = b.reduce((s, x) => s + x, 0) / b.length;
  let sab = 0, saa = 0, sbb = 0;
  a.forEach((x, i) => { sab += (x - ma) * (b[i] - mb); saa += (x - ma) ** 2; sbb += (b[i] - mb) ** 2; });
  return sab / Math.sqrt(saa * sbb);
}
/** max/min − 1 of a fit's per-level residual sds. */
const spread = (sd: ArrayLike<number>) => Math.max(...Array.from(sd)) / Math.min(...Array.from(sd)) - 1;

describe("LMM harmonisation of location and scale", () => {
  it("the dispersion model finds each site's true noise scale (log δ̂² against the truth's log δ², every feature)", () => {
    // Sites of 9 to 342 rows: the small ones' sds are noisy, so the claim is on the median over features.
    const all = truth.features.map((x) => x.feature);
    const r = all.map((feature, f) => {
      const d = lmm(formula(feature), tableColumns(radiomics), { levels, dispersion: "~ site" }).dispersion!;
      const trueScale = d.levels.map((site) => truth.siteEffects.scale[truth.siteEffects.sites.indexOf(site)][f]);
      return correlation(Array.from(d.delta, (x) => Math.log(x * x)), trueScale.map(Math.log));
    });
    const sorted = [...r].sort((a, b) => a - b);
    expect(sorted[Math.floor(r.length / 2)]).toBeGreaterThan(0.8);
    expect(sorted[0]).toBeGreaterThan(0.5);
  }, 60_000);

  it("scale: true leaves every site with the same residual sd; location only leaves the spread; grade stays", async () => {
    const location = await lmmHarmonise(radiomics, template, features, { remove: ["site"], levels, dispersion: "~ site" });
    const both = await lmmHarmonise(radiomics, template, features, { remove: ["site"], levels, dispersion: "~ site", scale: true });
    expect(both.warnings).toEqual([]);
    for (const feature of features) {
      const fit = (t: typeof radiomics) => lmm(formula(feature), tableColumns(t), { levels, dispersion: "~ site" });
      const before = fit(radiomics), afterLocation = fit(location.table), afterBoth = fit(both.table);
      const s0 = spread(before.dispersion!.sd);
      expect(s0, feature).toBeGreaterThan(0.5);
      expect(spread(afterBoth.dispersion!.sd), feature).toBeLessThan(0.2 * s0);
      expect(spread(afterLocation.dispersion!.sd), feature).toBeGreaterThan(0.8 * s0);
      // The site's location is gone in both; the grade effects move by less than half a standard error.
      for (const after of [afterLocation, afterBoth]) {
        expect(after.varCorr().terms.find((t) => t.group === "site")!.sd[0]).toBeLessThan(0.05 * before.varCorr().terms.find((t) => t.group === "site")!.sd[0]);
        before.fixef().filter((x) => x.name.startsWith("grade")).forEach((x) => {
          const y = after.fixef().find((z) => z.name === x.name)!;
          expect(Math.abs(y.estimate - x.estimate) / x.stdError, `${feature} ${x.name}`).toBeLessThan(0.5);
        });
      }
    }
  });

  it("the proof reads the per-site scale: its spread falls with scale: true", async () => {
    const both = await lmmHarmonise(radiomics, template, features, { remove: ["site"], levels, dispersion: "~ site", scale: true });
    const proof = await harmonisationProof(radiomics, both.table, { template, features, batch: "site", signal: "patient", covariate: "grade", levels, dispersion: "~ site" });
    const row = proof.objects().find((r) => r.role === "scale" && r.feature === null) as { measure: string; before: number; after: number };
    expect(row.measure).toBe("site residual sd spread (max/min − 1) (mean)");
    expect(row.after).toBeLessThan(0.2 * row.before);
  });

  it("scale: true without a dispersion formula is refused", async () => {
    await expect(lmmHarmonise(radiomics, template, features, { remove: ["site"], levels, scale: true })).rejects.toThrow(InvalidArgumentError);
  });
});
