// Checks that two models can be compared by a likelihood-ratio test: fitted to the same rows and
// response, and the smaller one a special case of the larger (fixed-effect columns in the span of
// the larger model's, each random term representable by one random term of the larger model).
import { designOf } from "../model/state.js";
import type { LinearMixedModel } from "../model/LinearMixedModel.js";
import { leastSquaresResiduals } from "../numerics/dense/matrices.js";
import { DifferentDataError, NotNestedError } from "./errors.js";

/** Relative residual norm below which a column counts as in the span of others. */
const SPAN_TOLERANCE = 1e-7;

/**
 * Throws unless both models used the same data rows and the same response values.
 *
 * @throws {@link DifferentDataError} naming what differs.
 */
export function checkSameData(a: LinearMixedModel, b: LinearMixedModel): void {
  const fa = designOf(a).frame, fb = designOf(b).frame;
  if (fa.nRows !== fb.nRows) throw new DifferentDataError(`the data have ${fa.nRows} and ${fb.nRows} rows`);
  if (a.nobs !== b.nobs) throw new DifferentDataError(`${a.nobs} and ${b.nobs} observations were used (rows with missing values differ)`);
  for (let i = 0; i < fa.rows.length; i++) {
    if (fa.rows[i] !== fb.rows[i]) throw new DifferentDataError(`data row ${fa.rows[i] + 1} is used by one model only`);
  }
  const ya = a.response, yb = b.response;
  for (let i = 0; i < ya.length; i++) {
    if (ya[i] !== yb[i]) throw new DifferentDataError(`the responses differ at data row ${fa.rows[i] + 1} (${ya[i]} vs ${yb[i]})`);
  }
  for (const [what, va, vb] of [["prior weights", priorWeights(designOf(a)), priorWeights(designOf(b))], ["offsets", designOf(a).offset, designOf(b).offset]] as const) {
    if (!va && !vb) continue;
    for (let i = 0; i < ya.length; i++) {
      const x = va ? va[i] : what === "offsets" ? 0 : 1, y = vb ? vb[i] : what === "offsets" ? 0 : 1;
      if (x !== y) throw new DifferentDataError(`the ${what} differ at data row ${fa.rows[i] + 1} (${x} vs ${y})`);
    }
  }
}

/**
 * Throws unless `small` is nested in `large` (both fitted to the same rows).
 *
 * @throws {@link NotNestedError} naming the first column or term of `small` that `large` cannot represent.
 */
export function checkNested(small: LinearMixedModel, large: LinearMixedModel): void {
  const n = small.nobs;
  const Xs = designOf(small).X, Xl = designOf(large).X;
  const res = leastSquaresResiduals(Xl.data, n, Xl.p, Xs.data, Xs.p);
  for (let j = 0; j < Xs.p; j++) {
    if (!inSpan(Xs.data.subarray(j * n, (j + 1) * n), res.subarray(j * n, (j + 1) * n))) throw new NotNestedError("fixed", Xs.names[j], small.formula, large.formula);
  }
  const largeTerms = termColumns(large);
  for (const t of termColumns(small)) {
    const ok = largeTerms.some((u) => samePartition(t.codes, u.codes) && spans(u.columns, t.columns, n));
    if (!ok) throw new NotNestedError("random", t.label, small.formula, large.formula);
  }
}

interface TermColumns {
  label: string;
  codes: Int32Array;
  /** The term's k columns of Z (before Λ), each over the n rows. */
  columns: Float64Array[];
}

function termColumns(model: LinearMixedModel): TermColumns[] {
  return designOf(model).theta.terms.map((t) => {
    const re = t.remat, n = re.refs.length;
    const names = re.columnNames.slice(t.offset, t.offset + t.k);
    const columns = names.map((_, c) => Float64Array.from({ length: n }, (_, i) => re.z[i * re.k + t.offset + c]));
    const rest = names.filter((c) => c !== "(Intercept)");
    const lhs = rest.length === names.length ? `0 + ${rest.join(" + ")}` : rest.join(" + ") || "1";
    const label = `(${lhs} | ${re.groupLabel})`;
    return { label, codes: re.refs, columns };
  });
}

/** Whether two codings split the rows into the same groups (up to the labels). */
function samePartition(a: Int32Array, b: Int32Array): boolean {
  const ab = new Map<number, number>(), ba = new Map<number, number>();
  for (let i = 0; i < a.length; i++) {
    const x = ab.get(a[i]), y = ba.get(b[i]);
    if (x === undefined) ab.set(a[i], b[i]);
    else if (x !== b[i]) return false;
    if (y === undefined) ba.set(b[i], a[i]);
    else if (y !== a[i]) return false;
  }
  return true;
}

function spans(basis: Float64Array[], targets: Float64Array[], n: number): boolean {
  const x = new Float64Array(n * basis.length), y = new Float64Array(n * targets.length);
  basis.forEach((c, j) => x.set(c, j * n));
  targets.forEach((c, j) => y.set(c, j * n));
  const res = leastSquaresResiduals(x, n, basis.length, y, targets.length);
  return targets.every((c, j) => inSpan(c, res.subarray(j * n, (j + 1) * n)));
}

function inSpan(column: ArrayLike<number>, residual: ArrayLike<number>): boolean {
  let a = 0, r = 0;
  for (let i = 0; i < column.length; i++) {
    a += column[i] * column[i];
    r += residual[i] * residual[i];
  }
  return Math.sqrt(r) <= SPAN_TOLERANCE * Math.max(Math.sqrt(a), 1e-300);
}

/** The prior weights alone: a dispersion model's design weights also hold 1/δ̂² (a parameter, not data). */
function priorWeights(design: ReturnType<typeof designOf>): Float64Array | null {
  return design.dispersion ? design.dispersion.priorWeights : design.weights;
}
