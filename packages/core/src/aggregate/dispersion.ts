// A dispersion formula (`~ site`) on a fit from sums. The cells are grouped by the dispersion column
// too, so each cell lies in one level g and its sums, scaled by 1/δ²_g, are that level's part of
// A(δ) = Σ_g A_g/δ²_g: the same per-level cross-products the rows give, handed to the same
// DispersedCrossProducts and optimiser.
import { NotAggregableError } from "../errors/aggregate.js";
import { InvalidArgumentError } from "../errors/LmmError.js";
import { CellCrossProducts, weightedCells, type CellLayout, type CellProducts } from "../engine/cellSums.js";
import { DispersedCrossProducts, type DispersionDesign } from "../engine/dispersion.js";
import type { ReMat } from "../engine/ReMat.js";
import { checkDispersionLevels, dispersionColumn } from "../frame/dispersion.js";
import { readFactor } from "../frame/variables.js";
import type { AggregatedCells } from "./fit.js";
import type { AggregationPlan } from "./plan.js";

/** The dispersion factor over cells: `design.codes` holds each cell's level (not each row's). */
export interface CellDispersion {
  design: DispersionDesign;
  /** log δ where the optimiser starts, from each level's Σy and Σy² (as `startingLogDelta` from rows). */
  start: Float64Array;
}

/** Rows per value of the dispersion column in the data, before rows with missing values are dropped. */
export interface DispersionRows {
  values: ArrayLike<unknown>;
  counts: ArrayLike<number>;
}

/**
 * The dispersion factor of the cells (levels ordered as the model frame orders them, those no used
 * row has left out), refused where a level has a single row used or, given the data's rows per
 * value, all its rows dropped — the in-memory fit's errors. Null with fewer than two levels (one σ).
 */
export function cellDispersion(formula: string, plan: AggregationPlan, cells: AggregatedCells, sums: CellProducts, data?: DispersionRows): CellDispersion | null {
  const column = dispersionColumn(formula);
  if (!Object.prototype.hasOwnProperty.call(cells.groups, column)) throw new InvalidArgumentError("cells", `no grouping column ${JSON.stringify(column)}`, `cells grouped by the dispersion formula's column ${JSON.stringify(column)} too`);
  const factor = readFactor(cells.groups, column, {});
  const G = factor.levels.length;
  const counts = new Int32Array(G);
  for (let x = 0; x < factor.codes.length; x++) counts[factor.codes[x]] += Number(cells.counts[x]);
  if (data) {
    const all = readFactor({ [column]: data.values }, column, {});
    const inData = new Float64Array(all.levels.length), used = new Float64Array(all.levels.length);
    for (let i = 0; i < all.codes.length; i++) if (all.codes[i] >= 0) inData[all.codes[i]] += Number(data.counts[i]);
    const at = new Map(factor.levels.map((l, g) => [l, g]));
    all.levels.forEach((l, i) => (used[i] = at.has(l) ? counts[at.get(l)!] : 0));
    checkDispersionLevels(formula, column, all.levels, inData, used);
  } else checkDispersionLevels(formula, column, factor.levels, counts, counts);
  if (G < 2) return null;

  // Start: half the log ratio of each level's variance of y to the first level's.
  const y = plan.products.length, one = plan.products.findIndex((p) => p.atoms.length === 0);
  if (one < 0) throw new NotAggregableError(`the dispersion formula ${formula}`, "its starting values need Σy per level, and the model has no intercept (fixed or random) to sum it with");
  const sy = sums.product(y, one), syy = sums.product(y, y);
  const sum = new Float64Array(G), ss = new Float64Array(G);
  for (let x = 0; x < factor.codes.length; x++) {
    sum[factor.codes[x]] += sy[x];
    ss[factor.codes[x]] += syy[x];
  }
  const v = Float64Array.from(ss, (s, g) => (s - (sum[g] * sum[g]) / counts[g]) / (counts[g] - 1));
  const start = Float64Array.from(v, (vg) => (vg > 0 && v[0] > 0 ? 0.5 * Math.log(vg / v[0]) : 0));
  const design: DispersionDesign = { formula, column, levels: factor.levels, codes: factor.codes, counts, delta: new Float64Array(G).fill(1), priorWeights: null };
  return { design, start };
}

/** The per-level cross-products the joint optimiser of θ and δ recombines (sums already weighted by any prior weights, whose Σ log w is given). */
export function dispersedCells(reterms: readonly ReMat[], layout: CellLayout, sums: CellProducts, d: CellDispersion, priorLogWeights = 0): DispersedCrossProducts {
  const { codes, counts, levels } = d.design;
  const parts = levels.map((_, g) => new CellCrossProducts(reterms, layout, weightedCells(sums, Float64Array.from(codes, (c) => (c === g ? 1 : 0)))));
  return new DispersedCrossProducts({ levels: parts, counts, delta: d.design.delta, priorLogWeights, startLogDelta: d.start });
}

/** The cross-products at a given δ (each cell's sums over δ²_g, −2 Σ n_g log δ_g in the weights' log): a weighted fit's. */
export function cellsAtDelta(reterms: readonly ReMat[], layout: CellLayout, sums: CellProducts, d: DispersionDesign, delta: ArrayLike<number>, priorLogWeights = 0): CellCrossProducts {
  let logWeights = priorLogWeights;
  for (let g = 0; g < delta.length; g++) logWeights -= 2 * d.counts[g] * Math.log(delta[g]);
  return new CellCrossProducts(reterms, layout, weightedCells(sums, Float64Array.from(d.codes, (g) => 1 / (delta[g] * delta[g]))), logWeights);
}
