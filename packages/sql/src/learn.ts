// The first pass of a fit with bases: what `poly`, `scale`, `ns` and `bs` learn from the rows,
// learned by the engine from the same rows as in memory (every row where the basis's argument is
// present, rows of prior weight 0 left out), with the same arithmetic: scale's mean and then the
// sum of squares about it; poly's recurrence one degree per query, over the lower-degree
// polynomials rendered as SQL; the splines' boundary knots (MIN, MAX) and interior knots at R's
// type-7 quantiles from order statistics (ORDER BY … LIMIT 1 OFFSET k).
import { BasisError, type LearnedBasis, type LearnedTransforms, type VariableRef } from "@lmm/core";
import { knotRanks, knotsFromOrderStatistics, type ModelVariables, type SplineOptions } from "@lmm/core/aggregate";
import type { SqlColumns, SqlDialect } from "./engine.js";
import { polyTerms } from "./bases.js";
import { expressionSql, fromItem, type SqlSource } from "./generate.js";

/**
 * What every basis of the model (terms and response) learns, by label; those `given` (an earlier
 * fit's `transforms`) are used as they are.
 */
export async function learnBases(run: (sql: string) => Promise<SqlColumns>, source: SqlSource, variables: ModelVariables, d: SqlDialect, given: LearnedTransforms = {}): Promise<Record<string, LearnedBasis>> {
  const out: Record<string, LearnedBasis> = Object.create(null);
  for (const ref of [variables.response, ...variables.terms.values()]) {
    if (ref.kind !== "basis" || ref.label in out) continue;
    out[ref.label] = Object.prototype.hasOwnProperty.call(given, ref.label) ? given[ref.label] : await learnBasis(run, source, variables, ref, d);
  }
  return out;
}

async function learnBasis(run: (sql: string) => Promise<SqlColumns>, source: SqlSource, variables: ModelVariables, ref: VariableRef, d: SqlDialect): Promise<LearnedBasis> {
  const x = d.toDouble(expressionSql(ref.expr, d));
  const w = variables.weights === null ? null : d.toDouble(d.identifier(variables.weights));
  const rows = `${x} IS NOT NULL AND NOT ${d.isNaN(x)}${w === null ? "" : ` AND NOT COALESCE(${w} = ${d.double(0)}, FALSE)`}`;
  const from = fromItem(source, d);
  const one = async (select: string, where = rows) => (await run(`SELECT ${select} FROM ${from} WHERE ${where}`)).columns.map((c) => (c[0] === null || c[0] === undefined ? NaN : Number(c[0])));
  const spec = ref.basis!;
  const label = ref.label;
  switch (spec.fn) {
    case "scale": {
      let center: number | null = typeof spec.center === "number" ? spec.center : null;
      let n = 0;
      if (spec.center === true || spec.scale === true) {
        const [count, sum] = await one(`COUNT(*), SUM(${x})`);
        n = count;
        if (spec.center === true) center = sum / n;
      }
      let scale: number | null = typeof spec.scale === "number" ? spec.scale : null;
      if (spec.scale === true) {
        const [ss] = await one(`SUM((${x} - ${d.double(center ?? 0)}) * (${x} - ${d.double(center ?? 0)}))`);
        scale = Math.sqrt(ss / Math.max(1, n - 1));
      }
      if (scale === 0 || (scale !== null && !Number.isFinite(scale))) throw new BasisError(label, `cannot divide by a scale of ${scale}${typeof spec.scale === "number" ? "" : " (the variable is constant)"}`);
      return { fn: "scale", center, scale };
    }
    case "poly": {
      if (spec.raw) return { fn: "poly", raw: true, degree: spec.degree };
      const [n, sum, distinct] = await one(`COUNT(*), SUM(${x}), COUNT(DISTINCT ${x})`);
      if (spec.degree >= distinct) throw new BasisError(label, `degree ${spec.degree} needs at least ${spec.degree + 1} distinct values; the data have ${distinct}`);
      const mean = sum / n;
      const xc = `(${x} - ${d.double(mean)})`;
      // α and ‖Z_j‖² of the centred values, one degree per query (as learnPoly, on the engine's sums).
      const alpha: number[] = [];
      const norm2 = [1, n];
      for (let j = 0; j <= spec.degree; j++) {
        const z = j === 0 ? d.double(1) : polyTerms(xc, alpha, norm2, j, d)[j - 1];
        const [ss, s] = await one(`SUM(${z} * ${z}), SUM(${xc} * ${z} * ${z})`);
        if (j > 0) norm2.push(ss);
        if (j < spec.degree) alpha.push(s / norm2[j + 1]);
      }
      return { fn: "poly", alpha: alpha.map((a) => a + mean), norm2 };
    }
    case "ns":
    case "bs": {
      const o: SplineOptions = { ...spec, degree: spec.fn === "bs" ? spec.degree : 3 };
      const inside = o.boundary ? `${rows} AND ${x} >= ${d.double(o.boundary[0])} AND ${x} <= ${d.double(o.boundary[1])}` : rows;
      const [n, low, high] = await one(`COUNT(*), MIN(${x}), MAX(${x})`, inside);
      const stats = new Map<number, number>([[0, low], [n - 1, high]]);
      for (const rank of knotRanks(spec.fn, o, n)) {
        if (!stats.has(rank)) stats.set(rank, (await one(`${x}`, `${inside} ORDER BY ${x} LIMIT 1 OFFSET ${rank}`))[0]);
      }
      return { fn: spec.fn, ...knotsFromOrderStatistics(spec.fn, o, label, n, (i) => stats.get(i) ?? NaN) };
    }
  }
}
