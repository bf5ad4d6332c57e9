// Tests of linear combinations of the fixed effects: a t test for one contrast vector, an F test
// for a matrix, with Satterthwaite, Kenward–Roger or residual denominator df (lmerTest's
// `contest`, `contest1D`, `contestMD`).
import type { LinearMixedModel } from "../model/LinearMixedModel.js";
import { pfUpper, pt2 } from "../numerics/distributions.js";
import { matMul, quadForm, transpose, inverse } from "../numerics/dense/matrices.js";
import { ContrastError } from "./errors.js";
import { kenwardRogerAdjustment, kenwardRogerTest } from "./kenwardRoger.js";
import { satterthwaiteF, satterthwaiteState, satterthwaiteT, type DerivativeMethod, type FTest, type TTest } from "./satterthwaite.js";

export type { FTest, TTest } from "./satterthwaite.js";

/**
 * Denominator degrees-of-freedom method for t and F tests of fixed effects.
 *
 * @example
 * ```ts
 * const ddf: DdfMethod = "kenward-roger";
 * ```
 */
export type DdfMethod = "satterthwaite" | "kenward-roger" | "residual";

/**
 * Options of the tests.
 *
 * @example
 * ```ts
 * coefficients(model, { ddf: "satterthwaite", derivatives: "numeric" } satisfies TestOptions);
 * ```
 */
export interface TestOptions {
  /** Denominator df: `"satterthwaite"` (default, lmerTest's), `"kenward-roger"` or `"residual"` (n − p). */
  ddf?: DdfMethod;
  /**
   * Satterthwaite only: exact derivatives (q-space algebra), central differences over θ, or
   * `"auto"` (default): exact up to 400 random effects.
   */
  derivatives?: DerivativeMethod;
}

/**
 * A contrast given as one vector (t test) or as rows (F test).
 *
 * @example
 * ```ts
 * const L: Contrast = [[0, 1, 0], [0, 0, 1]];
 * ```
 */
export type Contrast = ArrayLike<number> | ArrayLike<ArrayLike<number>>;

/**
 * Tests H₀: Lβ = 0. A vector L gives a t test (lmerTest's `contest1D`), a matrix (array of rows)
 * an F test (`contestMD`; with Kenward–Roger, pbkrtest's scaled F).
 *
 * @throws {@link ContrastError} when a row does not have one value per fixed effect or holds a
 *   non-finite value, or the rows are linearly dependent (Kenward–Roger).
 *
 * @example
 * ```ts
 * contrastTest(model, [0, 1]);                       // { estimate, stdError, df, statistic, pValue }
 * contrastTest(model, [[0, 1, 0], [0, 0, 1]], { ddf: "kenward-roger" }); // { numDf, denDf, F, pValue, … }
 * ```
 */
export function contrastTest(model: LinearMixedModel, L: ArrayLike<number>, options?: TestOptions): TTest;
export function contrastTest(model: LinearMixedModel, L: ArrayLike<ArrayLike<number>>, options?: TestOptions): FTest;
export function contrastTest(model: LinearMixedModel, L: Contrast, options: TestOptions = {}): TTest | FTest {
  const p = model.beta.length;
  if (L == null || typeof (L as ArrayLike<unknown>).length !== "number") throw new ContrastError(-1, `expected a vector of ${p} values or an array of such rows`);
  const first = (L as ArrayLike<unknown>)[0];
  if (typeof first === "number" || (L as ArrayLike<unknown>).length === 0) return tTest(model, contrastRow(L as ArrayLike<number>, p, -1), options);
  const rows = Array.from(L as ArrayLike<ArrayLike<number>>, (row, i) => contrastRow(row, p, i));
  if (rows.length === 0) throw new ContrastError(-1, "no rows");
  const flat = new Float64Array(rows.length * p);
  rows.forEach((r, i) => flat.set(r, i * p));
  return fTest(model, flat, rows.length, options);
}

/** t test of L'β = 0 with the chosen df (the engine of `coefficients` and `contrastTest`). */
export function tTest(model: LinearMixedModel, L: Float64Array, options: TestOptions = {}): TTest {
  const ddf = options.ddf ?? "satterthwaite";
  const p = model.beta.length;
  if (ddf === "satterthwaite") return satterthwaiteT(model, satterthwaiteState(model, options.derivatives), L);
  let estimate = 0;
  for (let j = 0; j < p; j++) estimate += L[j] * model.beta[j];
  if (ddf === "kenward-roger") {
    const adj = kenwardRogerAdjustment(model);
    const se = Math.sqrt(quadForm(L, adj.phiA, p));
    const df = kenwardRogerTest(adj, L, 1, model.beta).denDf;
    const statistic = estimate / se;
    return { estimate, stdError: se, df, statistic, pValue: pt2(statistic, df) };
  }
  if (ddf === "residual") {
    const se = Math.sqrt(quadForm(L, model.vcov(), p));
    const df = model.nobs - p;
    const statistic = estimate / se;
    return { estimate, stdError: se, df, statistic, pValue: pt2(statistic, df) };
  }
  throw new ContrastError(-1, `unknown ddf method ${JSON.stringify(ddf)}; expected "satterthwaite", "kenward-roger" or "residual"`);
}

/** F test of Lβ = 0 (L rows × p, row-major) with the chosen df. */
export function fTest(model: LinearMixedModel, L: Float64Array, rows: number, options: TestOptions = {}): FTest {
  const ddf = options.ddf ?? "satterthwaite";
  const p = model.beta.length;
  const s2 = model.sigma * model.sigma;
  if (ddf === "satterthwaite") return satterthwaiteF(model, satterthwaiteState(model, options.derivatives), L, rows);
  if (ddf === "kenward-roger") {
    const kr = kenwardRogerTest(kenwardRogerAdjustment(model), L, rows, model.beta);
    // lmerTest's table: mean square from the unscaled F, the F column scaled.
    return { sumSq: kr.unscaledF * s2 * kr.numDf, meanSq: kr.unscaledF * s2, numDf: kr.numDf, denDf: kr.denDf, F: kr.F, pValue: kr.pValue };
  }
  if (ddf === "residual") {
    const V = model.vcov();
    const LVL = matMul(matMul(L, V, rows, p, p), transpose(L, rows, p), rows, p, rows);
    const inv = inverse(LVL, rows);
    if (!inv) throw new ContrastError(-1, "the rows of L are linearly dependent (L Var(β̂) L' is singular)");
    const Lb = matMul(L, model.beta, rows, p, 1);
    const F = quadForm(Lb, inv, rows) / rows;
    const denDf = model.nobs - p;
    return { sumSq: F * s2 * rows, meanSq: F * s2, numDf: rows, denDf, F, pValue: pfUpper(F, rows, denDf) };
  }
  throw new ContrastError(-1, `unknown ddf method ${JSON.stringify(ddf)}; expected "satterthwaite", "kenward-roger" or "residual"`);
}

function contrastRow(row: ArrayLike<number>, p: number, index: number): Float64Array {
  if (row == null || typeof row.length !== "number") throw new ContrastError(index, `expected ${p} numbers (one per fixed effect)`);
  if (row.length !== p) throw new ContrastError(index, `has ${row.length} values; the model has ${p} fixed effects`);
  const out = new Float64Array(p);
  for (let j = 0; j < p; j++) {
    const v = row[j];
    if (typeof v !== "number" || !Number.isFinite(v)) throw new ContrastError(index, `value ${j + 1} is ${String(v)}, not a finite number`);
    out[j] = v;
  }
  return out;
}
