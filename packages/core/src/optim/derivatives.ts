import { InvalidArgumentError } from "../errors/LmmError.js";

/**
 * Options of the finite-difference helpers.
 *
 * @example
 * ```ts
 * const options: FiniteDifferenceOptions = { step: 1e-4, lower: [0, -Infinity], fx: 12.5 };
 * ```
 */
export interface FiniteDifferenceOptions {
  /**
   * Step per variable (one number for all, or one per variable). Default 1e-4, the `delta` of
   * lme4's `deriv12`, which lme4 uses for its convergence checks on θ.
   */
  step?: number | ArrayLike<number>;
  /** Lower bounds: no point below them is evaluated. Default −Infinity. */
  lower?: ArrayLike<number>;
  /** Upper bounds: no point above them is evaluated. Default +Infinity. */
  upper?: ArrayLike<number>;
  /** f(x) if already known (saves one evaluation). */
  fx?: number;
}

/**
 * Gradient and Hessian from {@link finiteDifferenceDerivatives}.
 *
 * @example
 * ```ts
 * const d: FiniteDifferenceDerivatives = finiteDifferenceDerivatives((x) => x[0] ** 2, [3]);
 * d.gradient[0]; // ≈ 6
 * ```
 */
export interface FiniteDifferenceDerivatives {
  gradient: Float64Array;
  /** n × n, row-major, symmetric. */
  hessian: Float64Array;
  /** Number of calls of f. */
  evaluations: number;
}

interface Stencil {
  n: number;
  x: Float64Array;
  h: Float64Array;
  /** Centre of the difference stencil: x moved, where needed, so that centre ± h stays in the bounds. */
  c: Float64Array;
  lower: Float64Array;
  upper: Float64Array;
}

/**
 * Gradient and Hessian of `f` at `x` by central differences, as lme4's `deriv12` computes them
 * after a fit (gradient for the scaled-gradient convergence test, Hessian for its positive
 * definiteness): gᵢ = (f(x+hᵢeᵢ) − f(x−hᵢeᵢ))/(2hᵢ), Hᵢᵢ = (f(x+hᵢeᵢ) − 2f(x) + f(x−hᵢeᵢ))/hᵢ²,
 * Hᵢⱼ = (f(x+hᵢeᵢ+hⱼeⱼ) − f(x+hᵢeᵢ−hⱼeⱼ) − f(x−hᵢeᵢ+hⱼeⱼ) + f(x−hᵢeᵢ−hⱼeⱼ))/(4hᵢhⱼ);
 * 1 + 2n² evaluations (2n² with `fx`).
 *
 * **Bounds.** A stencil that would leave the box is moved instead: coordinate i is centred at
 * cᵢ = min(max(xᵢ, lowerᵢ + hᵢ), upperᵢ − hᵢ) (hᵢ shrinks to half the range if the range is
 * narrower than 2hᵢ). The Hessian is then the one at c (error O(|x − c|)), and the gradient is
 * carried back to x as g(c) + H·(x − c), which keeps it second-order accurate. Without bounds
 * (lme4 passes none; the deviance is even in the sign of a diagonal θ) the result is exactly
 * the central differences at x. Non-finite values of f propagate as NaN.
 *
 * @param f - function of n variables; receives a buffer it must not keep.
 * @param x - point (inside the bounds).
 * @param options - steps, bounds, known f(x).
 * @returns gradient, Hessian (row-major) and the number of evaluations.
 * @throws {@link InvalidArgumentError} for non-finite x, a point outside the bounds, steps that
 *   are not positive, or a variable with lower = upper.
 *
 * @example
 * ```ts
 * const { gradient, hessian } = finiteDifferenceDerivatives((x) => x[0] ** 2 + 3 * x[0] * x[1], [1, 2]);
 * // gradient ≈ [8, 3], hessian ≈ [2, 3, 3, 0]
 * ```
 */
export function finiteDifferenceDerivatives(
  f: (x: Float64Array) => number,
  x: ArrayLike<number>,
  options: FiniteDifferenceOptions = {},
): FiniteDifferenceDerivatives {
  const st = stencil(f, x, options);
  const { n, h, c } = st;
  const buf = new Float64Array(n);
  let evaluations = 0;
  const at = (i: number, si: number, j: number, sj: number): number => {
    buf.set(c);
    if (i >= 0) buf[i] += si * h[i];
    if (j >= 0) buf[j] += sj * h[j];
    evaluations++;
    return f(buf);
  };
  const centred = isCentred(st);
  let fc: number;
  if (centred && options.fx !== undefined) fc = options.fx;
  else fc = at(-1, 0, -1, 0);

  const gc = new Float64Array(n);
  const hess = new Float64Array(n * n);
  for (let j = 0; j < n; j++) {
    const fp = at(j, 1, -1, 0);
    const fm = at(j, -1, -1, 0);
    gc[j] = (fp - fm) / (2 * h[j]);
    hess[j * n + j] = (fp - 2 * fc + fm) / (h[j] * h[j]);
    for (let i = 0; i < j; i++) {
      const v = (at(i, 1, j, 1) - at(i, 1, j, -1) - at(i, -1, j, 1) + at(i, -1, j, -1)) / (4 * h[i] * h[j]);
      hess[i * n + j] = v;
      hess[j * n + i] = v;
    }
  }
  const gradient = new Float64Array(n);
  for (let j = 0; j < n; j++) {
    let g = gc[j];
    for (let i = 0; i < n; i++) if (st.x[i] !== c[i]) g += hess[j * n + i] * (st.x[i] - c[i]);
    gradient[j] = g;
  }
  return { gradient, hessian: hess, evaluations };
}

/**
 * Gradient of `f` at `x` by central differences (2n evaluations), with the same step rule as
 * {@link finiteDifferenceDerivatives}. Where x is closer than the step to a bound, that
 * coordinate uses the one-sided second-order formula
 * gᵢ = ∓(3f(x) − 4f(x ± hᵢeᵢ) + f(x ± 2hᵢeᵢ))/(2hᵢ) into the box (hᵢ shrinks to half the room
 * if needed), so no point outside the bounds is evaluated.
 *
 * @param f - function of n variables; receives a buffer it must not keep.
 * @param x - point (inside the bounds).
 * @param options - steps, bounds, known f(x).
 * @returns the gradient.
 * @throws {@link InvalidArgumentError} as {@link finiteDifferenceDerivatives}.
 *
 * @example
 * ```ts
 * finiteDifferenceGradient((x) => x[0] ** 2 + x[1], [0, 1], { lower: [0, 0] }); // ≈ [0, 1]
 * ```
 */
export function finiteDifferenceGradient(
  f: (x: Float64Array) => number,
  x: ArrayLike<number>,
  options: FiniteDifferenceOptions = {},
): Float64Array {
  const st = stencil(f, x, options);
  const { n, lower, upper } = st;
  const buf = new Float64Array(n);
  const at = (j: number, offset: number): number => {
    buf.set(st.x);
    buf[j] += offset;
    return f(buf);
  };
  let fx = options.fx;
  const gradient = new Float64Array(n);
  for (let j = 0; j < n; j++) {
    const xj = st.x[j];
    let h = st.h[j];
    if (xj - h >= lower[j] && xj + h <= upper[j]) {
      gradient[j] = (at(j, h) - at(j, -h)) / (2 * h);
      continue;
    }
    // One-sided into the larger room, with 2h inside the box.
    const up = upper[j] - xj >= xj - lower[j];
    const room = up ? upper[j] - xj : xj - lower[j];
    h = Math.min(h, room / 2);
    const s = up ? 1 : -1;
    if (fx === undefined) {
      buf.set(st.x);
      fx = f(buf);
    }
    gradient[j] = (s * (-3 * fx + 4 * at(j, s * h) - at(j, 2 * s * h))) / (2 * h);
  }
  return gradient;
}

/**
 * Hessian of `f` at `x` by central differences (see {@link finiteDifferenceDerivatives}, which
 * returns the gradient from the same evaluations at no extra cost).
 *
 * @param f - function of n variables; receives a buffer it must not keep.
 * @param x - point (inside the bounds).
 * @param options - steps, bounds, known f(x).
 * @returns the n × n Hessian, row-major.
 * @throws {@link InvalidArgumentError} as {@link finiteDifferenceDerivatives}.
 *
 * @example
 * ```ts
 * finiteDifferenceHessian((x) => x[0] * x[0] * x[1], [1, 2]); // ≈ [4, 2, 2, 0]
 * ```
 */
export function finiteDifferenceHessian(
  f: (x: Float64Array) => number,
  x: ArrayLike<number>,
  options: FiniteDifferenceOptions = {},
): Float64Array {
  return finiteDifferenceDerivatives(f, x, options).hessian;
}

function isCentred(st: Stencil): boolean {
  for (let i = 0; i < st.n; i++) if (st.c[i] !== st.x[i]) return false;
  return true;
}

function stencil(f: unknown, x0: ArrayLike<number>, options: FiniteDifferenceOptions): Stencil {
  if (typeof f !== "function") throw new InvalidArgumentError("f", f, "a function");
  if (x0 == null || typeof x0.length !== "number" || x0.length < 1) throw new InvalidArgumentError("x", x0, "a non-empty array of numbers");
  const n = x0.length;
  const x = new Float64Array(n);
  const lower = new Float64Array(n).fill(-Infinity);
  const upper = new Float64Array(n).fill(Infinity);
  const h = new Float64Array(n);
  const c = new Float64Array(n);
  for (const [name, b, out] of [["lower", options.lower, lower], ["upper", options.upper, upper]] as const) {
    if (b === undefined) continue;
    if (b === null || b.length !== n) throw new InvalidArgumentError(name, b, `an array of length ${n}`);
    for (let i = 0; i < n; i++) {
      if (typeof b[i] !== "number" || Number.isNaN(b[i])) throw new InvalidArgumentError(`${name}[${i}]`, b[i], "a number");
      out[i] = b[i];
    }
  }
  const step = options.step ?? 1e-4;
  if (typeof step !== "number" && (step === null || step.length !== n)) {
    throw new InvalidArgumentError("step", step, `a number or an array of length ${n}`);
  }
  for (let i = 0; i < n; i++) {
    const v = x0[i];
    if (typeof v !== "number" || !Number.isFinite(v)) throw new InvalidArgumentError(`x[${i}]`, v, "a finite number");
    if (v < lower[i] || v > upper[i]) {
      throw new InvalidArgumentError(`x[${i}]`, v, `a value within [${lower[i]}, ${upper[i]}]`);
    }
    const hi = typeof step === "number" ? step : step[i];
    if (typeof hi !== "number" || !(hi > 0) || !Number.isFinite(hi)) {
      throw new InvalidArgumentError(typeof step === "number" ? "step" : `step[${i}]`, hi, "a finite positive number");
    }
    const range = upper[i] - lower[i];
    if (!(range > 0)) throw new InvalidArgumentError(`upper[${i}]`, upper[i], `a value above lower[${i}] = ${lower[i]}`);
    x[i] = v;
    h[i] = Math.min(hi, range / 2);
    c[i] = Math.min(Math.max(v, lower[i] + h[i]), upper[i] - h[i]);
  }
  return { n, x, h, c, lower, upper };
}
