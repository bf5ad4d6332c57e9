import { BasisError } from "../../errors/data.js";
import { SplineBasis } from "./splineDesign.js";

/** What `ns()` / `bs()` learned from the data (what R's `makepredictcall` puts in the call). */
export interface SplineKnots {
  /** Interior knots (sorted). */
  knots: number[];
  boundary: [number, number];
  intercept: boolean;
  degree: number;
}

/** The options of `ns(x, df, knots, intercept, Boundary.knots)` or `bs(…, degree, …)`. */
export interface SplineOptions {
  df: number | null;
  knots: number[] | null;
  intercept: boolean;
  degree: number;
  boundary: [number, number] | null;
}

/**
 * Places the knots as R's `ns` and `bs` do: boundary knots at the range of x (unless given),
 * interior knots at the quantiles (type 7) of the values inside them, equally spaced in
 * probability, as many as df asks for (`df − 1 − intercept` for ns, `df − degree − 1 + 1 −
 * intercept` for bs), unless `knots` are given.
 */
export function learnKnots(sorted: Float64Array, fn: "ns" | "bs", o: SplineOptions, label: string): SplineKnots {
  const inside = o.boundary ? sorted.filter((v) => v >= o.boundary![0] && v <= o.boundary![1]) : sorted;
  return knotsFromOrderStatistics(fn, o, label, inside.length, (i) => inside[i]);
}

/**
 * {@link learnKnots} from order statistics: `n` values (those inside the boundary knots when these
 * are given, else all) and `at(i)`, the i-th smallest (0-based), asked only at {@link knotRanks}.
 * What an engine that sorts the rows where they are (SQL) gives without sending them.
 */
export function knotsFromOrderStatistics(fn: "ns" | "bs", o: SplineOptions, label: string, n: number, at: (i: number) => number): SplineKnots {
  const boundary: [number, number] = o.boundary ?? [at(0), at(n - 1)];
  if (!(boundary[0] < boundary[1])) throw new BasisError(label, `the boundary knots must differ; the variable takes the single value ${boundary[0]}`);
  const knots = o.knots ?? knotProbabilities(fn, o).map((p) => typeSevenQuantile(n, p, at));
  const outside = knots.find((k) => !(k > boundary[0] && k < boundary[1]));
  if (outside !== undefined) throw new BasisError(label, `knot ${outside} is not inside the boundary knots ${boundary[0]} and ${boundary[1]}`);
  return { knots: [...knots], boundary, intercept: o.intercept, degree: fn === "ns" ? 3 : o.degree };
}

/** The 0-based ranks of the order statistics {@link knotsFromOrderStatistics} reads of n values. */
export function knotRanks(fn: "ns" | "bs", o: SplineOptions, n: number): number[] {
  const ranks = new Set<number>(o.boundary ? [] : [0, n - 1]);
  if (o.knots === null) {
    for (const p of knotProbabilities(fn, o)) {
      const index = 1 + Math.max(n - 1, 0) * p;
      ranks.add(Math.floor(index) - 1).add(Math.ceil(index) - 1);
    }
  }
  return [...ranks].filter((r) => r >= 0 && r < n).sort((a, b) => a - b);
}

/** The probabilities of the interior knots df asks for (none when knots are given). */
function knotProbabilities(fn: "ns" | "bs", o: SplineOptions): number[] {
  if (o.knots !== null) return [];
  const interior = o.df === null ? 0 : fn === "ns" ? o.df - 1 - (o.intercept ? 1 : 0) : o.df - (o.degree + 1) + (o.intercept ? 0 : 1);
  return interior > 0 ? equallySpaced(interior + 2).slice(1, -1) : [];
}

/** R's `seq.int(0, 1, length.out = m)`, computed from both ends as R does. */
function equallySpaced(m: number): number[] {
  const by = 1 / (m - 1);
  return Array.from({ length: m }, (_, i) => (i === 0 ? 0 : i === m - 1 ? 1 : i < Math.floor(m / 2) ? i * by : 1 - (m - 1 - i) * by));
}

/** R's `quantile(x, p)` of type 7 of n sorted values, the i-th (0-based) being at(i). */
function typeSevenQuantile(n: number, p: number, at: (i: number) => number): number {
  const index = 1 + Math.max(n - 1, 0) * p;
  const lo = Math.floor(index), hi = Math.ceil(index);
  const q = at(lo - 1);
  if (!(index > lo && at(hi - 1) !== q)) return q;
  const h = index - lo;
  return (1 - h) * q + h * at(hi - 1);
}

/** The knot sequence of the B-spline basis: the boundary knots repeated degree + 1 times around the interior ones. */
export function allKnots(k: SplineKnots): Float64Array {
  const ord = k.degree + 1;
  const out = [...new Array(ord).fill(k.boundary[0]), ...k.knots, ...new Array(ord).fill(k.boundary[1])];
  return Float64Array.from(out.sort((a, b) => a - b));
}

/** The columns of `bs(x, …)` at x with learned knots (NaN stays NaN), extrapolating as R beyond the boundary. */
export function bsColumns(x: Float64Array, k: SplineKnots): Float64Array[] {
  const ord = k.degree + 1;
  const aknots = allKnots(k);
  const spline = new SplineBasis(aknots, ord);
  const n = x.length, ncoef = spline.ncoef;
  const basis = new Float64Array(n * ncoef).fill(NaN);
  const [lower, upper] = k.boundary;
  const inside: number[] = [];
  const left: number[] = [], right: number[] = [];
  for (let i = 0; i < n; i++) {
    if (Number.isNaN(x[i])) continue;
    if (x[i] < lower) left.push(i);
    else if (x[i] > upper) right.push(i);
    else inside.push(i);
  }
  const rows = spline.design(inside.map((i) => x[i]));
  inside.forEach((i, r) => basis.set(rows.subarray(r * ncoef, (r + 1) * ncoef), i * ncoef));
  // Beyond the boundary: R's Taylor expansion about a pivot a quarter of the way to the next knot.
  const e = 1 / 4;
  const factorial = (m: number): number => (m <= 1 ? 1 : m * factorial(m - 1));
  const taylor = (idx: number[], pivot: number) => {
    if (idx.length === 0) return;
    const derivs = Array.from({ length: ord }, (_, d) => d);
    const tt = spline.design(new Array(ord).fill(pivot), derivs);
    for (const i of idx) {
      for (let c = 0; c < ncoef; c++) {
        let s = 0;
        for (let d = 0; d < ord; d++) s += (d === 0 ? 1 : Math.pow(x[i] - pivot, d)) * (tt[d * ncoef + c] / factorial(d));
        basis[i * ncoef + c] = s;
      }
    }
  };
  taylor(left, (1 - e) * lower + e * aknots[ord]);
  taylor(right, (1 - e) * upper + e * aknots[aknots.length - ord - 1]);
  return columnsOf(basis, n, ncoef, k.intercept ? 0 : 1);
}

/** The columns of `ns(x, …)` at x with learned knots (NaN stays NaN), linear beyond the boundary as R. */
export function nsColumns(x: Float64Array, k: SplineKnots): Float64Array[] {
  const aknots = allKnots(k);
  const spline = new SplineBasis(aknots, 4);
  const n = x.length, ncoef = spline.ncoef;
  const basis = new Float64Array(n * ncoef).fill(NaN);
  const [lower, upper] = k.boundary;
  const inside: number[] = [];
  for (let i = 0; i < n; i++) {
    if (Number.isNaN(x[i])) continue;
    const pivot = x[i] < lower ? lower : x[i] > upper ? upper : null;
    if (pivot === null) {
      inside.push(i);
      continue;
    }
    const tt = spline.design([pivot, pivot], [0, 1]);
    for (let c = 0; c < ncoef; c++) basis[i * ncoef + c] = tt[c] + (x[i] - pivot) * tt[ncoef + c];
  }
  const rows = spline.design(inside.map((i) => x[i]));
  inside.forEach((i, r) => basis.set(rows.subarray(r * ncoef, (r + 1) * ncoef), i * ncoef));
  const { from, width, qty } = naturalProjection(spline, k);
  const row = new Float64Array(width);
  const out = Array.from({ length: width - 2 }, () => new Float64Array(n));
  for (let i = 0; i < n; i++) {
    if (Number.isNaN(x[i])) {
      for (const col of out) col[i] = NaN;
      continue;
    }
    for (let c = 0; c < width; c++) row[c] = basis[i * ncoef + from + c];
    qty(row);
    for (let c = 2; c < width; c++) out[c - 2][i] = row[c];
  }
  return out;
}

/**
 * Natural: second derivatives zero at both boundary knots. R projects the B-spline basis (from
 * column `from`, `width` columns) on the complement of those two constraints with the QR
 * decomposition of their transpose; `qty(row)` maps a row of the basis in place, the ns columns
 * being its entries 2 … width − 1. Linear, so it maps derivatives as it maps values.
 */
export function naturalProjection(spline: SplineBasis, k: SplineKnots): { from: number; width: number; qty: (row: Float64Array) => void } {
  const ncoef = spline.ncoef;
  const from = k.intercept ? 0 : 1;
  const width = ncoef - from;
  const constraint = spline.design(k.boundary, [2, 2]);
  const ct = new Float64Array(width * 2); // column-major width × 2: t(const)
  for (let r = 0; r < 2; r++) for (let c = 0; c < width; c++) ct[r * width + c] = constraint[r * ncoef + from + c];
  return { from, width, qty: householderQr(ct, width, 2).qty };
}

function columnsOf(basis: Float64Array, n: number, ncoef: number, from: number): Float64Array[] {
  return Array.from({ length: ncoef - from }, (_, c) => Float64Array.from({ length: n }, (_, i) => basis[i * ncoef + from + c]));
}

/**
 * LINPACK's `dqrdc2` (R's default `qr()`) on an n × p column-major matrix of full column rank, and
 * its `dqrsl` product Q'y: the same Householder vectors and signs as R, so that the projected spline
 * basis has R's signs.
 */
function householderQr(x: Float64Array, n: number, p: number): { qty: (y: Float64Array) => void } {
  const qraux = new Float64Array(p);
  for (let j = 0; j < p; j++) qraux[j] = norm(x, j * n, n);
  const k = Math.min(p, n);
  for (let l = 0; l < k; l++) {
    if (l === n - 1) break;
    const o = l * n + l;
    let nrmxl = norm(x, o, n - l);
    if (nrmxl === 0) continue;
    if (x[o] !== 0) nrmxl = Math.sign(x[o]) * Math.abs(nrmxl);
    for (let i = 0; i < n - l; i++) x[o + i] /= nrmxl;
    x[o] += 1;
    for (let j = l + 1; j < p; j++) {
      const oj = j * n + l;
      let dot = 0;
      for (let i = 0; i < n - l; i++) dot += x[o + i] * x[oj + i];
      const t = -dot / x[o];
      for (let i = 0; i < n - l; i++) x[oj + i] += t * x[o + i];
    }
    qraux[l] = x[o];
    x[o] = -nrmxl;
  }
  const ju = Math.min(k, n - 1);
  return {
    qty(y: Float64Array): void {
      for (let j = 0; j < ju; j++) {
        if (qraux[j] === 0) continue;
        const o = j * n + j;
        const saved = x[o];
        x[o] = qraux[j];
        let dot = 0;
        for (let i = 0; i < n - j; i++) dot += x[o + i] * y[j + i];
        const t = -dot / x[o];
        for (let i = 0; i < n - j; i++) y[j + i] += t * x[o + i];
        x[o] = saved;
      }
    },
  };
}

function norm(x: Float64Array, offset: number, length: number): number {
  let s = 0;
  for (let i = 0; i < length; i++) s += x[offset + i] * x[offset + i];
  return Math.sqrt(s);
}
