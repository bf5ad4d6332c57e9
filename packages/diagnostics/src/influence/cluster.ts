import type { DataColumns, LinearMixedModel } from "@lmm/core";
import { table, type ColumnTable } from "arquero";
import { resolveGrouping } from "../caseDeletion/grouping.js";
import { deletionShared, runDeletions, type DeletionRunOptions } from "../caseDeletion/runDeletions.js";
import { varianceComponentNames, varianceComponents } from "../caseDeletion/varianceComponents.js";
import type { DeletionOutcome } from "../caseDeletion/deletionTask.js";
import { inverseQuadraticForm } from "@lmm/core/numerics";
import { lme4CooksDistance, lme4Dfbetas } from "./clusterMeasures.js";
import type { ClusterInfluenceInput } from "../results.js";

/** Options of {@link clusterInfluence}. */
export interface ClusterInfluenceOptions extends DeletionRunOptions {
  /** The data the model was fitted to (the refits need the raw columns). */
  data: DataColumns;
  /** The clusters to delete: a grouping factor (`site`, `site:patient`) or any data column. */
  group: string;
}

/** What deleting one cluster does to the fit. */
export interface ClusterInfluenceLevel {
  level: string;
  /** Observations deleted with it. */
  nObs: number;
  /** lme4's Cook's distance (see {@link lme4CooksDistance}); NaN when it is undefined (`cooksDefined` false). */
  cooksD: number;
  /** The textbook form dfbeta' V⁻¹ dfbeta / p, without lme4's (n − p)/n factor. */
  cooksDTextbook: number;
  /** β̂ without the cluster minus β̂ (lme4's `dfbeta`). */
  dfbeta: Float64Array;
  /** dfbeta / SE without the cluster (lme4's `dfbetas`). */
  dfbetas: Float64Array;
  beta: Float64Array;
  se: Float64Array;
  theta: Float64Array;
  sigma: number;
  /** σ without the cluster minus σ. */
  sigmaChange: number;
  /** Variance components without the cluster (names in `varcompNames`). */
  varcomp: Float64Array;
  /** Without minus with (lme4's `dfbeta(infl, "var.cov")`). */
  varcompChange: Float64Array;
  /** The refit's criterion (REML criterion or deviance). */
  objective: number;
  converged: boolean;
  evaluations: number;
  method: DeletionOutcome["method"];
  /** Over a cut-off: `"cooksD"` and/or `"dfbetas:<coefficient>"`. */
  flags: string[];
  flagged: boolean;
  /** Why the refit was impossible (numbers are NaN then). */
  error: { code: string; message: string } | null;
}

/** Cluster-level case-deletion influence of a fit. */
export interface ClusterInfluence extends ClusterInfluenceInput {
  group: string;
  /** Number of clusters deleted (lme4's n in Cook's distance). */
  n: number;
  /** Number of fixed effects. */
  p: number;
  fixefNames: string[];
  varcompNames: string[];
  full: { beta: Float64Array; se: Float64Array; sigma: number; theta: Float64Array; varcomp: Float64Array; vcov: Float64Array };
  /** The usual cut-offs: Cook's D > 4/n, |DFBETAS| > 2/√n. */
  cutoffs: { cooksD: number; dfbetas: number };
  /**
   * Whether the cluster-level Cook's distance is defined: lme4's (n − p)/(n p) factor needs more deleted
   * clusters than fixed effects. When it is not, every `cooksD` (and its cut-off) is NaN, a warning says
   * why, and DFBETAS (always defined) carry the influence.
   */
  cooksDefined: boolean;
  /** Things worth knowing about the result, as data. */
  warnings: string[];
  start: "warm" | "cold";
  levels: ClusterInfluenceLevel[];
  /** Labels of the flagged clusters. */
  flagged: string[];
  /** Total criterion evaluations over all refits. */
  evaluations: number;
  /** One row per cluster: level, nObs, cooksD, dfbetas_<coef> …, dvc_<component> …, dsigma, flagged, converged. */
  table(): ColumnTable;
}

/**
 * Exact case deletion by cluster, as lme4 1.1-31's `influence(model, groups = g)` (after influence.ME):
 * every level of `group` is deleted in turn and the model refitted (from the full fit's θ by default),
 * then Cook's distance and DFBETAS are computed exactly as lme4 defines them (n = number of clusters;
 * DFBETAS scaled by the SEs of the fit without the cluster), with the change in each variance
 * component and in σ. Clusters over 4/n (Cook's D) or 2/√n (any |DFBETAS|) are flagged.
 * Runs in a worker pool (or in this thread) with progress and abort; results do not depend on it.
 *
 * @example
 * ```ts
 * const d = clinics();
 * const m = lmm("y ~ program * time + (1|clinic) + (1 + time|clinic:patient)", d.columns, { levels: d.levels });
 * const infl = await clusterInfluence(m, { data: d.columns, group: "clinic" });
 * infl.flagged; // ["C07", "C16", …]
 * ```
 */
export async function clusterInfluence(model: LinearMixedModel, options: ClusterInfluenceOptions): Promise<ClusterInfluence> {
  const grouping = resolveGrouping(model, options.group, options.data);
  const shared = deletionShared(model, options.data, grouping, options, null);
  const payloads = grouping.levels.map((_, level) => ({ level, keep: 0 }));
  const outcomes = await runDeletions(shared, payloads, grouping.levels, options);
  return summarise(model, grouping.group, grouping.levels, outcomes, shared.start);
}

function summarise(model: LinearMixedModel, group: string, labels: string[], outcomes: DeletionOutcome[], start: "warm" | "cold"): ClusterInfluence {
  const fe = model.fixef();
  const p = fe.length;
  const n = labels.length;
  const vcov = model.vcov();
  const full = {
    beta: Float64Array.from(model.beta),
    se: Float64Array.from(fe, (f) => f.stdError),
    sigma: model.sigma,
    theta: Float64Array.from(model.theta),
    varcomp: varianceComponents(model),
    vcov,
  };
  // lme4's factor (n − p)/(n p) is zero or negative with no more clusters than fixed effects: the measure
  // is undefined there (lme4 would print negative distances), so it is reported as such.
  const cooksDefined = n > p;
  const cutoffs = { cooksD: cooksDefined ? 4 / n : NaN, dfbetas: 2 / Math.sqrt(n) };
  const warnings = cooksDefined ? [] : [
    `Cook's distance is undefined for ${n} deleted level${n === 1 ? "" : "s"} of ${group} and ${p} fixed effects: it needs more deleted clusters than fixed effects ((n - p)/(n p) would be ${n === p ? "zero" : "negative"}); DFBETAS only`,
  ];
  const fixefNames = model.fixefNames.slice();
  const levels = outcomes.map((o): ClusterInfluenceLevel => {
    const dfbeta = o.beta.map((b, j) => b - full.beta[j]);
    const dfbetas = lme4Dfbetas(dfbeta, o.se);
    const cooksD = cooksDefined ? lme4CooksDistance(dfbeta, vcov, n) : NaN;
    const varcompChange = o.error ? full.varcomp.map(() => NaN) : o.varcomp.map((v, j) => v - full.varcomp[j]);
    const flags: string[] = [];
    if (cooksD > cutoffs.cooksD) flags.push("cooksD");
    dfbetas.forEach((d, j) => {
      if (Math.abs(d) > cutoffs.dfbetas) flags.push(`dfbetas:${fixefNames[j]}`);
    });
    return {
      level: labels[o.level],
      nObs: o.heldOut.length,
      cooksD,
      cooksDTextbook: inverseQuadraticForm(vcov, p, dfbeta) / p,
      dfbeta,
      dfbetas,
      beta: o.beta,
      se: o.se,
      theta: o.theta,
      sigma: o.sigma,
      sigmaChange: o.sigma - full.sigma,
      varcomp: o.error ? full.varcomp.map(() => NaN) : o.varcomp,
      varcompChange,
      objective: o.objective,
      converged: o.converged,
      evaluations: o.evaluations,
      method: o.method,
      flags,
      flagged: flags.length > 0,
      error: o.error,
    };
  });
  const varcompNames = varianceComponentNames(model);
  return {
    group,
    n,
    p,
    fixefNames,
    varcompNames,
    full,
    cutoffs,
    cooksDefined,
    warnings,
    start,
    levels,
    flagged: levels.filter((l) => l.flagged).map((l) => l.level),
    evaluations: outcomes.reduce((s, o) => s + o.evaluations, 0),
    table: () => influenceTable(levels, fixefNames, varcompNames),
  };
}

function influenceTable(levels: ClusterInfluenceLevel[], fixefNames: string[], varcompNames: string[]): ColumnTable {
  const columns: Record<string, ArrayLike<unknown>> = {
    level: levels.map((l) => l.level),
    nObs: Int32Array.from(levels, (l) => l.nObs),
    cooksD: Float64Array.from(levels, (l) => l.cooksD),
  };
  fixefNames.forEach((name, j) => (columns[`dfbetas_${name}`] = Float64Array.from(levels, (l) => l.dfbetas[j])));
  varcompNames.forEach((name, j) => (columns[`dvc_${name}`] = Float64Array.from(levels, (l) => l.varcompChange[j])));
  columns.dsigma = Float64Array.from(levels, (l) => l.sigmaChange);
  columns.flagged = levels.map((l) => l.flagged);
  columns.converged = levels.map((l) => l.converged);
  return table(columns);
}
