import { FormulaTermError } from "../errors/formula.js";
import { ResponseError } from "../errors/data.js";
import { buildModelMatrix, checkFixedSize, codeTerms, type ModelMatrix } from "../frame/modelMatrix.js";
import { buildModelFrame, type ModelFrame } from "../frame/ModelFrame.js";
import { buildRandomTerms, frameSource, type RandomTermMatrix } from "../frame/random.js";
import { independentColumns, selectColumns } from "../frame/rank.js";
import { canonicalOrder, tieRuns } from "../frame/order.js";
import type { DataColumns, FrameOptions } from "../frame/data.js";
import type { KnownCovariance } from "../frame/knownCovariance.js";
import { CovarianceMatrixError } from "../errors/covariance.js";
import { parseFormula } from "../formula/parse.js";
import { expandFormula } from "../formula/terms.js";
import { ReMat, type ReTerm } from "./ReMat.js";
import { ThetaLayout } from "./theta.js";
import { initialDispersion, type DispersionDesign } from "./dispersion.js";

/** A problem worth telling the user that does not stop the fit, with a stable code. */
export interface FitWarning {
  code: "RANK_DEFICIENT" | "SINGULAR" | "CONVERGENCE" | "HESSIAN" | "OPTIMIZER" | "ZERO_WEIGHTS";
  message: string;
}

/**
 * Everything about a model that does not depend on the response values or on θ: the frame, the
 * fixed-effects matrix (aliased columns removed), the random-effects terms in lme4's order and
 * their ReMats. Immutable and shared by every fit and refit on the same design.
 */
export interface LmmDesign {
  formula: string;
  frame: ModelFrame;
  /** Fixed-effects model matrix after dropping aliased columns. */
  X: ModelMatrix;
  /** Names of the fixed-effect columns dropped as linear combinations of earlier ones. */
  droppedColumns: string[];
  /** Random terms in lme4's order (decreasing number of levels, stable). */
  randomTerms: RandomTermMatrix[];
  /** One ReMat per grouping factor, in the same order. */
  reterms: ReMat[];
  theta: ThetaLayout;
  warnings: FitWarning[];
  /** Canonical order of the observations by X and Z (see `canonicalOrder`): every sum over them runs in it. */
  order: Int32Array;
  /** Runs of `order` equal in X and Z, refined by the response for sums involving it (`responseOrder`). */
  ties: Int32Array;
  /** Prior weights over the rows used (null: all 1); every sum over observations is weighted by them. */
  weights: Float64Array | null;
  /** The offset over the rows used (null: none): fits use the response minus it. */
  offset: Float64Array | null;
  /**
   * The dispersion factor (null: one residual variance): a residual variance σ²δ²_g per level, with
   * the δ that `weights` include (all 1 as built; a fitted model's design holds δ̂).
   */
  dispersion: DispersionDesign | null;
}

/** Options of {@link buildLmmDesign}: the frame's, plus known covariances of random terms. */
export interface DesignOptions extends FrameOptions {
  /**
   * Known covariance matrices by grouping factor: `{ id: { ids, matrix } }` makes `(1 | id)` a term
   * with Var(b) = σ²_g K (a genetic relationship matrix, say).
   */
  covariance?: Readonly<Record<string, KnownCovariance>>;
}

/**
 * Parses the formula, builds the model frame and the design matrices, and lays out θ.
 *
 * @example
 * ```ts
 * const design = buildLmmDesign("Reaction ~ Days + (Days | Subject)", sleepstudy);
 * design.theta.names; // ["Subject.(Intercept)", "Subject.Days.(Intercept)", "Subject.Days"]
 * ```
 */
export function buildLmmDesign(formula: string, data: DataColumns, options: DesignOptions = {}): LmmDesign {
  const spec = expandFormula(parseFormula(formula), { maxTerms: Math.max(1, dataRows(data)) });
  if (!spec.response) throw new FormulaTermError(formula, "a model needs a response left of '~'");
  const response = spec.response.label;
  const rhs = [...spec.fixed.terms.flat(), ...spec.random.flatMap((r) => [...r.lhs.terms.flat(), ...r.group])];
  if (rhs.includes(response)) throw new FormulaTermError(formula, `the response ${response} also appears right of '~'`);
  if (spec.random.length === 0) throw new FormulaTermError(formula, "no random-effects terms; add one such as (1 | group)");
  const frame = buildModelFrame(spec, data, options);
  const covariance = options.covariance ?? {};
  for (const group of Object.keys(covariance)) {
    const uses = spec.random.filter((r) => r.groupLabel === group).length;
    if (uses === 0) throw new CovarianceMatrixError(group, `no random term of the formula has grouping factor ${JSON.stringify(group)}`);
    if (uses > 1) throw new CovarianceMatrixError(group, "only one random term (1 | id) may use a known covariance");
  }
  if (!frame.y) throw new ResponseError(spec.response.column, "is missing");
  const source = frameSource(frame);
  const coding = codeTerms(spec.fixed, source, frame.contrasts);
  checkFixedSize(coding, frame.n);
  const full = buildModelMatrix(coding, frame.n, source);
  const randomTerms = stableSortByLevels(buildRandomTerms(frame, covariance));
  // The grouping factor with most levels first: it splits the rows soonest, so the sort compares
  // least (any fixed column order gives an order independent of the input's). Weights and offsets
  // enter every sum, so rows that differ in them only must be told apart too.
  const keyColumns = [
    ...randomTerms.map((t) => t.group.codes),
    ...columnsOf(full),
    ...randomTerms.flatMap((t) => columnsOf(t.z)),
    ...(frame.weights ? [frame.weights] : []),
    ...(frame.offset ? [frame.offset] : []),
    ...(frame.dispersion ? [frame.dispersion.codes] : []),
  ];
  const order = canonicalOrder(frame.n, keyColumns);
  const ties = tieRuns(order, keyColumns);
  const keep = independentColumns(full, order);
  const X = keep.length === full.p ? full : selectColumns(full, keep);
  const droppedColumns = full.names.filter((_, j) => !keep.includes(j));
  const warnings: FitWarning[] = [];
  if (droppedColumns.length > 0) warnings.push(rankDeficiency(droppedColumns));

  const zero = frame.dropped.zeroWeight;
  if (zero.length > 0) {
    const shown = zero.slice(0, 10).map((r) => r + 1).join(", ");
    warnings.push({ code: "ZERO_WEIGHTS", message: `${zero.length} row${zero.length > 1 ? "s" : ""} with prior weight 0 left out of the fit (data row${zero.length > 1 ? "s" : ""} ${shown}${zero.length > 10 ? ", …" : ""})` });
  }

  const { reterms, layout } = amalgamate(randomTerms);
  return { formula, frame, X, droppedColumns, randomTerms, reterms, theta: layout, warnings, order, ties, weights: frame.weights, offset: frame.offset, dispersion: initialDispersion(frame.dispersion, frame.weights) };
}

/** lme4's warning for aliased fixed-effect columns, naming them. */
export function rankDeficiency(droppedColumns: string[]): FitWarning {
  const s = droppedColumns.length > 1 ? "s" : "";
  return { code: "RANK_DEFICIENT", message: `fixed-effect model matrix is rank deficient so dropping ${droppedColumns.length} column${s} / coefficient${s}: ${droppedColumns.join(", ")}` };
}

/** The most rows of any column: an upper bound of the rows a model can use, known before reading any. */
function dataRows(data: DataColumns): number {
  if (data == null || typeof data !== "object") return 0;
  let n = 0;
  for (const name of Object.keys(data)) {
    const column = data[name] as ArrayLike<unknown> | null;
    if (column != null && typeof column.length === "number") n = Math.max(n, column.length);
  }
  return n;
}

function columnsOf(m: ModelMatrix): Float64Array[] {
  return Array.from({ length: m.p }, (_, j) => m.data.subarray(j * m.n, (j + 1) * m.n));
}

/** Random terms in lme4's order: decreasing number of levels, stable. */
export function stableSortByLevels(terms: RandomTermMatrix[]): RandomTermMatrix[] {
  return terms
    .map((t, i) => ({ t, i }))
    .sort((a, b) => b.t.group.levels.length - a.t.group.levels.length || a.i - b.i)
    .map(({ t }) => t);
}

/** One ReMat per grouping factor, in order of first appearance among the sorted terms. */
export function amalgamate(terms: RandomTermMatrix[]): { reterms: ReMat[]; layout: ThetaLayout } {
  const byGroup = new Map<string, ReTerm[]>();
  for (const matrix of terms) {
    const list = byGroup.get(matrix.spec.groupLabel) ?? [];
    const offset = list.reduce((s, t) => s + t.k, 0);
    list.push({ matrix, offset, k: matrix.z.p });
    byGroup.set(matrix.spec.groupLabel, list);
  }
  const reterms = [...byGroup.entries()].map(([label, list]) => new ReMat(label, list));
  const rematOf = new Map(reterms.map((r) => [r.groupLabel, r]));
  const layout = new ThetaLayout(
    terms.map((matrix) => {
      const remat = rematOf.get(matrix.spec.groupLabel)!;
      const term = remat.terms.find((t) => t.matrix === matrix)!;
      return { remat, index: reterms.indexOf(remat), offset: term.offset, k: term.k, tied: matrix.structure !== undefined };
    }),
    reterms,
  );
  return { reterms, layout };
}
