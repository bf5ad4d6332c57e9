// An aggregated fit as text, laid out as lme4's summary() (without the scaled residuals, which need
// the rows: `augment` computes them in the engine).
import { formatPValueR } from "@lmm/core";
import { coefficientsAggregated } from "@lmm/core/aggregate";
import type { SqlFit } from "./fit.js";

/**
 * Options of {@link sqlFitSummary} and {@link sqlFitJson}: add lmerTest's t tests, with Satterthwaite's
 * or Kenward–Roger's df (Kenward–Roger also prints the adjusted standard errors and t values, as lmerTest).
 *
 * @example
 * ```ts
 * console.log(sqlFitSummary(fit, { ddf: "satterthwaite" } satisfies SqlFitTextOptions));
 * ```
 */
export interface SqlFitTextOptions {
  ddf?: "satterthwaite" | "kenward-roger";
}

const METHOD_NAMES = { satterthwaite: "Satterthwaite's", "kenward-roger": "Kenward-Roger's" } as const;

const sig = (x: number, digits = 4) => (Number.isFinite(x) ? String(Number(x.toPrecision(digits))) : String(x));

const indent = (t: string) => t.split("\n").map((line) => (line ? `  ${line}` : line)).join("\n");

function table(rows: string[][], left = 2): string {
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => (r[c] ?? "").length)));
  return rows.map((r) => r.map((cell, c) => (c < left ? (cell ?? "").padEnd(widths[c]) : (cell ?? "").padStart(widths[c]))).join(" ").trimEnd()).join("\n");
}

/**
 * The text summary of an {@link SqlFit}: criterion, random effects, numbers of observations and
 * groups, fixed effects, warnings, and the rows dropped for missing values.
 *
 * @example
 * ```ts
 * console.log(sqlFitSummary(await fitSql(engine, source, "y ~ x + (1 | g)"), { ddf: "satterthwaite" }));
 * ```
 */
export function sqlFitSummary(fit: SqlFit, options: SqlFitTextOptions = {}): string {
  const out: string[] = [];
  const tests = options.ddf !== undefined;
  const kr = options.ddf === "kenward-roger";
  const rowsOf = tests ? coefficientsAggregated(fit, { ddf: options.ddf }) : [];
  const title = `Linear mixed model fit by ${fit.reml ? "REML" : "maximum likelihood "}`;
  out.push(`${tests ? `${title.trimEnd()}. t-tests use ${METHOD_NAMES[options.ddf!]} method ['lmerModLmerTest']` : `${title} ['lmerMod']`}, from sums computed by SQL`);
  out.push(`Formula: ${fit.formula}`, "");
  const e = fit.estimates;
  if (fit.reml) out.push(`REML criterion at convergence: ${sig(e.objective, 5)}`, "");
  else out.push(table([["AIC", "BIC", "logLik", "deviance", "df.resid"], [sig(e.AIC, 5), sig(e.BIC, 5), sig(e.logLik, 5), sig(e.deviance, 5), String(fit.nobs - fit.fixef.length)]], 0), "");
  const corr = fit.varCorr.terms.some((t) => t.terms.length > 1);
  const rows: string[][] = [["Groups", "Name", "Variance", "Std.Dev.", ...(corr ? ["Corr"] : [])]];
  for (const t of fit.varCorr.terms) {
    t.terms.forEach((name, i) => rows.push([i === 0 ? t.name : "", name, sig(t.variance[i]), sig(t.sd[i]), t.correlation[i].slice(0, i).map((c) => (Number.isFinite(c) ? c.toFixed(2) : "NaN")).join(" ")]));
  }
  rows.push(["Residual", "", sig(fit.varCorr.residual.variance), sig(fit.varCorr.residual.sd)]);
  out.push("Random effects:", table(rows));
  const v = fit.dispersion;
  if (v) {
    // nlme's varIdent print, as the in-memory summary: δ̂ per level, then each level's residual sd.
    out.push("Variance function:", " Structure: Different standard deviations per stratum", ` Formula: ${v.formula.trim()}`, " Parameter estimates:");
    out.push(indent(table([v.levels, Array.from(v.delta, (x) => sig(x))], 0)), ` Residual Std.Dev. per level (Residual above: ${v.levels[0]}):`, indent(table([v.levels, Array.from(v.sd, (x) => sig(x))], 0)));
  }
  out.push(`Number of obs: ${fit.nobs}, groups:  ${Object.entries(fit.ngrps).map(([g, n]) => `${g}, ${n}`).join("; ")}`, "");
  const header = ["", "Estimate", "Std. Error", ...(kr ? ["KR Std. Error", "KR t value"] : []), ...(tests ? ["df"] : []), "t value", ...(tests ? ["Pr(>|t|)"] : [])];
  const line = (f: SqlFit["fixef"][number], j: number) => {
    const t = rowsOf[j];
    return [f.name, sig(f.estimate), sig(f.stdError), ...(kr ? [t.stdError.toPrecision(4), t.statistic.toFixed(3)] : []), ...(tests ? [t.df.toFixed(3)] : []), sig(f.tValue, 3), ...(tests ? [formatPValueR(t.pValue)] : [])];
  };
  out.push("Fixed effects:", table([header, ...fit.fixef.map(line)], 1));
  if (options.ddf === "satterthwaite") for (const w of fit.satterthwaiteWarnings) out.push(`Warning: ${w}`);
  for (const w of fit.warnings) out.push(w.code === "SINGULAR" ? w.message : `Warning: ${w.message}`);
  const d = fit.droppedRows;
  if (d.count > 0) {
    const why = d.byColumn.filter((c) => c.missing > 0).map((c) => `${c.column}: ${c.missing}`).join(", ");
    const zero = d.zeroWeights, missing = d.count - zero;
    const rows = `${d.count} row${d.count === 1 ? "" : "s"} of ${fit.nRows} left out`;
    out.push("", zero === 0 ? `${rows} for missing values (${why})` : missing === 0 ? `${rows} for a prior weight of 0` : `${rows}: ${missing} for missing values (${why}), ${zero} for a prior weight of 0`);
  }
  return out.join("\n") + "\n";
}

/**
 * The fit as JSON, with the keys of the model's JSON (`lmm fit --json`) where they mean the same;
 * `droppedRows.indices` is empty (rows are not numbered in an engine), `nRows` and `cells` are added.
 *
 * @example
 * ```ts
 * JSON.stringify(sqlFitJson(fit)); // {"formula":"y ~ x + (1 | g)","reml":true,"nobs":…}
 * ```
 */
export function sqlFitJson(fit: SqlFit, options: SqlFitTextOptions = {}): Record<string, unknown> {
  const fin = (x: number) => (Number.isFinite(x) ? x : null);
  const fixef: Record<string, unknown> = Object.create(null);
  const rowsOf = options.ddf ? coefficientsAggregated(fit, { ddf: options.ddf }) : [];
  fit.fixef.forEach((f, j) => (fixef[f.name] = { estimate: fin(f.estimate), se: fin(f.stdError), t: fin(f.tValue), ...(options.ddf ? { df: fin(rowsOf[j].df), p: fin(rowsOf[j].pValue) } : {}) }));
  const ngroups: Record<string, number> = Object.create(null);
  Object.assign(ngroups, fit.ngrps);
  const e = fit.estimates;
  return {
    formula: fit.formula,
    reml: fit.reml,
    nobs: fit.nobs,
    ngroups,
    objective: e.objective,
    logLik: e.logLik,
    AIC: e.AIC,
    BIC: e.BIC,
    sigma: fit.sigma,
    theta: Array.from(fit.theta),
    thetaNames: fit.thetaNames,
    fixef,
    varcorr: fit.varCorr.terms.map((t) => ({ group: t.group, name: t.name, terms: t.terms, sd: t.sd, corr: t.correlation.map((r) => r.map(fin)) })),
    singular: e.singular,
    converged: fit.optimisation.converged,
    droppedRows: { count: fit.droppedRows.count, indices: [], byColumn: fit.droppedRows.byColumn },
    droppedColumns: fit.droppedColumns,
    warnings: fit.warnings.map((w) => ({ code: w.code, message: w.message })),
    evaluations: fit.optimisation.evaluations,
    nRows: fit.nRows,
    cells: fit.cells,
    ...(fit.dispersion ? { dispersion: { formula: fit.dispersion.formula, sd: levelRecord(fit.dispersion.levels, fit.dispersion.sd) } } : {}),
  };
}

/** Level → value, safe for any level name (`__proto__`). */
function levelRecord(levels: readonly string[], values: ArrayLike<number>): Record<string, number> {
  const out: Record<string, number> = Object.create(null);
  levels.forEach((level, g) => (out[level] = values[g]));
  return out;
}
