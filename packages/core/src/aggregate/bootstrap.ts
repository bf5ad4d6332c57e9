// Parametric bootstrap of a fit from sums, exactly, without rows (docs/sql.md, "Bootstrap from the
// sums"). A refit needs only the cells' sums of m·y* and y*² for a simulated response
// y* = Xβ̂ + Zb* + e*: within a cell every model column is a column of products m and the levels are
// fixed, so y*ᵢ = m'ᵢγ + eᵢ with γ (β̂ and the cell's b*) the same for the cell's rows. Then
//   Σ m y* = Mγ + s,   Σ y*² = γ'Mγ + 2γ's + e'e,   s = Σ m e ~ N(0, σ²M),
//   e'e = s'M⁺s + σ²χ²(n − rank M), the χ² independent of s,
// with M the cell's cross-product of the model columns: drawn from an eigen-factor of M (possibly
// singular) and one χ² per cell, whatever the cell's number of rows.
import { CellCrossProducts, type CellProducts } from "../engine/cellSums.js";
import { Fitter } from "../engine/Fitter.js";
import { NotAggregableError } from "../errors/aggregate.js";
import { InvalidArgumentError } from "../errors/LmmError.js";
import { bootstrapResultOf, type BootstrapOptions, type BootstrapResult } from "../inference/bootstrap.js";
import { refitOutcome, type BootstrapOutcome } from "../inference/bootstrapTask.js";
import { thetaToSdcor, varianceParameterNames } from "../inference/profileParameters.js";
import { scaleModes } from "../model/modes.js";
import { symmetricEigen } from "../numerics/dense/matrices.js";
import { chiSquareDraw } from "../numerics/gamma.js";
import { Rng } from "../numerics/Rng.js";
import { refuseDispersion } from "./anova.js";
import { fitSumsOf, type AggregatedFit } from "./fit.js";

/** Relative size (to the largest) below which an eigenvalue of a cell's M counts as zero. */
const RANK_TOLERANCE = 1e-10;

/**
 * One cell's law of its sums: M = VΛV' over the model's product columns, the factor F = V_r Λ_r^½ of
 * its r positive eigenvalues (s = σFz, z ~ N(0, I_r)), and the rows beyond the rank (the χ²'s df).
 *
 * @example
 * ```ts
 * const { M, factor, rank, rows } = cellLaws(sums, 3)[0];
 * ```
 */
export interface CellLaw {
  /** M, d × d row-major (d model product columns). */
  M: Float64Array;
  /** F, d × rank row-major: FF' = M (up to the eigenvalues dropped as zero). */
  factor: Float64Array;
  rank: number;
  /** Rows in the cell (n). */
  rows: number;
}

/**
 * Every cell's {@link CellLaw} from its sums of products of the first `d` product columns.
 *
 * @throws {@link NotAggregableError} when a cell's cross-products are not positive semidefinite
 *   (sums that rows cannot have: an engine's rounding or a wrong count), or a cell has fewer rows
 *   than the rank of its columns: then no rows give these sums and no exact draw exists.
 *
 * @example
 * ```ts
 * const laws = cellLaws(fitSumsOf(fit).sums, d, fitSumsOf(fit).counts);
 * laws[0].rank; // rank of the first cell's model columns
 * ```
 */
export function cellLaws(sums: CellProducts, d: number, counts: ArrayLike<number>): CellLaw[] {
  const products: Float64Array[] = [];
  for (let a = 0; a < d; a++) for (let b = 0; b < d; b++) products.push(sums.product(a, b));
  const out: CellLaw[] = [];
  for (let x = 0; x < sums.cells; x++) {
    const M = new Float64Array(d * d);
    for (let c = 0; c < d * d; c++) M[c] = products[c][x];
    const e = symmetricEigen(M, d);
    const top = Math.max(e.values[0], 0);
    const smallest = e.values[d - 1];
    // Eigenvalues of a sum of outer products are ≥ 0; rounding leaves them above −(d·ε·top).
    if (!(smallest >= -1e-8 * top) || !(top > 0)) {
      throw new NotAggregableError("the parametric bootstrap", `cell ${x + 1}'s cross-products are not those of any rows (an eigenvalue ${smallest.toPrecision(3)} of the cell's Σ m·m' is negative), so its sums cannot be simulated`);
    }
    const keep: number[] = [];
    e.values.forEach((v, i) => v > RANK_TOLERANCE * top && keep.push(i));
    const rank = keep.length, rows = Number(counts[x]);
    if (!(rows >= rank)) throw new NotAggregableError("the parametric bootstrap", `cell ${x + 1} has ${rows} row${rows === 1 ? "" : "s"} but its columns have rank ${rank}, which no rows can give`);
    const factor = new Float64Array(d * rank);
    keep.forEach((k, j) => {
      const s = Math.sqrt(e.values[k]);
      for (let i = 0; i < d; i++) factor[i * rank + j] = e.vectors[i * d + k] * s;
    });
    out.push({ M, factor, rank, rows });
  }
  return out;
}

/**
 * One cell's simulated sums for the deterministic part γ (coefficients of the d product columns)
 * and residual sd σ: Σ m·y* (d values written to `my`) and Σ y*² (returned). Draws rank normals,
 * then one χ².
 *
 * @example
 * ```ts
 * const my = new Float64Array(d);
 * const yy = drawCellSums(law, gamma, sigma, rng, my);
 * ```
 */
export function drawCellSums(law: CellLaw, gamma: Float64Array, sigma: number, rng: Rng, my: Float64Array): number {
  const { M, factor, rank, rows } = law;
  const d = gamma.length;
  const z = new Float64Array(rank);
  let zz = 0;
  for (let j = 0; j < rank; j++) {
    z[j] = rng.normal();
    zz += z[j] * z[j];
  }
  let gMg = 0, gs = 0;
  for (let i = 0; i < d; i++) {
    let Mg = 0, s = 0;
    for (let c = 0; c < d; c++) Mg += M[i * d + c] * gamma[c];
    for (let j = 0; j < rank; j++) s += factor[i * rank + j] * z[j];
    s *= sigma;
    my[i] = Mg + s;
    gMg += gamma[i] * Mg;
    gs += gamma[i] * s;
  }
  // e'e = s'M⁺s + σ²χ²(n − r), and s'M⁺s = σ²z'z for s = σFz.
  return gMg + 2 * gs + sigma * sigma * (zz + chiSquareDraw(rng, rows - rank));
}

/**
 * Parametric bootstrap of a fit from sums: `n` responses simulated from the fit (b* then, per cell,
 * the sums of the residuals, exactly as rows would give them) and refitted from θ̂, as
 * `bootstrapSync(model, n, { seed })` of the in-memory model does on rows (the same table shape and
 * intervals; the draws differ, so the replicates agree in distribution, not one by one).
 *
 * @throws {@link InvalidArgumentError} for a number of refits or a seed out of range.
 * @throws {@link NotAggregableError} as {@link cellLaws}.
 *
 * @example
 * ```ts
 * const boot = bootstrapAggregated(fit, 500, { seed: 1 });
 * boot.intervals(0.95); // [{ parameter: "sd_(Intercept)|g", percentile: [lo, hi], shortest: [lo, hi] }, …]
 * ```
 */
export function bootstrapAggregated(fit: AggregatedFit, n: number, options: Pick<BootstrapOptions, "seed" | "onProgress"> = {}): BootstrapResult {
  const seed = options.seed ?? 1;
  if (!(Number.isInteger(n) && n >= 1)) throw new InvalidArgumentError("n", n, "a positive whole number of refits");
  if (!(Number.isInteger(seed) && seed >= 0 && seed < 2 ** 32)) throw new InvalidArgumentError("seed", seed, "a whole number in [0, 2³²)");
  const simulate = bootstrapSimulator(fit);
  const { design } = fitSumsOf(fit);
  const outcomes: BootstrapOutcome[] = [];
  for (let k = 0; k < n; k++) {
    const fitter = new Fitter(design, new CellCrossProducts(design.reterms, simulate.layout, simulate.draw(Rng.stream(seed, k))), fit.reml);
    outcomes.push(refitOutcome(fitter, fit.theta, fit.fixef.length));
    options.onProgress?.(k + 1, n);
  }
  const parameters = [...varianceParameterNames(design.theta), ...fit.fixef.map((f) => f.name)];
  const estimates = Float64Array.from([...thetaToSdcor(design.theta, fit.theta, fit.sigma), ...fit.estimates.beta]);
  return bootstrapResultOf(parameters, estimates, outcomes, seed);
}

/**
 * The simulator of a fit's sums at its estimates: `draw(rng)` gives the cells' products with the
 * response replaced by a simulated one (u* ~ N(0, σ̂²I) per random effect first, as lme4's
 * `simulate`, then each cell's residual sums), `layout` where the model's columns are among them.
 *
 * @example
 * ```ts
 * const { draw, layout } = bootstrapSimulator(fit);
 * new CellCrossProducts(reterms, layout, draw(Rng.stream(1, 0)));
 * ```
 */
export function bootstrapSimulator(fit: AggregatedFit, at: { theta?: ArrayLike<number>; beta?: ArrayLike<number>; sigma?: number } = {}) {
  // The cells' sums are not weighted by δ, and a refit would have to re-estimate δ: not offered.
  refuseDispersion(fit, "the parametric bootstrap");
  const { design, sums, counts, layout } = fitSumsOf(fit);
  const theta = at.theta ?? fit.theta, beta = at.beta ?? fit.estimates.beta, sigma = at.sigma ?? fit.sigma;
  const p = layout.xyColumns.length - 1;
  const y = layout.xyColumns[p];
  // The model's product columns are 0 … y − 1 (the response is the last product column).
  const d = y;
  const laws = cellLaws(sums, d, counts);
  const lambda = design.theta.templates(theta);
  const cells = sums.cells;
  const draw = (rng: Rng): CellProducts => {
    const u = design.reterms.map((re) => Float64Array.from({ length: re.q }, () => sigma * rng.normal()));
    const b = scaleModes(design.reterms, lambda, u);
    const my = Array.from({ length: d }, () => new Float64Array(cells));
    const yy = new Float64Array(cells);
    const gamma = new Float64Array(d), out = new Float64Array(d);
    for (let x = 0; x < cells; x++) {
      gamma.fill(0);
      for (let j = 0; j < p; j++) gamma[layout.xyColumns[j]] += beta[j];
      design.reterms.forEach((re, j) => {
        const level = layout.levels[j][x];
        for (let a = 0; a < re.k; a++) gamma[layout.zColumns[j][a]] += b[j][level * re.k + a];
      });
      yy[x] = drawCellSums(laws[x], gamma, sigma, rng, out);
      for (let a = 0; a < d; a++) my[a][x] = out[a];
    }
    const product = (a: number, c: number): Float64Array => {
      if (a === y && c === y) return yy;
      if (a === y) return my[c];
      if (c === y) return my[a];
      return sums.product(a, c);
    };
    return { cells, n: sums.n, product };
  };
  return { draw, layout, laws, d };
}
