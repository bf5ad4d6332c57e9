// Small dense linear algebra for the inference code: row-major Float64Array matrices whose sizes
// are passed alongside (p × p fixed-effect matrices, g × g variance-parameter matrices, and the
// q × q random-effects matrices of the Kenward–Roger algebra).

/** C = A B for A (n × k) and B (k × m), row-major. Zeros of A are skipped (A is often sparse). */
export function matMul(a: Float64Array, b: Float64Array, n: number, k: number, m: number): Float64Array {
  const c = new Float64Array(n * m);
  for (let i = 0; i < n; i++) {
    const ci = i * m;
    for (let t = 0; t < k; t++) {
      const v = a[i * k + t];
      if (v === 0) continue;
      const bt = t * m;
      for (let j = 0; j < m; j++) c[ci + j] += v * b[bt + j];
    }
  }
  return c;
}

/** A' for A (n × m). */
export function transpose(a: Float64Array, n: number, m: number): Float64Array {
  const out = new Float64Array(n * m);
  for (let i = 0; i < n; i++) for (let j = 0; j < m; j++) out[j * n + i] = a[i * m + j];
  return out;
}

/** x' A x for A (n × n). */
export function quadForm(x: ArrayLike<number>, a: Float64Array, n: number): number {
  return bilinear(x, a, x, n, n);
}

/** x' A y for A (n × m). */
export function bilinear(x: ArrayLike<number>, a: Float64Array, y: ArrayLike<number>, n: number, m: number): number {
  let s = 0;
  for (let i = 0; i < n; i++) {
    const xi = x[i];
    if (xi === 0) continue;
    let r = 0;
    for (let j = 0; j < m; j++) r += a[i * m + j] * y[j];
    s += xi * r;
  }
  return s;
}

/** tr(A B) for square A, B (n × n). */
export function traceProduct(a: Float64Array, b: Float64Array, n: number): number {
  let s = 0;
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) s += a[i * n + j] * b[j * n + i];
  return s;
}

/** (A + A')/2 in place, for n × n A. */
export function symmetrise(a: Float64Array, n: number): Float64Array {
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < i; j++) {
      const v = (a[i * n + j] + a[j * n + i]) / 2;
      a[i * n + j] = v;
      a[j * n + i] = v;
    }
  }
  return a;
}

/** Eigen-decomposition of a symmetric matrix. */
export interface SymmetricEigen {
  /** Eigenvalues in decreasing order (as R's `eigen`). */
  values: Float64Array;
  /** Eigenvectors as columns of an n × n row-major matrix, in the order of `values`. */
  vectors: Float64Array;
}

/**
 * Eigenvalues and eigenvectors of a small symmetric matrix by cyclic Jacobi rotations (accurate to
 * working precision; meant for matrices of a few dozen rows: variance parameters, contrasts).
 */
export function symmetricEigen(a: Float64Array, n: number): SymmetricEigen {
  const A = Float64Array.from(a);
  symmetrise(A, n);
  const V = new Float64Array(n * n);
  for (let i = 0; i < n; i++) V[i * n + i] = 1;
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0, scale = 0;
    for (let i = 0; i < n; i++) {
      scale += A[i * n + i] * A[i * n + i];
      for (let j = 0; j < i; j++) off += A[i * n + j] * A[i * n + j];
    }
    if (off <= 1e-32 * scale || off === 0) break;
    for (let p = 0; p < n - 1; p++) {
      for (let q = p + 1; q < n; q++) {
        const apq = A[p * n + q];
        if (apq === 0) continue;
        const theta = (A[q * n + q] - A[p * n + p]) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1), s = t * c;
        for (let k = 0; k < n; k++) {
          const akp = A[k * n + p], akq = A[k * n + q];
          A[k * n + p] = c * akp - s * akq;
          A[k * n + q] = s * akp + c * akq;
        }
        for (let k = 0; k < n; k++) {
          const apk = A[p * n + k], aqk = A[q * n + k];
          A[p * n + k] = c * apk - s * aqk;
          A[q * n + k] = s * apk + c * aqk;
        }
        for (let k = 0; k < n; k++) {
          const vkp = V[k * n + p], vkq = V[k * n + q];
          V[k * n + p] = c * vkp - s * vkq;
          V[k * n + q] = s * vkp + c * vkq;
        }
      }
    }
  }
  const order = Array.from({ length: n }, (_, i) => i).sort((x, y) => A[y * n + y] - A[x * n + x]);
  const values = Float64Array.from(order, (i) => A[i * n + i]);
  const vectors = new Float64Array(n * n);
  order.forEach((src, dst) => {
    for (let k = 0; k < n; k++) vectors[k * n + dst] = V[k * n + src];
  });
  return { values, vectors };
}

/** Σ over eigenpairs with `keep(value)` of vᵢvᵢ'/λᵢ: a (pseudo-)inverse from an eigen-decomposition. */
export function inverseFromEigen(e: SymmetricEigen, n: number, keep: (value: number) => boolean): Float64Array {
  const out = new Float64Array(n * n);
  for (let k = 0; k < n; k++) {
    const lambda = e.values[k];
    if (!keep(lambda)) continue;
    for (let i = 0; i < n; i++) {
      const vi = e.vectors[i * n + k] / lambda;
      if (vi === 0) continue;
      for (let j = 0; j < n; j++) out[i * n + j] += vi * e.vectors[j * n + k];
    }
  }
  return out;
}

/** MASS::ginv of a symmetric matrix: eigenvalues below √ε · max|λ| in absolute value are dropped. */
export function pseudoInverseSymmetric(a: Float64Array, n: number): Float64Array {
  const e = symmetricEigen(a, n);
  const max = Math.max(0, ...Array.from(e.values, Math.abs));
  const tol = Math.sqrt(Number.EPSILON) * max;
  return inverseFromEigen(e, n, (v) => Math.abs(v) > tol);
}

export { inverseSPD } from "./spd.js";

/** Inverse of a general square matrix by Gaussian elimination with partial pivoting, or null if singular. */
export function inverse(a: Float64Array, n: number): Float64Array | null {
  const m = Float64Array.from(a);
  const inv = new Float64Array(n * n);
  for (let i = 0; i < n; i++) inv[i * n + i] = 1;
  for (let c = 0; c < n; c++) {
    let pivot = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(m[r * n + c]) > Math.abs(m[pivot * n + c])) pivot = r;
    const pv = m[pivot * n + c];
    if (pv === 0 || !Number.isFinite(pv)) return null;
    if (pivot !== c) {
      for (let k = 0; k < n; k++) {
        [m[c * n + k], m[pivot * n + k]] = [m[pivot * n + k], m[c * n + k]];
        [inv[c * n + k], inv[pivot * n + k]] = [inv[pivot * n + k], inv[c * n + k]];
      }
    }
    for (let k = 0; k < n; k++) {
      m[c * n + k] /= pv;
      inv[c * n + k] /= pv;
    }
    for (let r = 0; r < n; r++) {
      if (r === c) continue;
      const f = m[r * n + c];
      if (f === 0) continue;
      for (let k = 0; k < n; k++) {
        m[r * n + k] -= f * m[c * n + k];
        inv[r * n + k] -= f * inv[c * n + k];
      }
    }
  }
  return inv;
}

/**
 * Least-squares residuals of the columns of Y (n × m, column-major) regressed on the columns of X
 * (n × p, column-major), as R's `resid(lm.fit(X, Y))`: columns of X whose remaining norm falls
 * below 1e-7 of their own norm are left out (R's rank tolerance). Returns column-major n × m.
 */
export function leastSquaresResiduals(x: Float64Array, n: number, p: number, y: Float64Array, m: number): Float64Array {
  const basis: Float64Array[] = [];
  const v = new Float64Array(n);
  for (let j = 0; j < p; j++) {
    v.set(x.subarray(j * n, (j + 1) * n));
    const norm0 = Math.sqrt(dot(v, v));
    if (norm0 === 0) continue;
    for (let pass = 0; pass < 2; pass++) for (const b of basis) axpy(-dot(b, v), b, v);
    const norm = Math.sqrt(dot(v, v));
    if (norm <= 1e-7 * norm0) continue;
    basis.push(v.map((e) => e / norm));
  }
  const out = Float64Array.from(y);
  for (let c = 0; c < m; c++) {
    const col = out.subarray(c * n, (c + 1) * n);
    for (let pass = 0; pass < 2; pass++) for (const b of basis) axpy(-dot(b, col), b, col);
  }
  return out;
}

/** R's `zapsmall(x)` (digits = 7): rounds to 7 significant digits relative to the largest |x|. */
export function zapsmall(values: Float64Array, digits = 7): Float64Array {
  let mx = 0;
  for (const v of values) if (Number.isFinite(v)) mx = Math.max(mx, Math.abs(v));
  const d = mx > 0 ? Math.max(0, digits - Math.ceil(Math.log10(mx))) : digits;
  const f = 10 ** d;
  return values.map((v) => Math.round(v * f) / f + 0);
}

function dot(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}

function axpy(alpha: number, x: ArrayLike<number>, y: Float64Array): void {
  for (let i = 0; i < y.length; i++) y[i] += alpha * x[i];
}
