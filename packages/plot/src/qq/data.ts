import type { LinearMixedModel } from "@lmm/core";
import { normalScores, quartileLine, sortOrder, type QqInput } from "@lmm/diagnostics";

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
  const order = sortOrder(values);
  const sample = Float64Array.from(order, (i) => values[i]);
  const theoretical = normalScores(sample.length);
  return { label, theoretical, sample, ids: Array.from(order, (i) => ids[i]), line: quartileLine(theoretical, sample) };
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
