import { backSolveTransposed } from "../numerics/dense/cholesky.js";
import { Dense } from "./linalg/Dense.js";
import { inverseFromFactor } from "../numerics/dense/spd.js";
import { BlockedSystem } from "./BlockedSystem.js";
import { RowCrossProducts, type CrossProducts } from "./crossProducts.js";
import { SchurGradient } from "./schurGradient.js";
import { SchurSystem } from "./SchurSystem.js";
import type { LmmDesign } from "./design.js";
import { DispersedCrossProducts, hasDispersion } from "./dispersion.js";

const LOG_2PI = Math.log(2 * Math.PI);

function sameTheta(a: Float64Array, b: ArrayLike<number>): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** The pieces of the profiled criterion at one θ, read off the factor. */
export interface CriterionParts {
  objective: number;
  logdetZ: number;
  logdetX: number;
  pwrss: number;
}

/** What a fitter reads of a design: the level structure and θ's layout (never rows, past its sums). */
export type FitterDesign = Pick<LmmDesign, "formula" | "reterms" | "theta"> & { dispersion?: LmmDesign["dispersion"] };

/**
 * The numerical workspace of one design: the cross-products of a current response, the blocked
 * system and its two-block twin, its own Λ templates, and the profiled criterion as a function of θ
 * (lme4's devfun). θ is always passed in; the design is only read, so any number of fitters (and
 * models) share one design. One Fitter serves any number of responses through `setResponse`, which
 * is how many features or bootstrap samples are fitted without rebuilding or reallocating anything.
 */
export class Fitter<D extends FitterDesign = LmmDesign> {
  readonly system: BlockedSystem;
  /**
   * The cross-products of the current response (the system's A): summed here from the design's
   * rows (`RowCrossProducts`), or given (sums computed next to the data, by SQL).
   */
  readonly sums: CrossProducts;
  readonly n: number;
  readonly p: number;
  /** Number of objective evaluations since construction. */
  evaluations = 0;
  /** This fitter's Λ, one template per ReMat, refilled from θ at every evaluation. */
  private readonly templates: Float64Array[];

  constructor(
    readonly design: D,
    /** The response over the design's rows, or cross-products summed elsewhere (then D needs no rows). */
    source: Float64Array | CrossProducts,
    readonly reml: boolean,
    /** Estimate the residual variance of each level of the design's dispersion factor (δ set by `setLogDelta`); otherwise δ is the design's. */
    estimateDispersion = false,
  ) {
    // Rows are summed only where the design has them (an LmmDesign); given sums are used as they are.
    // With δ estimated, the rows are summed per level of the dispersion factor.
    const rows = design as unknown as LmmDesign;
    this.sums = !(source instanceof Float64Array) ? source
      : estimateDispersion && hasDispersion(rows) ? DispersedCrossProducts.fromRows(rows, source)
      : new RowCrossProducts(rows, source);
    this.n = this.sums.n;
    this.p = this.sums.p;
    this.system = new BlockedSystem(design.reterms, this.sums);
    this.templates = design.theta.templates();
    this.factoredAt = new Float64Array(design.theta.length);
    this.schurAt = new Float64Array(design.theta.length).fill(NaN);
  }

  /** The sums over the design's rows (the fitter of an LmmDesign); an error for sums given without rows. */
  get rowSums(): RowCrossProducts | DispersedCrossProducts {
    if (!(this.sums instanceof RowCrossProducts || this.sums instanceof DispersedCrossProducts)) throw new Error("internal: these cross-products were not summed from rows");
    return this.sums;
  }

  /** The response as given (on the data's scale, offset included). */
  get y(): Float64Array {
    return this.rowSums.y;
  }

  /** Uses a new response of length n (the rows of the frame); everything else is kept. */
  setResponse(y: Float64Array): void {
    this.rowSums.setResponse(y);
    this.schur?.responseChanged();
    this.factored = false;
    this.schurCurrent = false;
  }

  /** The per-level cross-products when this fitter estimates δ (null: δ is the design's, fixed). */
  get dispersed(): DispersedCrossProducts | null {
    return this.sums instanceof DispersedCrossProducts ? this.sums : null;
  }

  /**
   * Sets log δ of every dispersion level but the pivot (the optimiser's free parameters, read from
   * `values[from …]`): A is recombined in place, and the next evaluation factors at the new δ.
   */
  setFreeLogDelta(values: ArrayLike<number>, from = 0): void {
    this.dispersed!.setFree(values, from);
    this.factored = false;
    this.schurCurrent = false;
  }

  /** Sets δ of every dispersion level (any positive scale: only ratios and θ's scale matter). */
  setDelta(delta: ArrayLike<number>): void {
    this.dispersed!.setDelta(delta);
    this.factored = false;
    this.schurCurrent = false;
  }

  /** Puts δ back to the design's (the start of every fit of a fitter that estimates δ). */
  resetDispersion(): void {
    if (this.dispersed) this.setDelta(this.design.dispersion!.delta);
  }

  /**
   * A fitter of the same design and response whose evaluations never move this one's factor: a
   * model keeps its fitter factored at θ̂, and derivatives, profiles and heritability evaluate on
   * this instead. It is this fitter itself where evaluations go through the two-block system (the
   * blocked factor stays where it is), a new one otherwise.
   */
  aside(): Fitter<D> {
    return this.usesSchur() ? this : new Fitter(this.design, this.sums instanceof RowCrossProducts ? this.y : this.sums, this.reml);
  }

  /**
   * The profiled REML criterion or ML deviance at θ (lme4's `devfun`). Leaves the blocked factor at θ.
   * Returns +Infinity where the fixed-effects block is not positive definite.
   */
  objective(theta: ArrayLike<number>): number {
    this.evaluations++;
    this.design.theta.fill(theta, this.templates);
    this.factored = false;
    this.schurCurrent = false;
    if (!this.system.update(this.templates)) return Infinity;
    for (let i = 0; i < theta.length; i++) this.factoredAt[i] = theta[i];
    this.factored = true;
    return this.criterion(this.system.logdetZ(), this.system.logdetX(), this.system.pwrss());
  }

  /**
   * The criterion at θ without keeping the blocked factor: the optimiser's path. With several
   * grouping factors it factors the two-block {@link SchurSystem} instead, which costs less; the
   * blocked factor stays where it was (call `objective` or `factorAt` before reading it).
   */
  evaluate(theta: ArrayLike<number>): number {
    if (!this.usesSchur()) return this.objective(theta);
    const at = this.schurAt;
    // Asked again where it was just evaluated (a refit's summary at its last point): nothing to do.
    if (this.schurCurrent && sameTheta(at, theta)) return this.schurValue;
    this.evaluations++;
    const s = this.schur!;
    this.design.theta.fill(theta, this.templates);
    this.schurCurrent = true;
    at.fill(NaN);
    if (!s.update(this.templates)) return (this.schurValue = Infinity);
    for (let i = 0; i < theta.length; i++) at[i] = theta[i];
    return (this.schurValue = this.criterion(s.logdetZ(), s.logdetX(), s.pwrss()));
  }

  /** Whether `evaluate` factors the two-block system (several grouping factors, the first without a known covariance). */
  private usesSchur(): boolean {
    // The Schur system groups levels by the values of Z₁'Z₁, which moving δ would invalidate.
    if (this.schur === undefined) this.schur = this.system.m >= 2 && !this.design.reterms[0].structure && !this.dispersed ? new SchurSystem(this.system) : null;
    return this.schur !== null;
  }

  /**
   * Whether this fitter has the criterion's exact gradient ({@link SchurGradient}): several grouping
   * factors, every θ scaling one set of effects, no dispersion formula.
   */
  hasGradient(): boolean {
    if (this.gradientOf === undefined) this.gradientOf = this.usesSchur() ? SchurGradient.of(this.schur!, this.design.theta, this.schur!.offsets) : null;
    return this.gradientOf !== null;
  }

  /**
   * The criterion at θ (as `evaluate`) and its exact gradient over θ into `gradient`; +Infinity (the
   * gradient untouched) where the factor fails. Only for a fitter that {@link hasGradient}.
   */
  evaluateWithGradient(theta: ArrayLike<number>, gradient: Float64Array): number {
    if (!this.hasGradient()) throw new Error("internal: this fitter has no exact gradient");
    // Always factor: a factor left in the kernels' memory may since have been overwritten.
    this.schurCurrent = false;
    const f = this.evaluate(theta);
    if (f === Infinity) return f;
    this.gradientOf!.gradient(theta, this.reml, this.reml ? this.n - this.p : this.n, gradient);
    return f;
  }

  private gradientOf: SchurGradient | null | undefined;

  /** Order of the dense block an evaluation factors (T of the two-block system; 0 where it factors the blocked system). */
  get denseOrder(): number {
    return this.usesSchur() ? this.schur!.size : 0;
  }

  /** θ and criterion of the Schur factor as it stands (NaN θ: none). */
  private readonly schurAt: Float64Array;
  private schurValue = NaN;
  private schur: SchurSystem | null | undefined;
  /** Whether the last factorisation was the Schur system's (then parts, β̂ and Var(β̂) read it). */
  private schurCurrent = false;

  /** Makes the blocked factor correspond to θ, refactoring only if it was last computed elsewhere. */
  factorAt(theta: ArrayLike<number>): void {
    if (this.factored && sameTheta(this.factoredAt, theta)) this.schurCurrent = false;
    else this.objective(theta);
  }

  /** θ of the factor as it stands (valid while `factored`); reused, so an evaluation allocates nothing. */
  private readonly factoredAt: Float64Array;
  private factored = false;

  /** The criterion's components for the factor as it stands (the last `objective` or `evaluate`). */
  parts(): CriterionParts {
    const s = this.schurCurrent ? this.schur! : this.system;
    const pwrss = s.pwrss();
    const logdetZ = s.logdetZ();
    const logdetX = s.logdetX();
    return { objective: this.criterion(logdetZ, logdetX, pwrss), logdetZ, logdetX, pwrss };
  }

  /**
   * The fixed-effects corner [R_X r_Xy; r_y] of the factor as it stands, (p + 1) × (p + 1): the same
   * in both systems (Cholesky factors are unique).
   */
  private corner(): Float64Array {
    return this.schurCurrent ? this.schur!.corner : (this.system.L[this.system.m][this.system.m] as Dense).data;
  }

  /** lme4's profiled criterion from the factor's log-determinants and penalised (weighted) RSS. */
  private criterion(logdetZ: number, logdetX: number, pwrss: number): number {
    const dof = this.reml ? this.n - this.p : this.n;
    return logdetZ - this.sums.logWeights + (this.reml ? logdetX : 0) + dof * (1 + LOG_2PI + Math.log(pwrss / dof));
  }

  /** Σ log wᵢ of the prior weights over the rows used (0 without weights). */
  get logDetWeights(): number {
    return this.sums.logWeights;
  }

  /** β̂ for the factor as it stands: solves R_X β = r_Xy. */
  beta(out = new Float64Array(this.p)): Float64Array {
    const data = this.corner(), stride = this.p + 1;
    for (let j = 0; j < this.p; j++) out[j] = data[this.p * stride + j];
    backSolveTransposed(data, this.p, stride, 0, out);
    return out;
  }

  /** (R_X'R_X)⁻¹ for the factor as it stands, row-major p × p: Var(β̂) / σ². */
  vcovUnscaled(): Float64Array {
    return inverseFromFactor(this.corner(), this.p, this.p + 1);
  }

  /** σ̂² = r² / (n − p) for REML, r² / n for ML. */
  sigma2(): number {
    return (this.schurCurrent ? this.schur!.pwrss() : this.system.pwrss()) / (this.reml ? this.n - this.p : this.n);
  }
}
