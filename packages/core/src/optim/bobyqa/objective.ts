import { AbortedError } from "../../errors/LmmError.js";

/**
 * The user's objective as BOBYQA sees it: counts evaluations, embeds the free
 * variables into the full vector (fixed variables keep their value), logs every
 * call, honours an AbortSignal, remembers the best finite point, and replaces
 * non-finite values by a finite "moderated barrier" value so that the quadratic
 * models stay finite.
 *
 * Barrier: a non-finite value (NaN, ±Infinity) is replaced by
 * `fmax + spread`, where `fmax` and `fmin` are the largest and smallest finite
 * values seen so far and `spread = fmax − fmin` (or `max(|fmax|, 1)` when all
 * finite values are equal). Such a point is therefore worse than every point
 * seen, without a jump so large that rounding errors swamp the model (a fixed
 * huge value such as 1e30 would leave permanent rounding damage of order
 * 1e30·ε in the model gradient). The rule depends only on the evaluation
 * history, so runs stay deterministic.
 *
 * @internal
 */
export class Objective {
  evaluations = 0;
  /** Best finite value seen, NaN before the first one. */
  bestF = NaN;
  /** Full vector of variables at `bestF` (valid once `bestF` is finite). */
  readonly bestX: Float64Array;
  /** First raw value returned by the objective (for the all-non-finite report). */
  firstF = NaN;
  private fmin = Infinity;
  private fmax = -Infinity;
  private readonly full: Float64Array;
  private readonly arg: Float64Array;
  private readonly logBuffer: Float64Array | undefined;

  constructor(
    private readonly fn: (x: Float64Array) => number,
    fullStart: Float64Array,
    private readonly freeIndex: Int32Array,
    readonly maxEval: number,
    private readonly onEvaluation: ((x: Float64Array, f: number) => void) | undefined,
    private readonly signal: AbortSignal | undefined,
  ) {
    this.full = Float64Array.from(fullStart);
    this.arg = new Float64Array(fullStart.length);
    this.bestX = Float64Array.from(fullStart);
    this.logBuffer = onEvaluation ? new Float64Array(fullStart.length) : undefined;
  }

  /** True once the evaluation budget is spent. */
  get exhausted(): boolean {
    return this.evaluations >= this.maxEval;
  }

  /** True once at least one finite value has been seen. */
  get hasFinite(): boolean {
    return this.fmax > -Infinity;
  }

  /** Calls the objective at the free variables `x` and returns its raw value. */
  evaluateRaw(x: Float64Array): number {
    if (this.signal?.aborted) throw new AbortedError("bobyqa");
    const { full, arg, freeIndex } = this;
    for (let i = 0; i < freeIndex.length; i++) full[freeIndex[i]] = x[i];
    // The objective gets its own buffer: it may not keep it, and whatever it
    // writes into it cannot corrupt our copy of the point.
    arg.set(full);
    const f = this.fn(arg);
    this.evaluations++;
    if (this.evaluations === 1) this.firstF = f;
    if (Number.isFinite(f)) {
      if (f < this.fmin) this.fmin = f;
      if (f > this.fmax) this.fmax = f;
      if (!(f >= this.bestF)) {
        this.bestF = f;
        this.bestX.set(full);
      }
    }
    if (this.onEvaluation && this.logBuffer) {
      this.logBuffer.set(full);
      this.onEvaluation(this.logBuffer, f);
    }
    return f;
  }

  /** Replaces a non-finite value by the barrier value; needs a finite value seen before. */
  moderate(f: number): number {
    if (Number.isFinite(f)) return f;
    const spread = this.fmax - this.fmin;
    return this.fmax + (spread > 0 ? spread : Math.max(Math.abs(this.fmax), 1));
  }

  /** `moderate(evaluateRaw(x))`. */
  evaluate(x: Float64Array): number {
    return this.moderate(this.evaluateRaw(x));
  }
}
