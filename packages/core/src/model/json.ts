import type { LinearMixedModel } from "./LinearMixedModel.js";

/** The JSON form of a fit; the CLI's `lmm fit --json` prints exactly this (a stable contract). */
export interface ModelJson {
  formula: string;
  reml: boolean;
  nobs: number;
  /** Levels per grouping factor. */
  ngroups: Record<string, number>;
  /** REML criterion (REML fits) or deviance (ML fits), as lme4 reports it. */
  objective: number;
  logLik: number;
  AIC: number;
  BIC: number;
  sigma: number;
  theta: number[];
  thetaNames: string[];
  fixef: Record<string, { estimate: number; se: number; t: number }>;
  varcorr: { group: string; name: string; terms: string[]; sd: number[]; corr: number[][] }[];
  singular: boolean;
  converged: boolean;
  /** Rows left out for missing values: count, 0-based data row indices, and missing values per used column (why). */
  droppedRows: { count: number; indices: number[]; byColumn: { column: string; missing: number }[] };
  droppedColumns: string[];
  warnings: { code: string; message: string }[];
  /** Criterion evaluations (BOBYQA and the Newton polish); kept beside `optimizer` for older readers. */
  evaluations: number;
  /** With a dispersion formula only: the formula and the residual sd of each level (σ̂δ̂_g; `sigma` is the first level's). */
  dispersion?: { formula: string; sd: Record<string, number> };
  /** How the optimiser ended: evaluations, Newton polish steps, the convergence check's max|grad| (null where it did not run). */
  optimizer: { name: string; evaluations: number; polishSteps: number; maxGradient: number | null };
}

/** Name-keyed objects are built without a prototype, so a coefficient named `__proto__` is plain data. */
function record<T>(entries: [string, T][]): Record<string, T> {
  const out: Record<string, T> = Object.create(null);
  for (const [k, v] of entries) out[k] = v;
  return out;
}

/** Non-finite numbers (a correlation with a zero sd) become null, as JSON has no NaN. */
function finite(x: number): number {
  return Number.isFinite(x) ? x : (null as unknown as number);
}

export function modelToJson(m: LinearMixedModel): ModelJson {
  const vc = m.varCorr();
  const converged = m.optimisation.converged && !m.warnings.some((w) => w.code === "CONVERGENCE" || w.code === "HESSIAN" || w.code === "OPTIMIZER");
  return {
    formula: m.formula,
    reml: m.reml,
    nobs: m.nobs,
    ngroups: record(m.ngroups().map((g) => [g.group, g.levels])),
    objective: m.objective,
    logLik: m.logLik,
    AIC: m.AIC,
    BIC: m.BIC,
    sigma: m.sigma,
    theta: Array.from(m.theta),
    thetaNames: m.thetaNames,
    fixef: record(m.fixef().map((f) => [f.name, { estimate: f.estimate, se: f.stdError, t: f.tValue }])),
    varcorr: vc.terms.map((t) => ({ group: t.group, name: t.name, terms: t.terms, sd: t.sd, corr: t.correlation.map((r) => r.map(finite)) })),
    singular: m.isSingular,
    converged,
    droppedRows: { count: m.droppedRows.count, indices: m.droppedRows.indices, byColumn: m.droppedRows.byColumn.map((c) => ({ column: c.column, missing: c.missing })) },
    droppedColumns: m.droppedColumns,
    warnings: m.warnings.map((w) => ({ code: w.code, message: w.message })),
    evaluations: m.optimisation.evaluations,
    ...dispersionJson(m),
    optimizer: { ...m.optimizer, maxGradient: Number.isFinite(m.optimizer.maxGradient) ? m.optimizer.maxGradient : null },
  };
}

function dispersionJson(m: LinearMixedModel): Pick<ModelJson, "dispersion"> {
  const d = m.dispersion;
  if (!d) return {};
  return { dispersion: { formula: d.formula, sd: record(d.levels.map((level, g) => [level, d.sd[g]])) } };
}
