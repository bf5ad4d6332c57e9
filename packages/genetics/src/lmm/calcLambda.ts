// GEMMA's CalcLambda (lmm.cpp): maximise the (restricted) log-likelihood over λ in [lMin, lMax].
// The range is cut into nRegion intervals equal on the log scale; every interval where the derivative changes
// sign is searched with Brent (relative interval tolerance 0.1) and then Newton (relative step 1e-5), keeping
// the iterate *before* the last Newton step as GEMMA does; the best root is compared with both ends.
import { BrentSolver, NewtonSolver, GSL_CONTINUE, GSL_SUCCESS, testDelta, testInterval } from "./gslRoots.js";

/** The λ search of GEMMA: range and number of log-scale regions (GEMMA defaults 1e-5, 1e5, 10). */
export interface LambdaSearch {
  lMin: number;
  lMax: number;
  nRegion: number;
}

/**
 * GEMMA's defaults: λ in [1e-5, 1e5], 10 regions.
 *
 * @example
 * ```ts
 * lmmScan({ genotypes, phenotype, search: { ...GEMMA_SEARCH, nRegion: 20 } });
 * ```
 */
export const GEMMA_SEARCH: LambdaSearch = { lMin: 1e-5, lMax: 1e5, nRegion: 10 };

/** The functions CalcLambda needs for one criterion (REML or ML). */
export interface LambdaCriterion {
  f(lambda: number): number;
  dev1(lambda: number): number;
  dev12(lambda: number): [number, number];
}

/** Result of the λ search: the maximiser and the criterion there (NaN, NaN when Newton failed, as in GEMMA). */
export interface LambdaEstimate {
  lambda: number;
  logf: number;
}

/**
 * The grid points of the search, computed exactly as GEMMA computes its interval ends.
 *
 * @example
 * ```ts
 * lambdaGrid(GEMMA_SEARCH); // [1e-5, 1e-4, …, 1e5]
 * ```
 */
export function lambdaGrid(search: LambdaSearch): Float64Array {
  const { lMin, lMax, nRegion } = search;
  const step = Math.log(lMax / lMin) / nRegion;
  const g = new Float64Array(nRegion + 1);
  for (let i = 0; i <= nRegion; i++) g[i] = lMin * Math.exp(step * i);
  return g;
}

/**
 * GEMMA's CalcLambda. `gridDev1` (optional) holds dev1 at the {@link lambdaGrid} points and `fEnds` the criterion
 * at lMin and lMax, when they were computed in bulk for many SNPs; otherwise they are evaluated here.
 *
 * @example
 * ```ts
 * const est = calcLambda(criterion, GEMMA_SEARCH); // { lambda, logf }
 * ```
 */
export function calcLambda(crit: LambdaCriterion, search: LambdaSearch, gridDev1?: ArrayLike<number>, fEnds?: [number, number]): LambdaEstimate {
  const { lMin, lMax, nRegion } = search;
  const grid = lambdaGrid(search);
  const dev = gridDev1 ?? Array.from(grid, (l) => crit.dev1(l));
  const regions: number[] = [];
  for (let i = 0; i < nRegion; i++) if (dev[i] * dev[i + 1] <= 0) regions.push(i);
  const endF = () => fEnds ?? [crit.f(lMin), crit.f(lMax)];
  if (regions.length === 0) {
    const [fl, fh] = endF();
    return fl >= fh ? { lambda: lMin, logf: fl } : { lambda: lMax, logf: fh };
  }
  const brent = new BrentSolver((l) => crit.dev1(l));
  const newton = new NewtonSolver((l) => crit.dev12(l));
  const maxIter = 100;
  let iter = 0;
  let lambda = NaN, logf = NaN;
  for (let k = 0; k < regions.length; k++) {
    const r = regions[k];
    brent.set(grid[r], grid[r + 1], gridDev1?.[r], gridDev1?.[r + 1]);
    let l = 0;
    let status: number;
    do {
      iter++;
      status = brent.iterate();
      if (status !== GSL_SUCCESS && status !== GSL_CONTINUE) break;
      l = brent.root;
      status = testInterval(brent.lower, brent.upper, 0, 1e-1);
    } while (status === GSL_CONTINUE && iter < maxIter);
    iter = 0;
    newton.set(l);
    let lTemp = 0;
    do {
      iter++;
      status = newton.iterate();
      if (status !== GSL_SUCCESS && status !== GSL_CONTINUE) break;
      lTemp = l;
      l = newton.root;
      status = testDelta(l, lTemp, 0, 1e-5);
    } while (status === GSL_CONTINUE && iter < maxIter && l > lMin && l < lMax);
    if (status !== GSL_SUCCESS) return { lambda: NaN, logf: NaN };
    l = lTemp;
    if (l < lMin) l = lMin;
    if (l > lMax) l = lMax;
    const fl = crit.f(l);
    if (k === 0 || logf < fl) { logf = fl; lambda = l; }
  }
  const [fl, fh] = endF();
  if (fl > logf) { lambda = lMin; logf = fl; }
  if (fh > logf) { lambda = lMax; logf = fh; }
  return { lambda, logf };
}
