import { InvalidArgumentError, type DataColumns, type LinearMixedModel } from "@lmm/core";
import { table, type ColumnTable } from "arquero";
import { resolveGrouping } from "../caseDeletion/grouping.js";
import { deletionShared, runDeletions, type DeletionRunOptions } from "../caseDeletion/runDeletions.js";
import type { DeletionOutcome } from "../caseDeletion/deletionTask.js";
import { olsFit } from "../leastSquares/ols.js";
import { predictionMetrics, type PredictionMetrics } from "./metrics.js";
import type { LosoInput } from "../results.js";

/** Options of {@link leaveOneLevelOut}. */
export interface LeaveOneLevelOutOptions extends DeletionRunOptions {
  /** The data the model was fitted to. */
  data: DataColumns;
  /** The factor whose levels are held out in turn (`site`, or any grouping factor or data column). */
  group: string;
  /**
   * Also refit with the first k observations (in data order) of each held-out level and predict its
   * other observations with the random effects those k give (partial pooling). Off by default.
   */
  partialPooling?: { k: number };
  /**
   * `"population"` (default): predict a held-out level from the fixed effects only (Xβ̂), the honest
   * estimate for a site never seen. `"otherLevels"`: keep the random effects of levels of other,
   * crossed factors that the refit still knows (levels it does not know count as 0).
   */
  predictWith?: "population" | "otherLevels";
}

/** Accuracy for one held-out level. */
export interface HeldOutLevel {
  level: string;
  n: number;
  /** The mixed model refitted without the level, predicting it. */
  mixed: PredictionMetrics;
  /** Ordinary least squares with the same fixed formula, refitted without the level. */
  fixedOnly: PredictionMetrics;
  /** With partial pooling: metrics over the level's observations after its first k. */
  partial: PredictionMetrics | null;
  error: { code: string; message: string } | null;
}

/** Leave-one-level-out cross-validation of a mixed model against its fixed-effects-only counterpart. */
export interface LeaveOneLevelOut extends LosoInput {
  group: string;
  predictWith: "population" | "otherLevels";
  k: number | null;
  levels: HeldOutLevel[];
  /** Pooled over every held-out prediction (R² around the mean of all of them). */
  overall: { mixed: PredictionMetrics; fixedOnly: PredictionMetrics; partial: PredictionMetrics | null };
  /** Per used row: data row, level, observed, mixed, fixedOnly, partial (NaN where not predicted). */
  predictions: { row: Int32Array; level: string[]; observed: Float64Array; mixed: Float64Array; fixedOnly: Float64Array; partial: Float64Array };
  /** One row per level: level, n, rmse/mae/r2/bias for mixed, fixedOnly (and partial). */
  table(): ColumnTable;
}

/**
 * Leave-one-level-out cross-validation (leave-one-site-out, for sites): for each level of `group`,
 * refit the model without it (warm-started from the full fit) and predict its observations at the
 * population level; optionally also refit with its first k observations and predict the rest with
 * partial pooling. Compared with ordinary least squares on the same fixed formula, refitted the
 * same way. Per level and overall RMSE, MAE, R² and bias. Runs in the case-deletion pool.
 *
 * @example
 * ```ts
 * const cv = await leaveOneLevelOut(model, { data, group: "site", partialPooling: { k: 2 } });
 * cv.overall.mixed.rmse; cv.overall.fixedOnly.rmse; cv.overall.partial!.rmse;
 * ```
 */
export async function leaveOneLevelOut(model: LinearMixedModel, options: LeaveOneLevelOutOptions): Promise<LeaveOneLevelOut> {
  const k = options.partialPooling?.k ?? null;
  if (k !== null && !(Number.isInteger(k) && k >= 1)) throw new InvalidArgumentError("partialPooling.k", k, "a whole number ≥ 1");
  const predictWith = options.predictWith ?? "population";
  if (predictWith !== "population" && predictWith !== "otherLevels") throw new InvalidArgumentError("predictWith", predictWith, '"population" or "otherLevels"');
  const grouping = resolveGrouping(model, options.group, options.data);
  const shared = deletionShared(model, options.data, grouping, options, { otherLevels: predictWith === "otherLevels" });
  const payloads = grouping.levels.map((_, level) => ({ level, keep: 0 }));
  if (k !== null) payloads.push(...grouping.levels.map((_, level) => ({ level, keep: k })));
  const outcomes = await runDeletions(shared, payloads, grouping.levels, options);

  const y = model.response;
  const n = y.length;
  const X = model.structure.fixedMatrix();
  const { weights, offset } = model.structure;
  const mixed = new Float64Array(n).fill(NaN);
  const fixedOnly = new Float64Array(n).fill(NaN);
  const partial = new Float64Array(n).fill(NaN);
  const errors = new Map<number, DeletionOutcome["error"]>();
  for (const o of outcomes) {
    if (o.error) errors.set(o.level, errors.get(o.level) ?? o.error);
    if (!o.predictions) continue;
    const target = o.keep === 0 ? mixed : partial;
    o.heldOut.forEach((row, i) => (target[row] = o.predictions![i]));
    if (o.keep === 0) olsPredict(X.data, n, X.p, y, o.heldOut, fixedOnly, weights, offset);
  }
  const rowsByLevel = grouping.levels.map((): number[] => []);
  grouping.codes.forEach((c, i) => rowsByLevel[c].push(i));
  const levels = grouping.levels.map((label, l): HeldOutLevel => {
    const rows = rowsByLevel[l];
    const metrics = (pred: Float64Array, from = 0) => predictionMetrics(rows.slice(from).map((i) => y[i]), rows.slice(from).map((i) => pred[i]));
    return {
      level: label,
      n: rows.length,
      mixed: metrics(mixed),
      fixedOnly: metrics(fixedOnly),
      partial: k === null ? null : metrics(partial, k),
      error: errors.get(l) ?? null,
    };
  });
  const overall = {
    mixed: predictionMetrics(y, mixed),
    fixedOnly: predictionMetrics(y, fixedOnly),
    partial: k === null ? null : predictionMetrics(y, partial),
  };
  const predictions = {
    row: Int32Array.from(model.structure.rows),
    level: Array.from(grouping.codes, (c) => grouping.levels[c]),
    observed: Float64Array.from(y),
    mixed,
    fixedOnly,
    partial,
  };
  return { group: grouping.group, predictWith, k, levels, overall, predictions, table: () => losoTable(levels, k !== null) };
}

/**
 * Fixed-effects-only predictions for `held` rows from least squares on the other rows. A held-out
 * row that needs a column the training rows cannot estimate (a factor level only the held-out level
 * has) is not predicted (NaN), as the mixed model cannot predict it either.
 */
function olsPredict(X: Float64Array, n: number, p: number, y: Float64Array, held: Int32Array, out: Float64Array, weights: Float64Array | null, offset: Float64Array | null): void {
  const isHeld = new Uint8Array(n);
  held.forEach((r) => (isHeld[r] = 1));
  const train = Int32Array.from([...isHeld.keys()].filter((i) => !isHeld[i]));
  // Prior weights: weighted least squares (rows scaled by √w); an offset is subtracted, then added back.
  const root = weights ? weights.map(Math.sqrt) : null;
  const Xw = root ? X.map((x, k) => x * root[k % n]) : X;
  const yw = root || offset ? y.map((v, i) => (v - (offset ? offset[i] : 0)) * (root ? root[i] : 1)) : y;
  const fit = olsFit(Xw, n, p, yw, train);
  for (const r of held) {
    let s = offset ? offset[r] : 0;
    let ok = true;
    for (let j = 0; j < p; j++) {
      const x = X[j * n + r];
      if (fit.aliased.includes(j) && x !== 0) ok = false;
      s += x * fit.coefficients[j];
    }
    out[r] = ok ? s : NaN;
  }
}

function losoTable(levels: HeldOutLevel[], withPartial: boolean): ColumnTable {
  const columns: Record<string, ArrayLike<unknown>> = { level: levels.map((l) => l.level), n: Int32Array.from(levels, (l) => l.n) };
  const add = (prefix: string, get: (l: HeldOutLevel) => PredictionMetrics | null) => {
    for (const m of ["rmse", "mae", "r2", "bias"] as const) columns[`${prefix}_${m}`] = Float64Array.from(levels, (l) => get(l)?.[m] ?? NaN);
  };
  add("mixed", (l) => l.mixed);
  add("fixedOnly", (l) => l.fixedOnly);
  if (withPartial) add("partial", (l) => l.partial);
  return table(columns);
}
