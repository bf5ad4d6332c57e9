import { InvalidArgumentError, expandFormula, parseFormula, type ModelStructure } from "@lmm/core";
import type { ResponseFits } from "@lmm/core/engine";
import { asTable, fitEach, selectColumns, tableColumns, type FitEachOptions, type FitEachResult, type TableInput } from "@lmm/arquero";
import { table as aqTable, type ColumnTable } from "arquero";
import { featureModes, rescaleResiduals, subtractModes } from "./modes.js";

/** Options of {@link lmmHarmonise}. */
export interface LmmHarmoniseOptions extends Omit<FitEachOptions, "bootstrap" | "ddf"> {
  /**
   * The grouping factors whose conditional modes are removed: technical ones such as `["batch"]`
   * or `["site", "scanner"]`, named as in the formula (`batch:day` for an interaction).
   */
  remove: readonly string[];
  /**
   * Also remove the residual scale of each level of the `dispersion` factor (required then, e.g.
   * `dispersion: "~ batch"`): each row's conditional residual is rescaled from its level's residual
   * sd to the pooled one, as ComBat rescales by its δ. Default false: location only.
   */
  scale?: boolean;
}

/** What {@link lmmHarmonise} returns. */
export interface LmmHarmonisation {
  /** The input table with each feature column replaced by its harmonised values (other columns untouched). */
  table: ColumnTable;
  /** What was subtracted: one row per feature, removed factor, level and column (`feature, group, level, term, effect`). */
  removed: ColumnTable;
  /** The per-feature fits (tidy table, glance, missing-data report). */
  fits: FitEachResult;
  /** Features left unchanged (could not be fitted) and rows without an adjusted value. */
  warnings: string[];
}

/**
 * LMM-based harmonisation: fits `template` to every feature (through `fitEach`), then subtracts the
 * estimated conditional modes (BLUPs) of the technical grouping factors in `remove` from each
 * feature, y − Z_batch b̃_batch, keeping the fixed effects, the biological random effects (patient …)
 * and the residual. With `scale: true` and a dispersion formula (`dispersion: "~ batch"`) the residual
 * of each row is also rescaled from its level's residual sd to the pooled one (location and scale,
 * the LMM analogue of ComBat). Rows a fit left out for missing values get NaN (their batch or covariates are
 * unknown); a feature that could not be fitted is left unchanged and named in `warnings`.
 *
 * @example
 * ```ts
 * const h = await lmmHarmonise(tma, "{feature} ~ grade + (1|patient) + (1|batch) + (1|reader)", "feature_*", { remove: ["batch"] });
 * h.table; // features with the staining-batch effects removed
 * ```
 */
export async function lmmHarmonise(table: TableInput, template: string, features: string | readonly string[], options: LmmHarmoniseOptions): Promise<LmmHarmonisation> {
  const { remove, scale, ...rest } = options;
  if (!Array.isArray(remove) || remove.length === 0) throw new InvalidArgumentError("remove", remove, "the grouping factors to remove, e.g. [\"batch\"]");
  if (scale && rest.dispersion === undefined) throw new InvalidArgumentError("scale", scale, "scale: true with a dispersion formula naming the factor whose scale to remove, e.g. dispersion: \"~ batch\"");
  checkUntransformed(template);
  const t = asTable(table);
  const names = selectColumns(features, t.columnNames());
  const columns = tableColumns(t);
  const fits = await fitEach(t, template, names, { ...rest, ddf: "none" });
  const groups = new Set(remove);
  checkGroups(fits, groups);

  const workspaces = new Map<ModelStructure, ResponseFits>();
  const adjusted = new Map<string, Float64Array>();
  const removed = { feature: [] as string[], group: [] as string[], level: [] as string[], term: [] as string[], effect: [] as number[] };
  const warnings: string[] = [];
  const n = t.numRows();
  for (const fit of fits.fits) {
    if (fit.error) {
      // The column stays exactly as it was (not even converted to numbers).
      warnings.push(`${fit.feature} left unchanged: ${fit.error.message}`);
      continue;
    }
    const original = Float64Array.from(columns[fit.feature] as ArrayLike<number | null>, (v) => (v === null || v === undefined ? NaN : Number(v)));
    const structure = fits.structureOf(fit.feature);
    const rows = structure.rows;
    const y = Float64Array.from(rows, (r) => original[r]);
    const modes = featureModes(structure, fit, y, workspaces);
    const located = subtractModes(structure, y, modes, groups);
    const harmonised = scale && fit.dispersion ? rescaleResiduals(structure, y, located, modes, fit.fixef.estimate, fit.dispersion) : located;
    const out = new Float64Array(n).fill(NaN);
    rows.forEach((r, i) => (out[r] = harmonised[i]));
    const lost = rows.length < n ? original.reduce((s, v, i) => s + (Number.isNaN(v) || out[i] === out[i] ? 0 : 1), 0) : 0;
    if (lost > 0) warnings.push(`${fit.feature}: ${lost} rows left out of the fit (missing design values) have no harmonised value`);
    adjusted.set(fit.feature, out);
    for (const re of modes) {
      if (!groups.has(re.group)) continue;
      const k = re.terms.length;
      re.levels.forEach((level, l) => re.terms.forEach((term, c) => {
        removed.feature.push(fit.feature); removed.group.push(re.group); removed.level.push(level); removed.term.push(term); removed.effect.push(re.values[l * k + c]);
      }));
    }
  }
  return {
    table: adjusted.size > 0 ? t.assign(aqTable(adjusted)) : t,
    removed: aqTable(new Map<string, ArrayLike<unknown>>([["feature", removed.feature], ["group", removed.group], ["level", removed.level], ["term", removed.term], ["effect", Float64Array.from(removed.effect)]])),
    fits,
    warnings,
  };
}

function checkUntransformed(template: string): void {
  const spec = expandFormula(parseFormula(template.replace("{feature}", "y")));
  if (spec.response?.transform) throw new InvalidArgumentError("template", template, "an untransformed response ({feature} ~ …): transform the feature columns first, then harmonise");
}

function checkGroups(fits: FitEachResult, groups: Set<string>): void {
  const ok = fits.fits.find((f) => !f.error);
  if (!ok) return;
  const labels = fits.structureOf(ok.feature).groupingFactors().map((f) => f.group);
  for (const g of groups) if (!labels.includes(g)) throw new InvalidArgumentError("remove", g, `a grouping factor of the formula (${labels.map((l) => JSON.stringify(l)).join(", ")})`);
}
