// Variance fractions of many features from one grouped pass, as `varpart` of @lmm/diagnostics
// reports them (variancePartition's decomposition, performance::icc's ICCs, the ratio ρ), each
// quantity that needs rows there computed here from the cells' sums.
import { InvalidArgumentError } from "@lmm/core";
import { aggregatedVariances } from "@lmm/core/aggregate";
import type { SqlEngine } from "./engine.js";
import { fitSqlEach, type FitSqlEachOptions, type SqlFeatureFit, type SqlFit } from "./fit.js";
import type { SqlSource } from "./generate.js";

/** Options of {@link varpartSql}: those of `fitSqlEach`, and `varpart`'s `fixed` and `ratio`. */
export interface VarpartSqlOptions extends FitSqlEachOptions {
  /** Include each fixed-effect term's share of var(Xβ) as a component (variancePartition's approach). Default false. */
  fixed?: boolean;
  /** Components whose ratio ρ = Σ batch / Σ signal to report, e.g. `{ batch: ["batch", "day"], signal: ["donor"] }`. */
  ratio?: { batch: readonly string[]; signal: readonly string[] };
}

/** One component of one feature: a row of `varpart`'s `table`. */
export interface SqlVarpartRow {
  feature: string;
  /** `group` for a random intercept, `group.column` for other random-effect columns, the term label for a fixed effect, `Residual`. */
  component: string;
  kind: "random" | "fixed" | "residual";
  variance: number;
  fraction: number;
}

/** One feature: a row of `varpart`'s `summary` (null where the feature has no fit, or no ratio was asked for), with its warnings. */
export interface SqlVarpartSummary {
  feature: string;
  "icc.adjusted": number | null;
  "icc.conditional": number | null;
  ratio: number | null;
  singular: boolean | null;
  error: string | null;
  /** Things to know when reading the numbers (random slopes, a singular fit), as `varpart`'s decomposition warns. */
  warnings: string[];
}

/** What {@link varpartSql} returns. */
export interface VarpartSqlResult {
  /** `varpart`'s `table`: one row per feature and component, features in the order of the grouped query. */
  rows: SqlVarpartRow[];
  /** `varpart`'s `summary`: one row per feature (also those that failed). */
  summary: SqlVarpartSummary[];
  /** The features that could not be fitted, and why. */
  errors: { feature: string; message: string }[];
  /** The per-feature fits behind the numbers (as `varpart`'s `fits`). */
  fits: SqlFeatureFit[];
  /**
   * With a dispersion formula, `varpart`'s `residualLevels`: one row per feature and level, its residual
   * sd σ̂δ̂_g, variance and share n_g (σ̂δ̂_g)² / n of the total (the `Residual` component is their pooled
   * variance); null otherwise.
   */
  residualLevels: { feature: string; level: string; sd: number; variance: number; fraction: number }[] | null;
}

/**
 * `varpart` of `@lmm/diagnostics` for a long table in an SQL engine: every feature's sums in one
 * `GROUP BY feature, …` pass, one fit per feature (in workers with `workers`), then the same
 * decomposition: each random-effect variance (VarCorr's diagonal), with `fixed: true` each
 * fixed-effect term's share of var(Xβ), and the residual variance, as fractions of their sum; the
 * adjusted and conditional ICCs (mean z'Σz over the observations, var(Xβ) from X'X and the column
 * sums); ρ for named components; with `dispersion`, the residual pooled over its levels and each
 * level's share. Bootstrap intervals are not computed here.
 *
 * @example
 * ```ts
 * const { rows, summary } = await varpartSql(engine, { table: "expression" }, "value ~ x + (1 | donor) + (1 | batch)", {
 *   by: "gene", fixed: true, ratio: { batch: ["batch"], signal: ["donor"] }, workers: 2 });
 * rows.filter((r) => r.component === "batch");
 * ```
 */
export async function varpartSql(engine: SqlEngine, source: SqlSource, formula: string, options: VarpartSqlOptions): Promise<VarpartSqlResult> {
  const { fixed = false, ratio, ...rest } = options;
  const fits = await fitSqlEach(engine, source, formula, rest);
  const rows: SqlVarpartRow[] = [];
  const summary: SqlVarpartSummary[] = [];
  const errors: { feature: string; message: string }[] = [];
  const residualLevels: NonNullable<VarpartSqlResult["residualLevels"]> = [];
  for (const { feature, fit, error } of fits) {
    if (!fit) {
      errors.push({ feature, message: error!.message });
      summary.push({ feature, "icc.adjusted": null, "icc.conditional": null, ratio: null, singular: null, error: error!.message, warnings: [] });
      continue;
    }
    const d = decompose(fit, fixed, ratio);
    for (const c of d.components) rows.push({ feature, ...c });
    const v = fit.dispersion;
    if (v) {
      const n = v.counts.reduce((a, b) => a + b, 0);
      v.levels.forEach((level, g) => residualLevels.push({ feature, level, sd: v.sd[g], variance: v.sd[g] * v.sd[g], fraction: (v.counts[g] * v.sd[g] * v.sd[g]) / n / d.total }));
    }
    summary.push({ feature, "icc.adjusted": d.icc.adjusted, "icc.conditional": d.icc.conditional, ratio: d.ratio, singular: fit.estimates.singular, error: null, warnings: d.warnings });
  }
  return { rows, summary, errors, fits, residualLevels: options.dispersion !== undefined ? residualLevels : null };
}

/** One fit's decomposition, by `decomposeTerms`' rules of @lmm/diagnostics (names, order, fractions, ICCs, warnings). */
function decompose(fit: SqlFit, fixed: boolean, ratio: VarpartSqlOptions["ratio"]) {
  const parts = aggregatedVariances(fit, fit.plan);
  const components: Omit<SqlVarpartRow, "feature" | "fraction">[] = [];
  const used = new Set<string>();
  let slopes = false;
  for (const t of fit.varCorr.terms) {
    t.terms.forEach((column, r) => {
      if (column !== "(Intercept)") slopes = true;
      let name = column === "(Intercept)" ? t.group : `${t.group}.${column}`;
      if (used.has(name)) name = `${t.name}.${column}`;
      used.add(name);
      components.push({ component: name, kind: "random", variance: t.variance[r] });
    });
  }
  if (fixed) for (const f of parts.fixed.terms) components.push({ component: uniqueName(f.term, used), kind: "fixed", variance: f.variance });
  // With a dispersion formula the residual is pooled over its levels, Σ n_g (σδ_g)² / n (as varpart, through its sd).
  const residual = fit.dispersion ? Math.sqrt(fit.dispersion.pooledVariance) ** 2 : fit.varCorr.residual.variance;
  components.push({ component: uniqueName("Residual", used), kind: "residual", variance: residual });
  const total = components.reduce((s, c) => s + c.variance, 0);
  const withFractions = components.map((c) => ({ ...c, fraction: total > 0 ? c.variance / total : NaN }));
  const random = parts.responseVariances.reduce((s, v) => s + v, 0);
  const icc = { adjusted: random / (random + residual), conditional: random / (parts.fixed.sample + random + residual) };
  const warnings: string[] = [];
  if (slopes) warnings.push("random slopes: their fractions are variances of the slopes (variancePartition's convention, not shares of the response variance); the ICC uses the mean of z'Σz over the observations (Nakagawa et al. 2017)");
  if (fit.estimates.singular) warnings.push("singular fit: a variance component is estimated at (or near) zero");
  return { components: withFractions, total, icc, ratio: ratio ? varianceRatio(withFractions, ratio) : null, warnings };
}

function uniqueName(name: string, used: Set<string>): string {
  let out = name;
  while (used.has(out)) out = `${out}.`;
  used.add(out);
  return out;
}

/** ρ = Σ σ²(batch components) / Σ σ²(signal components), by component name (as `varianceRatio`). */
function varianceRatio(components: readonly { component: string; variance: number }[], names: { batch: readonly string[]; signal: readonly string[] }): number {
  const sum = (role: "batch" | "signal", list: readonly string[]) => {
    if (!Array.isArray(list) || list.length === 0) throw new InvalidArgumentError(`ratio.${role}`, list, "at least one component name");
    return list.reduce((s, name) => {
      const c = components.find((x) => x.component === name);
      if (!c) throw new InvalidArgumentError(`ratio.${role}`, name, `one of the components ${components.map((x) => JSON.stringify(x.component)).join(", ")}`);
      return s + c.variance;
    }, 0);
  };
  return sum("batch", names.batch) / sum("signal", names.signal);
}
