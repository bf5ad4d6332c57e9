import { LmmError, type OptimisationInfo } from "@lmm/core";
import { RowsRefit } from "@lmm/core/engine";
import { selectRows, type RefitOptions, type UsedColumns } from "./modelData.js";
import { newtonRefit } from "./warmStart.js";
import { varianceComponents, varianceComponentsOf } from "./varianceComponents.js";

/** How a deletion refit starts: from the full fit's θ (warm) or from lme4's default start (cold). */
export type RefitStart = "warm" | "cold";

/** What every deletion refit of one run shares (sent once per worker). */
export interface DeletionShared {
  formula: string;
  reml: boolean;
  /** The model's columns over the rows it used. */
  data: UsedColumns;
  /** Contrasts, learned bases, weights and offset of the full fit (see `usedColumns`). */
  options: RefitOptions;
  /** Level order per categorical column, as the full fit coded them. */
  levels: Record<string, string[]>;
  /** Cluster of each used row. */
  codes: Int32Array;
  /** θ̂ of the full fit (the warm start). */
  theta: Float64Array;
  /** Hessian of the full fit's criterion at θ̂ (quasi-Newton warm refits); null: BOBYQA from θ̂. */
  hessian: Float64Array | null;
  /** Fixed-effect names of the full fit: refit coefficients are reported in this order. */
  fixefNames: string[];
  start: RefitStart;
  maxEval?: number;
  /** Predict the held-out rows: with the random effects of levels still known, or population only. */
  predict: null | { otherLevels: boolean };
}

/** One refit: delete cluster `level`, except its first `keep` rows (partial pooling in cross-validation). */
export interface DeletionPayload {
  level: number;
  keep: number;
}

/** The numbers of one deletion refit (plain data: it travels back from a worker). */
export interface DeletionOutcome {
  level: number;
  keep: number;
  /** Used-row indices left out of the refit. */
  heldOut: Int32Array;
  /** Set when the refit was impossible (e.g. a grouping factor left with one level); numbers are then NaN. */
  error: { code: string; message: string } | null;
  theta: Float64Array;
  /** Fixed effects in the full fit's order; NaN for a coefficient the refit does not have. */
  beta: Float64Array;
  se: Float64Array;
  sigma: number;
  /** σ² then each term's covariance lower triangle, column by column (lme4's `var.cov.comps`). */
  varcomp: Float64Array;
  objective: number;
  evaluations: number;
  converged: boolean;
  method: "newton" | "newton+bobyqa" | "bobyqa" | "cold";
  /** Predictions for the held-out rows (cross-validation only). */
  predictions: Float64Array | null;
}

/** Refits the model without one cluster (the body of the worker task). */
export function refitWithout(shared: DeletionShared, payload: DeletionPayload): DeletionOutcome {
  const { codes } = shared;
  const train: number[] = [];
  const held: number[] = [];
  let seen = 0;
  for (let i = 0; i < codes.length; i++) {
    if (codes[i] !== payload.level) train.push(i);
    else if (seen++ < payload.keep) train.push(i);
    else held.push(i);
  }
  const heldOut = Int32Array.from(held);
  try {
    const refit = new RowsRefit(shared.formula, selectRows(shared.data, train), { ...shared.options, levels: shared.levels, na: "omit" }, shared.reml);
    const { theta, info, method } = optimise(refit, shared);
    const evaluations = refit.evaluations;
    if (!shared.predict) return summary(shared, payload, heldOut, refit, theta, info, method, evaluations);
    const model = refit.model(theta, info);
    const p = shared.fixefNames.length;
    const beta = new Float64Array(p).fill(NaN);
    const se = new Float64Array(p).fill(NaN);
    const at = new Map(model.fixef().map((f) => [f.name, f]));
    shared.fixefNames.forEach((name, j) => {
      const f = at.get(name);
      if (f) {
        beta[j] = f.estimate;
        se[j] = f.stdError;
      }
    });
    let predictions: Float64Array | null = null;
    if (shared.predict && held.length > 0) {
      const newdata = selectRows(shared.data, heldOut);
      predictions = payload.keep === 0 && !shared.predict.otherLevels ? model.predict(newdata, { re: false }) : model.predict(newdata, { newLevels: "population" });
      // A fixed part without variables (y ~ 1 + …) gives predict() no column to count rows by.
      if (predictions.length !== held.length) predictions = new Float64Array(held.length).fill(model.fixefNames[0] === "(Intercept)" ? model.beta[0] : 0);
    }
    return {
      level: payload.level, keep: payload.keep, heldOut, error: null,
      theta: Float64Array.from(theta), beta, se, sigma: model.sigma, varcomp: varianceComponents(model),
      objective: model.objective, evaluations, converged: info.converged, method, predictions,
    };
  } catch (e) {
    if (!(e instanceof LmmError)) throw e;
    const nan = (k: number) => new Float64Array(k).fill(NaN);
    const p = shared.fixefNames.length;
    return {
      level: payload.level, keep: payload.keep, heldOut, error: { code: e.code, message: e.message },
      theta: nan(shared.theta.length), beta: nan(p), se: nan(p), sigma: NaN, varcomp: nan(0),
      objective: NaN, evaluations: 0, converged: false, method: shared.start === "cold" ? "cold" : "bobyqa", predictions: null,
    };
  }
}

/**
 * The outcome without a model: β̂, their SEs, σ and the variance components read from the factor at
 * θ̂. Influence needs nothing more, and building a model (modes, the blocked factor) would cost a
 * warm refit as much as its optimisation.
 */
function summary(shared: DeletionShared, payload: DeletionPayload, heldOut: Int32Array, refit: RowsRefit, theta: Float64Array, info: OptimisationInfo, method: DeletionOutcome["method"], evaluations: number): DeletionOutcome {
  const at = refit.estimates(theta);
  const names = refit.fixefNames;
  const p = shared.fixefNames.length;
  const beta = new Float64Array(p).fill(NaN);
  const se = new Float64Array(p).fill(NaN);
  shared.fixefNames.forEach((name, j) => {
    const column = names.indexOf(name);
    if (column >= 0) {
      beta[j] = at.beta[column];
      se[j] = at.se[column];
    }
  });
  return {
    level: payload.level, keep: payload.keep, heldOut, error: null,
    theta: Float64Array.from(theta), beta, se, sigma: at.sigma, varcomp: varianceComponentsOf(refit.varCorr(theta, at.sigma), at.sigma),
    objective: at.objective, evaluations, converged: info.converged, method, predictions: null,
  };
}

function optimise(refit: RowsRefit, shared: DeletionShared): { theta: Float64Array; info: OptimisationInfo; method: DeletionOutcome["method"] } {
  const lower = refit.thetaLower;
  if (shared.start === "cold") return { ...refit.optimise({ maxEval: shared.maxEval }), method: "cold" };
  if (shared.hessian) {
    const r = newtonRefit((t) => refit.evaluate(t), shared.theta, lower, shared.hessian);
    if (r.converged) {
      const info: OptimisationInfo = { optimizer: "quasi-newton", evaluations: refit.evaluations, converged: true, reason: `converged after ${r.iterations} iteration(s)` };
      return { theta: r.theta, info, method: "newton" };
    }
    // Far from the full fit's optimum (an influential cluster): finish with BOBYQA from the best point.
    const start = Number.isFinite(r.objective) ? r.theta : shared.theta;
    return { ...refit.optimise({ start, maxEval: shared.maxEval }), method: "newton+bobyqa" };
  }
  return { ...refit.optimise({ start: shared.theta, maxEval: shared.maxEval }), method: "bobyqa" };
}
