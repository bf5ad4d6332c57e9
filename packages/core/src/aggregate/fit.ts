// A fit from grouped sums: the design's level structure from the cells' grouping values (levels
// ordered and combined exactly as the model frame orders them), the blocks of A from the cells'
// cross-products, then the same fitter, optimiser and estimates as an in-memory fit.
import { FitFailedError } from "../errors/data.js";
import { InvalidArgumentError } from "../errors/LmmError.js";
import { amalgamate, rankDeficiency, stableSortByLevels, type FitWarning } from "../engine/design.js";
import { CellCrossProducts, type CellLayout, type CellProducts } from "../engine/cellSums.js";
import { estimatesAt, type Estimates } from "../engine/estimates.js";
import { Fitter, type FitterDesign } from "../engine/Fitter.js";
import type { ReMat } from "../engine/ReMat.js";
import { dispersionOf, type ModelDispersion } from "../engine/dispersion.js";
import { cellDispersion, cellsAtDelta, dispersedCells, type DispersionRows } from "./dispersion.js";
import type { ThetaLayout } from "../engine/theta.js";
import { givenTheta, optimiseTheta, type OptimiseOptions, type OptimisationInfo } from "../engine/optimise.js";
import { checkAndPolish, checkedDelta, type FitOptions } from "../engine/fit.js";
import type { ConvergenceCheck } from "../engine/convergence.js";
import { satterthwaiteAt, satterthwaiteT } from "../inference/satterthwaite.js";
import { RANK_TOLERANCE } from "../frame/rank.js";
import { checkEffectCount, checkLevelCount, interactionFactor, type RandomTermMatrix } from "../frame/random.js";
import { readFactor, type Factor } from "../frame/variables.js";
import { scaleModes, sphericalModes } from "../model/modes.js";
import { varCorrTerms, type VarCorrTerm } from "../model/varcorr.js";
import type { RandomEffects } from "../model/LinearMixedModel.js";
import type { AggregationPlan } from "./plan.js";
import { factorLevels } from "./levels.js";

/** The sums an engine computed: one row per cell (combination of the grouping columns' values). */
export interface AggregatedCells {
  /** Each grouping column's value in each cell, as the engine returned it (text, number, boolean). */
  groups: Readonly<Record<string, ArrayLike<unknown>>>;
  /** Rows in each cell. */
  counts: ArrayLike<number>;
  /** Σ a·b over each cell's rows, one array per pair of {@link productPairs}, in its order (Σ w·a·b with prior weights w). */
  sums: readonly ArrayLike<number>[];
  /** With prior weights: Σ log w over the rows used (lme4's `ldW`, part of the criterion). */
  logWeights?: number;
  /** With prior weights: rows left out for a weight of 0 (warned about, as `lmm` does). */
  zeroWeights?: number;
}

/**
 * The pairs (a, b), a ≤ b, of product columns whose cross-products an aggregation sums: the plan's
 * distinct model-matrix columns, then the response (index `plan.products.length`).
 */
export function productPairs(plan: AggregationPlan): [number, number][] {
  const D = plan.products.length + 1;
  const out: [number, number][] = [];
  for (let a = 0; a < D; a++) for (let b = a; b < D; b++) out.push([a, b]);
  return out;
}

/** Options of {@link fitAggregated}. */
export interface AggregatedFitOptions extends OptimiseOptions, Pick<FitOptions, "checkConvergence" | "polish"> {
  /** REML (default, as lme4) or ML. */
  reml?: boolean;
  /** Take θ as given instead of optimising it (lme4's order), as `lmm`'s option. */
  theta?: ArrayLike<number>;
  /**
   * A residual variance per level of a factor (`"~ site"`), as `lmm`'s option: the cells must be
   * grouped by its column too (each cell then lies in one level).
   */
  dispersion?: string;
  /** With `theta` and `dispersion`: δ per level (the first 1), taken as given (default all 1), as `lmm`'s option. */
  delta?: ArrayLike<number>;
  /** With `dispersion`: rows per value of its column in the data before dropping, so a level whose rows were all dropped is named. */
  dispersionRows?: DispersionRows;
}

/** Everything of a fit that depends on the sums alone (row-level outputs need another pass over the rows). */
export interface AggregatedFit {
  formula: string;
  reml: boolean;
  /** Observations used. */
  nobs: number;
  /** Cells summed (combinations of grouping values). */
  cells: number;
  /**
   * Fixed-effect names (aliased columns dropped), estimates, standard errors, t values, and
   * Satterthwaite's denominator df and two-sided p-values (lmerTest's, from the derivatives of the
   * criterion in (θ, σ) by differences over θ on the sums, as `coefficients(model, { derivatives: "numeric" })`).
   */
  fixef: { name: string; estimate: number; stdError: number; tValue: number; df: number; pValue: number }[];
  /** lmerTest's warnings about the Hessian in (θ, σ) behind the df (negative or near-zero eigenvalues). */
  satterthwaiteWarnings: string[];
  /** Var(β̂), row-major p × p. */
  vcov: Float64Array;
  theta: Float64Array;
  thetaNames: string[];
  sigma: number;
  varCorr: { terms: VarCorrTerm[]; residual: { sd: number; variance: number } };
  /** Conditional modes per grouping factor, as `LinearMixedModel.ranef()`. */
  ranef: RandomEffects[];
  /** Levels per grouping factor. */
  ngrps: Record<string, number>;
  /** Fixed-effect columns dropped as linear combinations of earlier ones. */
  droppedColumns: string[];
  estimates: Estimates;
  optimisation: OptimisationInfo;
  /** lme4's derivative checks at θ̂ (null where they did not run: 10,000 observations or more by default, or θ given). */
  convergence: ConvergenceCheck | null;
  warnings: FitWarning[];
  /** With a dispersion formula of two levels or more: each level's δ̂ and residual sd (σ̂ and `varCorr.residual` are the first level's); else null. */
  dispersion: ModelDispersion | null;
}

/**
 * Fits a planned model from the cells' sums: the same criterion, θ̂, β̂, σ̂ and conditional modes as
 * `lmm` on the same rows (up to the order of summation).
 *
 * @example
 * ```ts
 * // y = 1, 2 in level a; 3, 4 in b; 5, 6 in c. Per cell: rows, Σ1·1, Σ1·y, Σy·y (productPairs' order).
 * const plan = planAggregation(modelVariables("y ~ 1 + (1 | g)"), { y: "numeric", g: "categorical" }, new Map());
 * const fit = fitAggregated(plan, { groups: { g: ["a", "b", "c"] }, counts: [2, 2, 2], sums: [[2, 2, 2], [3, 7, 11], [5, 25, 61]] });
 * fit.fixef[0].estimate; // 3.5
 * ```
 */
export function fitAggregated(plan: AggregationPlan, cells: AggregatedCells, options: AggregatedFitOptions = {}): AggregatedFit {
  const formula = plan.variables.formula;
  const { n, nCells, sums, reterms, layout, cellLayout, cross, design, dropped, names, warnings } = aggregatedSystem(plan, cells);
  const y = plan.products.length;
  const reml = options.reml ?? true;
  const cellDisp = options.dispersion === undefined ? null : cellDispersion(options.dispersion, plan, cells, sums, options.dispersionRows);
  let fitter: Fitter<FitterDesign>, theta: Float64Array, info: OptimisationInfo;
  if (cellDisp) {
    // As lmm: θ and log δ optimised together on the per-level sums, then every number from a fitter at δ̂.
    const joint = { ...design, dispersion: cellDisp.design };
    const atDelta = (delta: ArrayLike<number>) => new Fitter({ ...joint, dispersion: { ...cellDisp.design, delta: Float64Array.from(delta) } }, cellsAtDelta(reterms, cellLayout, sums, cellDisp.design, delta, cross.logWeights), reml);
    if (options.theta) {
      fitter = atDelta(options.delta ? checkedDelta(cellDisp.design.levels, options.delta) : cellDisp.design.delta);
      ({ theta, info } = givenTheta(fitter, options.theta));
    } else {
      const estimating = new Fitter(joint, dispersedCells(reterms, cellLayout, sums, cellDisp, cross.logWeights), reml);
      ({ theta, info } = optimiseTheta(estimating, options));
      fitter = atDelta(estimating.dispersed!.delta());
    }
  } else {
    fitter = new Fitter(design, cross, reml);
    ({ theta, info } = options.theta ? givenTheta(fitter, options.theta) : optimiseTheta(fitter, options));
  }
  const first = estimatesAt(fitter, theta);
  if (!Number.isFinite(first.objective)) throw new FitFailedError(formula, `the criterion is not finite at any θ tried (${info.reason})`);
  // The same checks and polish as an in-memory fit, on the criterion of the sums.
  const { estimates, optimisation, convergence } = checkAndPolish(fitter, first, info, n, options);
  if (estimates.singular) warnings.push({ code: "SINGULAR", message: "boundary (singular) fit: see help('isSingular')" });
  if (convergence) warnings.push(...convergence.warnings);
  const s2 = estimates.sigma ** 2;
  const b = scaleModes(reterms, layout.templates(estimates.theta), sphericalModes(fitter.system, estimates.beta));
  const vcov = estimates.vcovUnscaled.map((v) => v * s2);
  const p = estimates.beta.length;
  const df = satterthwaiteAt({ fitter, theta: estimates.theta, sigma: estimates.sigma, p, nobs: n, reml }, vcov);
  const tests = names.map((_, j) => satterthwaiteT(estimates, df, Float64Array.from({ length: p }, (_, i) => (i === j ? 1 : 0))));
  fitter.factorAt(estimates.theta);
  const fit: AggregatedFit = {
    formula,
    reml,
    nobs: n,
    cells: nCells,
    fixef: names.map((name, j) => ({ name, estimate: estimates.beta[j], stdError: estimates.se[j], tValue: estimates.beta[j] / estimates.se[j], df: tests[j].df, pValue: tests[j].pValue })),
    satterthwaiteWarnings: df.warnings,
    vcov,
    theta: estimates.theta,
    thetaNames: layout.names,
    sigma: estimates.sigma,
    varCorr: { terms: varCorrTerms(layout, estimates.theta, estimates.sigma), residual: { sd: estimates.sigma, variance: s2 } },
    ranef: reterms.map((re, j) => ({ group: re.groupLabel, terms: re.columnNames, levels: re.levels, values: b[j] })),
    ngrps: Object.fromEntries(reterms.map((re) => [re.groupLabel, re.nLevels])),
    droppedColumns: dropped,
    estimates,
    optimisation,
    convergence,
    warnings,
    dispersion: cellDisp ? dispersionOf(fitter.design, estimates.delta, estimates.sigma) : null,
  };
  sumsOf.set(fit, { design: fitter.design, cross: fitter.sums as CellCrossProducts, sums, counts: Float64Array.from(cells.counts, Number), layout: cellLayout, yy: total(sums, y, y), options });
  return fit;
}

/** The design, cross-products and column bookkeeping of a planned model's cells: everything before θ is optimised. */
interface AggregatedSystem {
  n: number;
  nCells: number;
  sums: CellProducts;
  reterms: ReMat[];
  layout: ThetaLayout;
  cellLayout: CellLayout;
  cross: CellCrossProducts;
  design: FitterDesign;
  dropped: string[];
  names: string[];
  warnings: FitWarning[];
}

function aggregatedSystem(plan: AggregationPlan, cells: AggregatedCells): AggregatedSystem {
  const formula = plan.variables.formula;
  const nCells = cells.counts.length;
  let n = 0;
  for (let x = 0; x < nCells; x++) n += Number(cells.counts[x]);
  const sums = cellProducts(plan, cells, n);
  const y = plan.products.length;
  // Grouping factors over cells, levels ordered as the model frame orders them.
  const factorOf = new Map<string, Factor>();
  const groupFactor = (label: string): Factor => {
    let f = factorOf.get(label);
    if (!f) {
      const column = plan.variables.spec.variables.get(label)!.column;
      const given = Object.prototype.hasOwnProperty.call(plan.levels, column) ? { levels: { [column]: factorLevels(cells.groups[column], plan.levels[column]) } } : {};
      factorOf.set(label, (f = readFactor(cells.groups, column, given)));
    }
    return f;
  };
  const termIndex = new Map<RandomTermMatrix, number>();
  const terms: RandomTermMatrix[] = plan.random.map((r, t) => {
    const group = interactionFactor(r.spec.group.map(groupFactor));
    const k = r.columns.length;
    checkLevelCount(r.spec, group.levels.length, n);
    checkEffectCount(r.spec, group.levels.length * k, n);
    // Z is not needed (A is given); the term carries its column names and the cells' levels.
    const z = { n: nCells, p: k, data: new Float64Array(nCells * k), names: r.columns.map((c) => c.name), assign: new Int32Array(k), coding: r.coding };
    const matrix: RandomTermMatrix = { spec: r.spec, coding: r.coding, z, group };
    termIndex.set(matrix, t);
    return matrix;
  });
  const sorted = stableSortByLevels(terms);
  const { reterms, layout } = amalgamate(sorted);
  const zColumns = reterms.map((re) => {
    const cols = new Array<number>(re.k);
    for (const term of re.terms) {
      plan.randomIndex[termIndex.get(term.matrix)!].forEach((u, c) => (cols[term.offset + c] = u));
    }
    return cols;
  });

  const warnings: FitWarning[] = [];
  const kept = independentFixed(plan.fixedIndex, sums);
  const dropped = plan.fixed.filter((_, j) => !kept.includes(j)).map((c) => c.name);
  if (dropped.length > 0) warnings.push(rankDeficiency(dropped));
  const zero = cells.zeroWeights ?? 0;
  if (zero > 0) warnings.push({ code: "ZERO_WEIGHTS", message: `${zero} row${zero > 1 ? "s" : ""} with prior weight 0 left out of the fit` });
  const names = kept.map((j) => plan.fixed[j].name);
  const cellLayout: CellLayout = { levels: reterms.map((re) => re.refs), zColumns, xyColumns: [...kept.map((j) => plan.fixedIndex[j]), y] };
  const cross = new CellCrossProducts(reterms, cellLayout, sums, cells.logWeights ?? 0);

  const design: FitterDesign = { formula, reterms, theta: layout };
  return { n, nCells, sums, reterms, layout, cellLayout, cross, design, dropped, names, warnings };
}

/** What a fit from sums keeps for refits (ML for a likelihood-ratio test, fixed-parameter profiles): never rows. */
export interface FitSums {
  design: FitterDesign;
  cross: CellCrossProducts;
  /** The cells' products and where the model's columns are among them (fixed effects as fitted, then y). */
  sums: CellProducts;
  /** Rows in each cell. */
  counts: Float64Array;
  layout: CellLayout;
  /** Σy² over the rows used: with nobs, what tells two fits' data apart. */
  yy: number;
  options: AggregatedFitOptions;
}

/** Each fit's sums, or how to rebuild them (a fit that came back from a worker carries none). */
const sumsOf = new WeakMap<AggregatedFit, FitSums | (() => FitSums)>();

/**
 * Keeps, beside a fit that was computed elsewhere (a worker, from the same plan and cells), what
 * {@link fitSumsOf} gives for refits: rebuilt from the cells on first use (no optimisation), so a
 * run of many features pays for it only where an anova or a profile asks.
 *
 * @example
 * ```ts
 * const fit = structuredClone(fitAggregated(plan, cells)); // what a worker sends back
 * keepFitSums(fit, plan, cells);
 * refitAggregatedML(fit); // works as on the original
 * ```
 */
export function keepFitSums(fit: AggregatedFit, plan: AggregationPlan, cells: AggregatedCells | (() => AggregatedCells), options: AggregatedFitOptions = {}): void {
  sumsOf.set(fit, () => {
    const given = typeof cells === "function" ? cells() : cells;
    const { sums, cellLayout, cross, design } = aggregatedSystem(plan, given);
    const y = plan.products.length;
    return { design, cross, sums, counts: Float64Array.from(given.counts, Number), layout: cellLayout, yy: total(sums, y, y), options };
  });
}

/**
 * The design and cross-products a fit from sums was computed from (kept beside the plain result).
 * A wrapper that adds fields to the fit must keep the same object (`Object.assign`) for this to find it.
 */
export function fitSumsOf(fit: AggregatedFit): FitSums {
  let state = sumsOf.get(fit);
  if (typeof state === "function") sumsOf.set(fit, (state = state()));
  if (!state) throw new InvalidArgumentError("fit", "a copy of a fit from sums", "the object fitSql (or fitAggregated) returned: its sums are kept beside that object only");
  return state;
}

function total(sums: CellProducts, a: number, b: number): number {
  const v = sums.product(a, b);
  let s = 0;
  for (let x = 0; x < v.length; x++) s += v[x];
  return s;
}

/** The cells' sums behind {@link CellProducts}, symmetric in the two columns. */
function cellProducts(plan: AggregationPlan, cells: AggregatedCells, n: number): CellProducts {
  const D = plan.products.length + 1;
  const index = new Int32Array(D * D);
  productPairs(plan).forEach(([a, b], i) => {
    index[a * D + b] = i;
    index[b * D + a] = i;
  });
  const arrays = cells.sums.map((s) => Float64Array.from(s, Number));
  return { cells: cells.counts.length, n, product: (a, b) => arrays[index[a * D + b]] };
}

/**
 * The fixed columns that are not linear combinations of earlier ones, by the rule of
 * `independentColumns` (a column whose residual norm after projection on the kept columns is below
 * 1e-7 of its norm is dropped), computed from the Gram matrix X'X instead of the rows.
 */
function independentFixed(columns: number[], sums: CellProducts): number[] {
  const total = (a: number, b: number) => {
    const v = sums.product(a, b);
    let s = 0;
    for (let x = 0; x < v.length; x++) s += v[x];
    return s;
  };
  const kept: number[] = [];
  // R: rows of the Cholesky factor of the kept columns' Gram matrix (upper triangle, by kept column).
  const R: Float64Array[] = [];
  for (let j = 0; j < columns.length; j++) {
    const g = total(columns[j], columns[j]);
    const r = new Float64Array(kept.length);
    let residual = g;
    for (let i = 0; i < kept.length; i++) {
      let s = total(columns[kept[i]], columns[j]);
      for (let l = 0; l < i; l++) s -= R[i][l] * r[l];
      r[i] = s / R[i][i];
      residual -= r[i] * r[i];
    }
    const original = Math.sqrt(g) || 1;
    if (!(Math.sqrt(Math.max(residual, 0)) >= RANK_TOLERANCE * original)) continue;
    const row = new Float64Array(kept.length + 1);
    row.set(r);
    row[kept.length] = Math.sqrt(residual);
    R.push(row);
    kept.push(j);
  }
  return kept;
}
