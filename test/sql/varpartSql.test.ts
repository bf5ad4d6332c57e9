import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Rng } from "@lmm/core/numerics";
import { lmm } from "@lmm/core";
import { varpart } from "@lmm/diagnostics";
import { fitSqlEach, varpartSql } from "@lmm/sql";
import { duckdbEngine, type DuckdbEngine } from "@lmm/sql/duckdb";
import { table } from "arquero";

// Many features from a long table in one grouped pass: each feature's fit is lmm's on its rows, and the
// variance fractions are varpart's (variancePartition's default decomposition) on the wide table.
const FEATURES = 12, SAMPLES = 240;

function longTable() {
  const rng = new Rng(7);
  const donor = Array.from({ length: SAMPLES }, (_, s) => `D${s % 20}`);
  const batch = Array.from({ length: SAMPLES }, (_, s) => `B${(s * 7) % 6}`);
  const x = Array.from({ length: SAMPLES }, () => rng.uniform());
  const long: Record<string, unknown[]> = { gene: [], sample: [], value: [], donor: [], batch: [], x: [] };
  const wide: Record<string, unknown[]> = { donor, batch, x };
  for (let f = 0; f < FEATURES; f++) {
    const de = Array.from({ length: 20 }, () => rng.normal() * (0.5 + f / 6));
    const be = Array.from({ length: 6 }, () => rng.normal() * (1.5 - f / 10));
    const values = donor.map((d, s) => 2 + x[s] + de[Number(d.slice(1))] + be[Number(batch[s].slice(1))] + rng.normal());
    if (f === 3) values[5] = NaN; // one missing value: dropped for this feature only
    if (f === 10) values.fill(NaN); // no rows at all: an error for this feature only
    if (f === 11) values.fill(4.25); // constant: an error for this feature only
    const name = `g${String(f).padStart(2, "0")}`;
    wide[name] = values;
    values.forEach((v, s) => {
      long.gene.push(name);
      long.sample.push(s);
      long.value.push(Number.isNaN(v) ? null : v);
      long.donor.push(donor[s]);
      long.batch.push(batch[s]);
      long.x.push(x[s]);
    });
  }
  return { long, wide };
}

describe("many features from a long table (fitSqlEach, varpartSql)", () => {
  let engine: DuckdbEngine;
  const { long, wide } = longTable();
  beforeAll(async () => {
    engine = await duckdbEngine();
    await engine.run("CREATE TABLE expression (gene VARCHAR, sample INTEGER, value DOUBLE, donor VARCHAR, batch VARCHAR, x DOUBLE)");
    const rows = long.gene.map((_, i) => `('${long.gene[i]}', ${long.sample[i]}, ${long.value[i] ?? "NULL"}, '${long.donor[i]}', '${long.batch[i]}', CAST('${long.x[i]}' AS DOUBLE))`);
    await engine.run(`INSERT INTO expression VALUES ${rows.join(", ")}`);
  });
  afterAll(() => engine.close());

  it("fits every feature from one grouped pass, as lmm fits its rows", async () => {
    const formula = "value ~ x + (1 | donor) + (1 | batch)";
    const fits = await fitSqlEach(engine, { table: "expression" }, formula, { by: "gene" });
    expect(fits.map((f) => f.feature).sort()).toEqual(Object.keys(wide).filter((k) => k.startsWith("g")).sort());
    const cells = fits[0].fit!.queries.filter((q) => q.includes("GROUP BY")).filter((q) => q.includes("SUM(") && q.includes("AS s_0"));
    expect(cells).toHaveLength(1);
    for (const { feature, fit, error } of fits) {
      if (feature === "g10") {
        expect(error?.message).toMatch(/no rows are left/);
        continue;
      }
      if (feature === "g11") {
        expect(error?.message).toMatch(/is constant/);
        continue;
      }
      expect(error).toBeNull();
      const mem = lmm(formula.replace("value", feature), wide as never);
      expect(Math.abs(fit!.estimates.objective - mem.objective) / Math.abs(mem.objective)).toBeLessThan(1e-10);
      expect(fit!.nobs).toBe(mem.nobs);
      expect(fit!.droppedRows.count).toBe(mem.droppedRows.count);
    }
  });

  it("variance fractions are varpart's", async () => {
    const { rows, errors } = await varpartSql(engine, { table: "expression" }, "value ~ x + (1 | donor) + (1 | batch)", { by: "gene" });
    expect(errors.map((e) => e.feature).sort()).toEqual(["g10", "g11"]);
    const features = Object.keys(wide).filter((k) => k.startsWith("g") && k !== "g10" && k !== "g11");
    const reference = await varpart(table(wide), "{feature} ~ x + (1 | donor) + (1 | batch)", features);
    for (const f of reference.features) {
      for (const c of f.decomposition!.components) {
        const ours = rows.find((r) => r.feature === f.feature && r.component === c.name);
        expect(ours, `${f.feature} ${c.name}`).toBeDefined();
        // Optimised separately: equal to the optimiser's resolution (θ to 1e-3, as the lme4 reference tests).
        expect(Math.abs(ours!.fraction - c.fraction)).toBeLessThan(1e-3);
      }
    }
  });
});
