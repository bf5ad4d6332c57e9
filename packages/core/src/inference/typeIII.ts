// The type-III hypothesis of each fixed-effect term, as lmerTest 3.1 builds it
// (`get_contrasts_type3`): with one term (or one column) the type-I contrasts from the Doolittle
// factorisation of X'X; otherwise lmerTest's `extract_contrasts_type3` for treatment coding:
// L = zapsmall(t(ginv(X) rdX)) with rdX the full-indicator ("rank-deficient") model matrix, columns of
// each term orthogonalised against the terms that contain it (higher orders first), then the rows
// named like X's columns. Each term's matrix has one row per hypothesis and one column per
// fixed effect.
import { designOf } from "../model/state.js";
import { buildModelMatrix, type ModelMatrixCoding, type ModelMatrix, type VariableCoding } from "../frame/modelMatrix.js";
import { frameSource } from "../frame/random.js";
import { independentColumns, selectColumns } from "../frame/rank.js";
import type { LinearMixedModel } from "../model/LinearMixedModel.js";
import { leastSquaresResiduals, zapsmall } from "../numerics/dense/matrices.js";
import { NotAggregableError } from "../errors/aggregate.js";

/**
 * The hypothesis matrix of one model term.
 *
 * @example
 * ```ts
 * const [{ term, L, rows }]: TermContrast[] = typeIIIContrasts(model);
 * ```
 */
export interface TermContrast {
  /** Term label as R writes it (`Days`, `A:B`). */
  term: string;
  /** rows × p, row-major. */
  L: Float64Array;
  rows: number;
}

/**
 * Type-III contrast matrices of every fixed-effect term (intercept excluded), lmerTest's choice.
 *
 * @example
 * ```ts
 * typeIIIContrasts(model); // [{ term: "Days", L: [0, 1], rows: 1 }]
 * ```
 */
export function typeIIIContrasts(model: LinearMixedModel): TermContrast[] {
  const design = designOf(model);
  const frame = design.frame;
  return typeIIIContrastsOf({
    X: design.X,
    crossProduct: () => crossProduct(design.X),
    build: (coding) => buildModelMatrix(coding, frame.n, frameSource(frame)),
    independent: (full) => independentColumns(full, design.order),
    rowsAreSynthetic: false,
  });
}

/**
 * What the type-III contrasts read of a fit: its fixed-effect columns (names, terms, coding), X'X
 * of the rows used, and a builder of other codings of the same terms on the same rows as X's. A fit
 * from sums has no rows: its X and builder are over synthetic rows that vary every variable
 * independently (`rowsAreSynthetic`), which gives the real rows' least-squares maps exactly when
 * those maps are identities of the coding (every full-indicator column in the span of X's columns);
 * otherwise the contrasts depend on the rows and are refused.
 */
export interface TypeIIIDesign {
  X: ModelMatrix;
  crossProduct: () => Float64Array;
  build: (coding: ModelMatrixCoding) => ModelMatrix;
  independent: (full: ModelMatrix) => number[];
  rowsAreSynthetic: boolean;
}

/**
 * The type-III contrasts of any {@link TypeIIIDesign} (see {@link typeIIIContrasts}).
 *
 * @throws {@link NotAggregableError} for synthetic rows when a term's contrasts depend on the data
 *   (a full-indicator column outside the span of the model's columns, as when the rows alias a column
 *   the fit dropped).
 */
export function typeIIIContrastsOf(design: TypeIIIDesign): TermContrast[] {
  const X = design.X;
  const terms = X.coding.terms;
  if (X.p <= 1 || terms.length <= 1) return typeIContrasts(X, design.crossProduct);
  const codings = terms.flatMap((t) => t.variables).filter((v) => v.kind === "contrasts" || v.kind === "indicators");
  if (codings.length > 0 && codings.every((v) => v.kind !== "contrasts" || (v.contrast ?? "treatment") === "treatment")) return extractType3(design, X);
  return mappedType3(design, X);
}

/**
 * lmerTest's route for other codings (sum, Helmert, polynomial; or no factor at all): the type-III
 * contrasts of the same model coded with treatment contrasts (aliased columns dropped), mapped to
 * the model's coding by zapsmall(ginv(X_treatment) X).
 */
function mappedType3(design: TypeIIIDesign, X: ModelMatrix): TermContrast[] {
  const treatment: ModelMatrixCoding = {
    intercept: X.coding.intercept,
    terms: X.coding.terms.map((t) => ({ label: t.label, variables: t.variables.map((v): VariableCoding => (v.kind === "contrasts" ? { label: v.label, kind: "contrasts", levels: v.levels } : v)) })),
  };
  const full = design.build(treatment);
  const keep = design.independent(full);
  const Xt = keep.length === full.p ? full : selectColumns(full, keep);
  const type3 = extractType3(design, Xt);
  if (design.rowsAreSynthetic) checkSpan(Xt, X, "the model's coding");
  const map = zapsmall(leastSquaresCoefficients(Xt, X));
  const p = X.p, pt = Xt.p;
  return type3.map((t) => {
    const L = new Float64Array(t.rows * p);
    for (let r = 0; r < t.rows; r++) {
      for (let c = 0; c < p; c++) {
        let s = 0;
        for (let k = 0; k < pt; k++) s += t.L[r * pt + k] * map[k * p + c];
        L[r * p + c] = s;
      }
    }
    return { term: t.term, L, rows: t.rows };
  });
}

/** X'X of a model matrix (column-major). */
function crossProduct(X: ModelMatrix): Float64Array {
  const { p, n, data } = X;
  const xtx = new Float64Array(p * p);
  for (let a = 0; a < p; a++) for (let b = 0; b < p; b++) {
    let s = 0;
    for (let i = 0; i < n; i++) s += data[a * n + i] * data[b * n + i];
    xtx[a * p + b] = s;
  }
  return xtx;
}

/**
 * Refuses (synthetic rows) when a column of Y is not a linear combination of X's columns: then
 * ginv(X) Y depends on the rows, which a fit from sums does not have.
 */
function checkSpan(X: ModelMatrix, Y: ModelMatrix, what: string): void {
  const res = leastSquaresResiduals(X.data, X.n, X.p, Y.data, Y.p);
  for (let c = 0; c < Y.p; c++) {
    let r = 0, y = 0;
    for (let i = 0; i < Y.n; i++) {
      r += res[c * Y.n + i] ** 2;
      y += Y.data[c * Y.n + i] ** 2;
    }
    if (Math.sqrt(r) > SPAN_TOLERANCE * Math.max(Math.sqrt(y), 1)) {
      throw new NotAggregableError(`the type III test of ${Y.names[c]}`, `its hypothesis (lmerTest's contrasts from ${what}) depends on the rows, since the column is a combination of the model's columns only on these rows (a column they alias was dropped)`);
    }
  }
}

/** Relative residual norm below which a synthetic column counts as in the span (rounding of a few hundred rows). */
const SPAN_TOLERANCE = 1e-8;

/** lmerTest's `get_contrasts_type1`: rows of t(L) of the Doolittle factorisation X'X = L U, per term. */
function typeIContrasts(X: ModelMatrix, crossProductOfRows: () => Float64Array): TermContrast[] {
  const { p } = X;
  if (p === 0 || (p === 1 && X.coding.intercept)) return [];
  let Lt: Float64Array;
  if (p === 1) Lt = Float64Array.of(1);
  else {
    const xtx = crossProductOfRows();
    const L = doolittleL(xtx, p);
    Lt = new Float64Array(p * p);
    for (let i = 0; i < p; i++) for (let j = 0; j < p; j++) Lt[i * p + j] = L[j * p + i];
  }
  return X.coding.terms.map((t, ti) => {
    const cols = columnsOf(X, ti);
    const L = new Float64Array(cols.length * p);
    cols.forEach((c, r) => L.set(Lt.subarray(c * p, (c + 1) * p), r * p));
    return { term: t.label, L, rows: cols.length };
  });
}

/** lmerTest's `doolittle(x)$L` (unit lower triangular), entries below 1e-6 set to 0 as lmerTest does. */
function doolittleL(x: Float64Array, n: number, eps = 1e-6): Float64Array {
  const L = new Float64Array(n * n), U = new Float64Array(n * n);
  for (let i = 0; i < n; i++) L[i * n + i] = 1;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      let u = x[i * n + j];
      for (let k = 0; k < i; k++) u -= L[i * n + k] * U[k * n + j];
      U[i * n + j] = u;
    }
    for (let j = i + 1; j < n; j++) {
      let l = x[j * n + i];
      for (let k = 0; k < i; k++) l -= L[j * n + k] * U[k * n + i];
      L[j * n + i] = Math.abs(U[i * n + i]) < eps ? 0 : l / U[i * n + i];
    }
  }
  for (let i = 0; i < n * n; i++) if (Math.abs(L[i]) < eps) L[i] = 0;
  return L;
}

function extractType3(design: TypeIIIDesign, X: ModelMatrix): TermContrast[] {
  const { p } = X;
  const rdX = design.build(fullIndicatorCoding(X.coding));
  if (design.rowsAreSynthetic) checkSpan(X, rdX, "the full-indicator coding");
  const m = rdX.p;
  // ginv(X) rdX: least-squares coefficients of every rdX column on X (X has full column rank).
  const coef = leastSquaresCoefficients(X, rdX);
  // L (m × p, row-major): rows are rdX's parameters, columns X's.
  let L = zapsmall(transposeRowMajor(coef, p, m));
  const termCols = X.coding.terms.map((_, t) => columnsOf(X, t));
  const contained = containment(X.coding);
  const order = X.coding.terms.map((t, i) => ({ i, order: t.variables.length })).sort((a, b) => b.order - a.order || a.i - b.i);
  for (const { i } of order) {
    const containers = contained[i];
    if (containers.length === 0) continue;
    const xcols = containers.flatMap((t) => termCols[t]);
    const ycols = termCols[i];
    const xs = new Float64Array(m * xcols.length), ys = new Float64Array(m * ycols.length);
    xcols.forEach((c, k) => { for (let r = 0; r < m; r++) xs[k * m + r] = L[r * p + c]; });
    ycols.forEach((c, k) => { for (let r = 0; r < m; r++) ys[k * m + r] = L[r * p + c]; });
    const res = zapsmall(leastSquaresResiduals(xs, m, xcols.length, ys, ycols.length));
    L = Float64Array.from(L);
    ycols.forEach((c, k) => { for (let r = 0; r < m; r++) L[r * p + c] = res[k * m + r]; });
  }
  // Keep the rows named like X's columns, in X's order.
  const rowOf = new Map(rdX.names.map((name, r) => [name, r]));
  const keep = X.names.map((name) => rowOf.get(name));
  return X.coding.terms.map((t, ti) => {
    const rowsOut: Float64Array[] = [];
    for (const c of termCols[ti]) {
      const row = Float64Array.from(keep, (r) => (r === undefined ? 0 : L[r * p + c]));
      if (row.reduce((s, v) => s + Math.abs(v), 0) > 1e-8) rowsOut.push(row);
    }
    const out = new Float64Array(rowsOut.length * p);
    rowsOut.forEach((r, i) => out.set(r, i * p));
    return { term: t.label, L: out, rows: rowsOut.length };
  });
}

/** lmerTest's `get_rdX` coding: intercept, then each term coded `~ 0 + term` (every factor by indicators). */
function fullIndicatorCoding(coding: ModelMatrixCoding): ModelMatrixCoding {
  return {
    intercept: coding.intercept,
    terms: coding.terms.map((t) => ({
      label: t.label,
      variables: t.variables.map((v): VariableCoding => (v.kind === "numeric" || v.kind === "matrix" ? v : { label: v.label, kind: "indicators", levels: v.levels })),
    })),
  };
}

/** lmerTest's `containment`: terms whose variables strictly include this term's, with the same numeric variables. */
function containment(coding: ModelMatrixCoding): number[][] {
  const vars = coding.terms.map((t) => t.variables.map((v) => v.label));
  const numerics = coding.terms.map((t) => t.variables.filter((v) => v.kind === "numeric" || v.kind === "matrix").map((v) => v.label).sort().join("\u0000"));
  return coding.terms.map((_, i) =>
    coding.terms.flatMap((_, j) => (vars[i].every((v) => vars[j].includes(v)) && vars[j].some((v) => !vars[i].includes(v)) && numerics[i] === numerics[j] ? [j] : [])),
  );
}

function columnsOf(X: ModelMatrix, term: number): number[] {
  const out: number[] = [];
  X.assign.forEach((a, c) => a === term && out.push(c));
  return out;
}

/** (X'X)⁻¹X'Y by modified Gram–Schmidt QR of X (n × p, column-major); Y n × m column-major → p × m row-major. */
function leastSquaresCoefficients(X: ModelMatrix, Y: ModelMatrix): Float64Array {
  const { n, p } = X;
  const Q = Float64Array.from(X.data);
  const R = new Float64Array(p * p);
  for (let j = 0; j < p; j++) {
    const qj = Q.subarray(j * n, (j + 1) * n);
    for (let pass = 0; pass < 2; pass++) {
      for (let k = 0; k < j; k++) {
        const qk = Q.subarray(k * n, (k + 1) * n);
        let s = 0;
        for (let i = 0; i < n; i++) s += qk[i] * qj[i];
        R[k * p + j] += s;
        for (let i = 0; i < n; i++) qj[i] -= s * qk[i];
      }
    }
    let norm = 0;
    for (let i = 0; i < n; i++) norm += qj[i] * qj[i];
    norm = Math.sqrt(norm);
    R[j * p + j] = norm;
    for (let i = 0; i < n; i++) qj[i] /= norm;
  }
  const m = Y.p;
  const out = new Float64Array(p * m);
  for (let c = 0; c < m; c++) {
    const y = Y.data.subarray(c * n, (c + 1) * n);
    const b = new Float64Array(p);
    for (let k = 0; k < p; k++) {
      let s = 0;
      for (let i = 0; i < n; i++) s += Q[k * n + i] * y[i];
      b[k] = s;
    }
    for (let k = p - 1; k >= 0; k--) {
      let s = b[k];
      for (let t = k + 1; t < p; t++) s -= R[k * p + t] * b[t];
      b[k] = s / R[k * p + k];
    }
    for (let k = 0; k < p; k++) out[k * m + c] = b[k];
  }
  return out;
}

function transposeRowMajor(a: Float64Array, rows: number, cols: number): Float64Array {
  const out = new Float64Array(rows * cols);
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) out[j * rows + i] = a[i * cols + j];
  return out;
}
