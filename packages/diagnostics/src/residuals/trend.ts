import { InvalidArgumentError, type DataColumns, type LinearMixedModel } from "@lmm/core";
import { pfUpper, pt2 } from "@lmm/core/numerics";
import { olsFit } from "../leastSquares/ols.js";
import { UnknownGroupingError } from "../caseDeletion/errors.js";
import { residualDiagnostics } from "./residuals.js";
import { loessCurve, type SmoothCurve } from "./loess.js";

/** Options of {@link residualTrend}. */
export interface ResidualTrendOptions {
  /** Which residuals: conditional `"pearson"` (default), `"studentised"`, `"response"` or `"marginal"` (y − Xβ̂). */
  residuals?: "pearson" | "studentised" | "response" | "marginal";
  /** Data the model was fitted to, for covariates that are not in the model. */
  data?: DataColumns;
  /** Significance level of `detected` (default 0.05). */
  alpha?: number;
  /** LOESS span (default 0.75) and grid size (default 50) of the smoother. */
  span?: number;
  points?: number;
}

/** A test of one term against the residuals. */
export interface TrendTest {
  statistic: number;
  df1: number;
  df2: number;
  pValue: number;
}

/** Leftover structure of the residuals against fitted values or a covariate. */
export interface ResidualTrend {
  against: string;
  kind: "numeric" | "categorical";
  n: number;
  /** Numeric: slope of residual on x, its SE, t and two-sided p (df n − 2). */
  slope?: { estimate: number; se: number; t: number; pValue: number };
  /** Numeric: F test of the quadratic term given the linear one (curvature). */
  curvature?: TrendTest;
  /** Numeric: F test of linear + quadratic terms together; categorical: one-way ANOVA F over the levels. */
  overall: TrendTest;
  /** Categorical: mean residual and count per level. */
  groups?: { level: string; n: number; mean: number }[];
  /** Numeric: the LOESS curve of residual on x. */
  smooth?: SmoothCurve;
  /** Whether the overall test rejects "no structure" at `alpha`. */
  detected: boolean;
}

/**
 * Is there structure left in the residuals? Regresses the residuals on `against` — `"fitted"`
 * (conditional fitted values) or a covariate (a model variable or a column of `options.data`, e.g.
 * time) — with a linear and a quadratic term (numeric) or a level mean (categorical), and tests it;
 * also returns a LOESS smoother for the plot. The tests treat the residuals as independent, which
 * LMM residuals are only approximately: read the p-value as a screen.
 *
 * @example
 * ```ts
 * residualTrend(model, "fitted").overall.pValue;
 * residualTrend(model, "time", { data }).curvature;
 * ```
 */
export function residualTrend(model: LinearMixedModel, against: string, options: ResidualTrendOptions = {}): ResidualTrend {
  const r = residualDiagnostics(model);
  const kind = options.residuals ?? "pearson";
  const res = kind === "pearson" ? r.pearson : kind === "studentised" ? r.studentised : kind === "response" ? r.residual : kind === "marginal" ? r.residualMarginal : null;
  if (!res) throw new InvalidArgumentError("residuals", kind, '"pearson", "studentised", "response" or "marginal"');
  const alpha = options.alpha ?? 0.05;
  const x = covariate(model, against, r.fitted, options.data);
  if (x.kind === "categorical") return categoricalTrend(against, x.labels, res, alpha);
  return numericTrend(against, x.values, res, alpha, options);
}

type Covariate = { kind: "numeric"; values: Float64Array } | { kind: "categorical"; labels: string[] };

function covariate(model: LinearMixedModel, name: string, fitted: Float64Array, data?: DataColumns): Covariate {
  if (name === "fitted") return { kind: "numeric", values: fitted };
  const structure = model.structure;
  if (data && Object.prototype.hasOwnProperty.call(data, name)) {
    const column = data[name];
    if (column.length !== structure.nDataRows) throw new InvalidArgumentError(`column ${JSON.stringify(name)}`, `${column.length} values`, `${structure.nDataRows} values (the rows of the fitted data)`);
    const values = Array.from(structure.rows, (i) => column[i]);
    if (values.every((v) => typeof v === "number" || v === null || v === undefined)) return { kind: "numeric", values: Float64Array.from(values, (v) => (typeof v === "number" ? v : NaN)) };
    return { kind: "categorical", labels: values.map(String) };
  }
  const variable = structure.variable(name);
  if (variable?.kind === "numeric") return { kind: "numeric", values: variable.values };
  if (variable) return { kind: "categorical", labels: Array.from(variable.codes, (c) => variable.levels[c]) };
  throw new UnknownGroupingError(name, ["fitted", ...structure.variables(), ...(data ? Object.keys(data) : [])], '"fitted", a variable of the model or a column of options.data');
}

function numericTrend(against: string, xIn: Float64Array, res: Float64Array, alpha: number, options: ResidualTrendOptions): ResidualTrend {
  const keep = [...xIn.keys()].filter((i) => Number.isFinite(xIn[i]) && Number.isFinite(res[i]));
  const n = keep.length;
  const x = Float64Array.from(keep, (i) => xIn[i]);
  const y = Float64Array.from(keep, (i) => res[i]);
  // Centre and scale x so that x² is not nearly collinear with x.
  const mean = x.reduce((s, v) => s + v, 0) / n;
  const sd = Math.sqrt(x.reduce((s, v) => s + (v - mean) ** 2, 0) / Math.max(n - 1, 1)) || 1;
  const X = new Float64Array(3 * n);
  for (let i = 0; i < n; i++) {
    const z = (x[i] - mean) / sd;
    X[i] = 1;
    X[n + i] = z;
    X[2 * n + i] = z * z;
  }
  const fit0 = olsFit(X, n, 1, y);
  const fit1 = olsFit(X, n, 2, y);
  const fit2 = olsFit(X, n, 3, y);
  const slopeEstimate = fit1.coefficients[1] / sd;
  const slopeSe = fit1.se[1] / sd;
  const t = slopeEstimate / slopeSe;
  const fTest = (small: typeof fit0, big: typeof fit0): TrendTest => {
    const df1 = big.rank - small.rank, df2 = big.dfResidual;
    const statistic = df1 > 0 && df2 > 0 ? (small.rss - big.rss) / df1 / (big.rss / df2) : NaN;
    return { statistic, df1, df2, pValue: Number.isFinite(statistic) ? pfUpper(Math.max(statistic, 0), df1, df2) : NaN };
  };
  const overall = fTest(fit0, fit2);
  return {
    against,
    kind: "numeric",
    n,
    slope: { estimate: slopeEstimate, se: slopeSe, t, pValue: Number.isFinite(t) ? pt2(t, n - 2) : NaN },
    curvature: fTest(fit1, fit2),
    overall,
    smooth: loessCurve(x, y, { span: options.span, points: options.points }),
    detected: overall.pValue < alpha,
  };
}

function categoricalTrend(against: string, labels: string[], res: Float64Array, alpha: number): ResidualTrend {
  const byLevel = new Map<string, { n: number; sum: number }>();
  let total = 0, n = 0;
  labels.forEach((l, i) => {
    if (!Number.isFinite(res[i])) return;
    const g = byLevel.get(l) ?? { n: 0, sum: 0 };
    g.n++;
    g.sum += res[i];
    byLevel.set(l, g);
    total += res[i];
    n++;
  });
  const grand = total / n;
  let between = 0, within = 0;
  labels.forEach((l, i) => {
    if (!Number.isFinite(res[i])) return;
    const g = byLevel.get(l)!;
    within += (res[i] - g.sum / g.n) ** 2;
  });
  for (const g of byLevel.values()) between += g.n * (g.sum / g.n - grand) ** 2;
  const df1 = byLevel.size - 1, df2 = n - byLevel.size;
  const statistic = df1 > 0 && df2 > 0 ? between / df1 / (within / df2) : NaN;
  const pValue = Number.isFinite(statistic) ? pfUpper(statistic, df1, df2) : NaN;
  const groups = [...byLevel.entries()].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)).map(([level, g]) => ({ level, n: g.n, mean: g.sum / g.n }));
  return { against, kind: "categorical", n, overall: { statistic, df1, df2, pValue }, groups, detected: pValue < alpha };
}
