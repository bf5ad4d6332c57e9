import { Rng } from "@lmm/core/numerics";

// The issue's shape in small: a long table (feature, sample, value) of single-cell-like expression with
// donor, batch, chemistry, day and operator per sample, and the same data as a wide table (one column per
// feature) for the in-memory fitEach/varpart. Feature 3 misses a value, feature 10 has no value at all,
// feature 11 is constant: each gets its own result or error.
export const DESIGN = ["donor", "batch", "chemistry", "day", "operator"] as const;

export function expressionTables(features: number, samples: number, seed = 19) {
  const rng = new Rng(seed);
  const levels = { donor: 12, batch: 6, chemistry: 3, day: 5, operator: 4 };
  const design: Record<string, string[]> = {};
  for (const f of DESIGN) design[f] = Array.from({ length: samples }, () => `${f[0].toUpperCase()}${Math.floor(rng.uniform() * levels[f])}`);
  const x = Array.from({ length: samples }, () => Math.round(rng.uniform() * 1000) / 100);
  const long: Record<string, unknown[]> = { gene: [], sample: [], value: [], x: [], ...Object.fromEntries(DESIGN.map((f) => [f, []])) };
  const wide: Record<string, unknown[]> = { x, ...design };
  const names: string[] = [];
  for (let g = 0; g < features; g++) {
    const effects = Object.fromEntries(DESIGN.map((f, j) => [f, Array.from({ length: levels[f] }, () => rng.normal() * (0.3 + ((g + j) % 5) / 4))]));
    const values = Array.from({ length: samples }, (_, s) => 3 + 0.2 * x[s] + DESIGN.reduce((sum, f) => sum + effects[f][Number(design[f][s].slice(1))], 0) + rng.normal() * (0.5 + (g % 3) / 2));
    if (g === 3) values[7] = NaN;
    if (g === 10) values.fill(NaN);
    if (g === 11) values.fill(2.5);
    const name = `g${String(g).padStart(3, "0")}`;
    names.push(name);
    wide[name] = values;
    values.forEach((v, s) => {
      long.gene.push(name);
      long.sample.push(s);
      long.value.push(Number.isNaN(v) ? null : v);
      long.x.push(x[s]);
      for (const f of DESIGN) long[f].push(design[f][s]);
    });
  }
  return { long, wide, names };
}

/** SQL that creates and fills the long table `name` (numbers cast from their shortest round-trip text, so DuckDB reads the same doubles, not decimals). */
export function expressionSql(name: string, long: Record<string, unknown[]>): string[] {
  const rows = long.gene.map((_, i) => `('${long.gene[i]}', ${long.sample[i]}, ${long.value[i] === null ? "NULL" : `CAST('${long.value[i]}' AS DOUBLE)`}, CAST('${long.x[i]}' AS DOUBLE), ${DESIGN.map((f) => `'${long[f][i]}'`).join(", ")})`);
  return [`CREATE TABLE ${name} (gene VARCHAR, sample INTEGER, value DOUBLE, x DOUBLE, ${DESIGN.map((f) => `${f} VARCHAR`).join(", ")})`, `INSERT INTO ${name} VALUES ${rows.join(", ")}`];
}
