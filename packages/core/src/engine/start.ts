import { RowCrossProducts } from "./crossProducts.js";
import { DispersedCrossProducts } from "./dispersion.js";
import type { Dense, UniformBlockDiagonal } from "./linalg/Dense.js";
import type { Fitter, FitterDesign } from "./Fitter.js";

/**
 * lme4's starting θ: for models whose random terms are all intercepts, the moment estimate
 * θ_i = √(var of the group means of y / (var(y) − Σ those variances)); otherwise 1 on diagonals and
 * 0 elsewhere. Starting where lme4 starts makes the optimiser retrace lme4's path.
 */
export function startingTheta(fitter: Fitter<FitterDesign>): Float64Array {
  const layout = fitter.design.theta;
  const generic = layout.start();
  if (!layout.terms.every((t) => t.k === 1 && t.remat.columnNames[t.offset] === "(Intercept)")) return generic;
  // From rows wherever the fitter has them (also per dispersion level: A is then weighted by 1/δ², the rows are not).
  if (!(fitter.sums instanceof RowCrossProducts || (fitter.sums instanceof DispersedCrossProducts && fitter.sums.fromRows))) return startFromSums(fitter, generic);
  const { y } = fitter.sums;
  const order = fitter.rowSums.yOrder;
  const n = order.length;
  const groupVariances = layout.terms.map((t) => {
    const { refs, nLevels } = t.remat;
    const sum = new Float64Array(nLevels), count = new Float64Array(nLevels);
    for (let x = 0; x < n; x++) {
      const i = order[x];
      sum[refs[i]] += y[i];
      count[refs[i]]++;
    }
    // Variance over observations of each observation's group mean: a level's mean counts once per observation.
    let total = 0;
    for (let l = 0; l < nLevels; l++) total += sum[l];
    const mean = total / n;
    let ss = 0;
    for (let l = 0; l < nLevels; l++) if (count[l] > 0) ss += count[l] * (sum[l] / count[l] - mean) ** 2;
    return ss / (n - 1);
  });
  let mean = 0;
  for (let x = 0; x < n; x++) mean += y[order[x]];
  mean /= n;
  let ss = 0;
  for (let x = 0; x < n; x++) ss += (y[order[x]] - mean) ** 2;
  const residual = ss / (n - 1) - groupVariances.reduce((s, v) => s + v, 0);
  if (!(residual > 0)) return generic;
  return Float64Array.from(groupVariances, (v) => Math.sqrt(v / residual));
}

/**
 * The same moment start from the blocks of A alone (sums computed elsewhere): a level's count is its
 * diagonal entry of Z_j'Z_j, its Σy the response's row of [X y]'Z_j, Σy² the last entry of
 * [X y]'[X y]. The same numbers as from rows up to the order of summation.
 */
function startFromSums(fitter: Fitter<FitterDesign>, generic: Float64Array): Float64Array {
  const { sums, design } = fitter;
  const m = design.reterms.length, p = sums.p, n = sums.n;
  const corner = sums.A[m][m] as Dense;
  const yy = corner.data[p * (p + 1) + p];
  let total = 0;
  const groupVariances = design.theta.terms.map((t) => {
    const diag = sums.A[t.index][t.index] as UniformBlockDiagonal;
    const zy = sums.A[m][t.index] as Dense;
    const K = t.remat.k, q = zy.cols;
    const sum = new Float64Array(t.remat.nLevels), count = new Float64Array(t.remat.nLevels);
    for (let l = 0; l < sum.length; l++) {
      count[l] = diag.data[l * K * K + t.offset * K + t.offset];
      sum[l] = zy.data[p * q + l * K + t.offset];
    }
    total = 0;
    for (let l = 0; l < sum.length; l++) total += sum[l];
    const mean = total / n;
    let ss = 0;
    for (let l = 0; l < sum.length; l++) if (count[l] > 0) ss += count[l] * (sum[l] / count[l] - mean) ** 2;
    return ss / (n - 1);
  });
  const mean = total / n;
  const residual = (yy - n * mean * mean) / (n - 1) - groupVariances.reduce((s, v) => s + v, 0);
  if (!(residual > 0)) return generic;
  return Float64Array.from(groupVariances, (v) => Math.sqrt(v / residual));
}

/**
 * NLopt's settings for BOBYQA as lme4's nloptwrap uses them: initial steps 0.75·θ for positive θ
 * with lower bound 0, |θ| for other nonzero θ, 1 for θ = 0; the problem rescaled so the steps are
 * equal; final radius max(1e-4 · rhoBeg, 1e-8 / scale) (nloptr's xtol_rel and lme4's xtol_abs).
 */
export function nloptSettings(start: Float64Array, lower: Float64Array): { scale: Float64Array; rhoBeg: number; rhoEnd: number } {
  const dx = Float64Array.from(start, (x, i) => (lower[i] === 0 && x > 0 ? 0.75 * x : x !== 0 ? Math.abs(x) : 1));
  const scale = dx.every((v) => v === dx[0]) ? dx.map(() => 1) : dx.map((v) => v / dx[0]);
  const rhoBeg = dx[0] / scale[0];
  let rhoEnd = 1e-4 * rhoBeg;
  for (const s of scale) rhoEnd = Math.max(rhoEnd, 1e-8 / s);
  return { scale, rhoBeg, rhoEnd };
}

/**
 * A start for log δ of a dispersion factor: half the log ratio of the variance of y within each
 * level to the reference level's (fixed and random effects not removed, so the ratios lean towards 1;
 * still far closer than δ = 1 when the levels' noise differs several-fold). 0 for a level whose
 * variance is not positive.
 */
export function startingLogDelta(fitter: Fitter): Float64Array {
  // Sums computed elsewhere bring their start (the same formula on their per-level Σy, Σy²).
  const given = fitter.dispersed?.startLogDelta;
  if (given) return Float64Array.from(given);
  const { y } = fitter;
  const d = fitter.design.dispersion!;
  const order = fitter.rowSums.yOrder;
  const G = d.levels.length;
  const sum = new Float64Array(G), ss = new Float64Array(G);
  for (let x = 0; x < order.length; x++) sum[d.codes[order[x]]] += y[order[x]];
  for (let x = 0; x < order.length; x++) {
    const i = order[x], g = d.codes[i];
    ss[g] += (y[i] - sum[g] / d.counts[g]) ** 2;
  }
  const v = Float64Array.from(ss, (s, g) => s / (d.counts[g] - 1));
  return Float64Array.from(v, (vg) => (vg > 0 && v[0] > 0 ? 0.5 * Math.log(vg / v[0]) : 0));
}
