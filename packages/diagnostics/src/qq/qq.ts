import { InvalidArgumentError, type LinearMixedModel } from "@lmm/core";
import { residualDiagnostics } from "../residuals/residuals.js";
import { andersonDarling, shapiroFrancia, type NormalityTest } from "./normality.js";
import { normalScores, quartileLine, sortOrder, sortedQuantile } from "./quantiles.js";
import { simulateRefits } from "./simulateRefits.js";
import type { QqInput, QqSet } from "../results.js";

/** Which residuals a residual Q-Q plot shows. */
export type QQResidualType = "pearson" | "studentised" | "pearsonMarginal";

/** Options of {@link qq}. */
export interface QQOptions {
  /** Residuals to plot (default conditional `"pearson"`, r / σ̂). */
  residuals?: QQResidualType;
  /** Number of simulated refits for the envelope (default 99; 0 for none). */
  nsim?: number;
  /** Seed of the simulation (default 1). */
  seed?: number;
  /** Pointwise coverage of the envelope (default 0.95). */
  level?: number;
  signal?: AbortSignal;
  /** Called after each simulated refit with the number done and `nsim` (a progress bar's input). */
  onProgress?: (done: number, total: number) => void;
}

/** The data of one normal Q-Q plot. */
export interface QQData extends QqInput {
  label: string;
  n: number;
  /** N(0, 1) quantiles at R's `ppoints(n)`. */
  theoretical: Float64Array;
  /** The values, sorted. */
  sample: Float64Array;
  /** Which value sits at each position: data row (residuals) or level label (random effects). */
  ids: string[];
  /** R's `qqline`: the line through the first and third quartiles. */
  line: { intercept: number; slope: number };
  /** Pointwise envelope of the sorted values over fits to data simulated from the model. */
  envelope: { lower: Float64Array; median: Float64Array; upper: Float64Array; level: number; nsim: number } | null;
  normality: {
    andersonDarling: NormalityTest & { simulatedPValue: number };
    shapiroFrancia: NormalityTest;
  };
}

/** Q-Q data of the residuals and of each random-effect column, sharing one set of simulated refits. */
export interface QQDiagnostics extends QqSet {
  residuals: QQData;
  /** One per grouping factor and column (`Subject: (Intercept)`, `Subject: Days`). */
  ranef: QQData[];
  nsim: number;
  seed: number;
}

/**
 * Normal Q-Q data for the residuals and for the conditional modes of every random-effect column,
 * with a seeded parametric simulation envelope (responses simulated from the fit, refitted from its
 * θ on one workspace, the same quantity recomputed and sorted; pointwise quantiles per position) and
 * normality statistics: Anderson–Darling (with its textbook p-value and a simulated p-value, the
 * share of simulated fits whose A² is at least as large — honest for correlated LMM residuals and
 * shrunken modes) and Shapiro–Francia W′.
 *
 * @example
 * ```ts
 * const q = qq(lmm("Reaction ~ Days + (Days | Subject)", sleepstudy), { nsim: 199, seed: 42 });
 * q.residuals.envelope!.upper; q.ranef[1].normality.andersonDarling.simulatedPValue;
 * ```
 */
export function qq(model: LinearMixedModel, options: QQOptions = {}): QQDiagnostics {
  const nsim = options.nsim ?? 99;
  const seed = options.seed ?? 1;
  const level = options.level ?? 0.95;
  const type = options.residuals ?? "pearson";
  if (!Number.isInteger(nsim) || nsim < 0) throw new InvalidArgumentError("nsim", nsim, "a whole number ≥ 0");
  if (!(level > 0 && level < 1)) throw new InvalidArgumentError("level", level, "a number between 0 and 1");
  if (!["pearson", "studentised", "pearsonMarginal"].includes(type)) throw new InvalidArgumentError("residuals", type, '"pearson", "studentised" or "pearsonMarginal"');

  const observed = [residualValues(model, type), ...ranefValues(model)];
  const rows = model.structure.rows;
  const ids = [Array.from(rows, (r) => String(r + 1)), ...model.ranef().flatMap((re) => re.terms.map(() => re.levels))];
  const labels = [`residuals (${type})`, ...model.ranef().flatMap((re) => re.terms.map((t) => `${re.group}: ${t}`))];
  const simulated: Float64Array[][] = observed.map(() => []);
  simulateRefits(model, nsim, seed, (refit) => {
    const values = [residualValues(refit, type), ...ranefValues(refit)];
    values.forEach((v, j) => simulated[j].push(v.slice().sort()));
    options.onProgress?.(simulated[0].length, nsim);
  }, options.signal);
  const data = observed.map((values, j) => qqData(labels[j], values, ids[j], simulated[j], level));
  return { residuals: data[0], ranef: data.slice(1), nsim, seed };
}

/**
 * Residual Q-Q data alone (see {@link qq}).
 *
 * @example
 * ```ts
 * qqResiduals(model, { residuals: "studentised", nsim: 0 }).normality.shapiroFrancia;
 * ```
 */
export function qqResiduals(model: LinearMixedModel, options: QQOptions = {}): QQData {
  return qq(model, options).residuals;
}

/**
 * Q-Q data of the conditional modes of each random-effect column (see {@link qq}).
 *
 * @example
 * ```ts
 * qqRanef(model, { nsim: 99 }).map((d) => d.label); // ["Subject: (Intercept)", "Subject: Days"]
 * ```
 */
export function qqRanef(model: LinearMixedModel, options: QQOptions = {}): QQData[] {
  return qq(model, options).ranef;
}

function residualValues(model: LinearMixedModel, type: QQResidualType): Float64Array {
  // Pearson residuals need no hat values: skip their cost in every simulated refit.
  if (type === "pearson") return model.residuals().map((v) => v / model.sigma);
  const r = residualDiagnostics(model);
  return type === "studentised" ? r.studentised : r.pearsonMarginal;
}

/** One array per grouping factor and column: the conditional modes of every level. */
function ranefValues(model: LinearMixedModel): Float64Array[] {
  return model.ranef().flatMap((re) => {
    const k = re.terms.length;
    return re.terms.map((_, c) => Float64Array.from(re.levels, (_, l) => re.values[l * k + c]));
  });
}

function qqData(label: string, values: Float64Array, ids: string[], simulated: Float64Array[], level: number): QQData {
  const order = sortOrder(values);
  const sample = Float64Array.from(order, (i) => values[i]);
  const n = sample.length;
  const theoretical = normalScores(n);
  const ad = andersonDarling(values);
  let envelope: QQData["envelope"] = null;
  let simulatedPValue = NaN;
  if (simulated.length > 0) {
    const lower = new Float64Array(n), median = new Float64Array(n), upper = new Float64Array(n);
    const column = new Float64Array(simulated.length);
    for (let i = 0; i < n; i++) {
      simulated.forEach((s, k) => (column[k] = s[i]));
      column.sort();
      lower[i] = sortedQuantile(column, (1 - level) / 2);
      median[i] = sortedQuantile(column, 0.5);
      upper[i] = sortedQuantile(column, (1 + level) / 2);
    }
    envelope = { lower, median, upper, level, nsim: simulated.length };
    if (Number.isFinite(ad.statistic)) {
      const exceed = simulated.filter((s) => !(andersonDarling(s).statistic < ad.statistic)).length;
      simulatedPValue = (exceed + 1) / (simulated.length + 1);
    }
  }
  return {
    label,
    n,
    theoretical,
    sample,
    ids: Array.from(order, (i) => ids[i]),
    line: quartileLine(theoretical, sample),
    envelope,
    normality: { andersonDarling: { ...ad, simulatedPValue }, shapiroFrancia: shapiroFrancia(values) },
  };
}
