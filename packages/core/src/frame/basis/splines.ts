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
  const n = sorted.length;
  const boundary: [number, number] = o.boundary ?? [sorted[0], sorted[n - 1]];
  if (!(boundary[0] < boundary[1])) throw new BasisError(label, `the boundary knots must differ; the variable takes the single value ${boundary[0]}`);
  let knots = o.knots;
  if (knots === null) {
    const interior = o.df === null ? 0 : fn === "ns" ? o.df - 1 - (o.intercept ? 1 : 0) : o.df - (o.degree + 1) + (o.intercept ? 0 : 1);
    const inside = o.boundary ? sorted.filter((v) => v >= boundary[0] && v <= boundary[1]) : sorted;
    knots = interior > 0 ? quantiles(inside, equallySpaced(interior + 2).slice(1, -1)) : [];
  }
  const outside = knots.find((k) => !(k > boundary[0] && k < boundary[1]));
  if (outside !== undefined) throw new BasisError(label, `knot ${outside} is not inside the boundary knots ${boundary[0]} and ${boundary[1]}`);
  return { knots: [...knots], boundary, intercept: o.intercept, degree: fn === "ns" ? 3 : o.degree };
}

/** R's `seq.int(0, 1, length.out = m)`, computed from both ends as R does. */
function equallySpaced(m: number): number[] {
  const by = 1 / (m - 1);
  return Array.from({ length: m }, (_, i) => (i === 0 ? 0 : i === m - 1 ? 1 : i < Math.floor(m / 2) ? i * by : 1 - (m - 1 - i) * by));
}

/** R's `quantile(x, p)` of type 7 on sorted values. */
function quantiles(sorted: Float64Array, probs: number[]): number[] {
  const n = sorted.length;
  return probs.map((p) => {
    const index = 1 + Math.max(n - 1, 0) * p;
    const lo = Math.floor(index), hi = Math.ceil(index);
    const q = sorted[lo - 1];
    if (!(index > lo && sorted[hi - 1] !== q)) return q;
    const h = index - lo;
    return (1 - h) * q + h * sorted[hi - 1];
  });
}

function allKnots(k: SplineKnots): Float64Array {
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
  // Natural: second derivatives zero at both boundary knots. R projects the basis on the
  // complement of those two constraints with the QR decomposition of their transpose.
  const from = k.intercept ? 0 : 1;
  const width = ncoef - from;
  const constraint = spline.design(k.boundary, [2, 2]);
  const ct = new Float64Array(width * 2); // column-major width × 2: t(const)
  for (let r = 0; r < 2; r++) for (let c = 0; c < width; c++) ct[r * width + c] = constraint[r * ncoef + from + c];
  const qr = householderQr(ct, width, 2);
  const row = new Float64Array(width);
  const out = Array.from({ length: width - 2 }, () => new Float64Array(n));
  for (let i = 0; i < n; i++) {
    if (Number.isNaN(x[i])) {
      for (const col of out) col[i] = NaN;
      continue;
    }
    for (let c = 0; c < width; c++) row[c] = basis[i * ncoef + from + c];
    qr.qty(row);
    for (let c = 2; c < width; c++) out[c - 2][i] = row[c];
  }
  return out;
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
