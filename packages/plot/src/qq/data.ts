import type { LinearMixedModel } from "@lmm/core";
import { normalScores, ascendingOrder } from "../stats/quantiles.js";

/**
 * The data of one normal Q-Q plot. `QQData` of `@lmm/diagnostics` (`qq(model).residuals`,
 * `qq(model).ranef[k]`) has this shape, envelope included.
 */
export interface QqInput {
  /** What the values are: `residuals (pearson)`, `Subject: (Intercept)` … */
  label: string;
  /** N(0, 1) quantiles at the plotting positions. */
  theoretical: ArrayLike<number>;
  /** The values, sorted ascending. */
  sample: ArrayLike<number>;
  /** Which row (residuals) or level (conditional modes) sits at each position. */
  ids?: readonly string[];
  /** Reference line (R's `qqline`, through the quartiles); computed when absent. */
  line?: { intercept: number; slope: number };
  /** Pointwise simulation envelope of the sorted values. */
  envelope?: { lower: ArrayLike<number>; upper: ArrayLike<number>; level: number; nsim: number } | null;
  /** Normality statistics to print under the panel. */
  normality?: {
    andersonDarling?: { statistic: number; pValue: number; simulatedPValue?: number };
    shapiroFrancia?: { statistic: number; pValue: number };
  };
}

/** One point of a Q-Q plot. */
export interface QqPoint {
  id: string;
  theoretical: number;
  sample: number;
  lower: number;
  upper: number;
  /** Outside the envelope (false without one). */
  outside: boolean;
}

/**
 * Q-Q inputs computed from a model without simulation: the Pearson residuals (r / σ̂) and the conditional
 * modes of every random-effect column. For the envelope use `qq(model)` of `@lmm/diagnostics`.
 *
 * @example
 * ```ts
 * modelQq(model).map((q) => q.label); // ["residuals (pearson)", "Subject: (Intercept)", "Subject: Days"]
 * ```
 */
export function modelQq(model: LinearMixedModel): QqInput[] {
  const residuals = model.residuals().map((r) => r / model.sigma);
  const rowIds = Array.from(model.structure.rows, (r) => String(r + 1));
  const out = [qqInput("residuals (pearson)", residuals, rowIds)];
  for (const re of model.ranef()) {
    const k = re.terms.length;
    re.terms.forEach((term, c) => {
      out.push(qqInput(`${re.group}: ${term}`, Float64Array.from(re.levels, (_, l) => re.values[l * k + c]), re.levels));
    });
  }
  return out;
}

/**
 * Sorted values with their normal scores and ids, and R's `qqline`.
 *
 * @example
 * ```ts
 * qqInput("x", [0.3, -1.2, 0.8], ["a", "b", "c"]).ids; // ["b", "a", "c"]
 * ```
 */
export function qqInput(label: string, values: ArrayLike<number>, ids: readonly string[]): QqInput {
  const order = ascendingOrder(values);
  const sample = Float64Array.from(order, (i) => values[i]);
  const theoretical = normalScores(sample.length);
  return { label, theoretical, sample, ids: Array.from(order, (i) => ids[i]), line: quartileLine(theoretical, sample) };
}

/**
 * R's `qqline`: the line through the first and third quartiles (type 7) of sample and theoretical values.
 *
 * @example
 * ```ts
 * quartileLine([-1, 0, 1], [-2, 0, 2]); // { intercept: 0, slope: 2 }
 * ```
 */
export function quartileLine(theoretical: ArrayLike<number>, sample: ArrayLike<number>): { intercept: number; slope: number } {
  const t1 = sortedQuantile(theoretical, 0.25), t3 = sortedQuantile(theoretical, 0.75);
  const s1 = sortedQuantile(sample, 0.25), s3 = sortedQuantile(sample, 0.75);
  const slope = (s3 - s1) / (t3 - t1);
  return { intercept: s1 - slope * t1, slope };
}

/** Type-7 quantile of ascending values. */
function sortedQuantile(sorted: ArrayLike<number>, p: number): number {
  const h = (sorted.length - 1) * p;
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, sorted.length - 1);
  return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
}

/**
 * The points of a Q-Q input, each marked when it falls outside the envelope.
 *
 * @example
 * ```ts
 * qqPoints(qqInput("x", [1, 2, 3], ["a", "b", "c"])).length; // 3
 * ```
 */
export function qqPoints(input: QqInput): QqPoint[] {
  const { theoretical, sample, ids, envelope } = input;
  return Array.from({ length: sample.length }, (_, i) => {
    const lower = envelope ? envelope.lower[i] : NaN;
    const upper = envelope ? envelope.upper[i] : NaN;
    return { id: ids ? ids[i] : String(i + 1), theoretical: theoretical[i], sample: sample[i], lower, upper, outside: sample[i] < lower || sample[i] > upper };
  });
}
