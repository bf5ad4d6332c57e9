import { dispersionColumn, InvalidArgumentError } from "@lmm/core";
import { asTable, tableColumns, type FitEachOptions, type TableInput } from "@lmm/arquero";
import { table as aqTable, type ColumnTable } from "arquero";
import { batchClassifier, type BatchClassifierOptions } from "../batch/classifier.js";
import { varpart, type VarpartResult } from "../variance/varpart.js";

/** Options of {@link harmonisationProof}. */
export interface HarmonisationProofOptions extends Pick<FitEachOptions, "levels" | "workers" | "reml" | "dispersion"> {
  /** The model fitted to every feature before and after, e.g. `"{feature} ~ grade + (1|patient) + (1|batch)"`. */
  template: string;
  features: string | readonly string[];
  /** The batch: its column (for the classifier) and its random-effect grouping factor (for the fraction). */
  batch: string;
  /** The biological grouping factor whose variance fraction must survive, e.g. `"patient"`. */
  signal: string;
  /** The biological covariate (a fixed term of the template) whose estimates must survive, e.g. `"grade"`. */
  covariate: string;
  /** Settings of the batch classifier (default kNN, 5 stratified folds, seed 1). */
  classifier?: BatchClassifierOptions;
  /**
   * `varpart` of the table before, when already computed with the same template, features and
   * options (one proof per harmonisation of the same table need not refit it each time).
   */
  beforeVariance?: VarpartResult;
}

/**
 * The proof that harmonisation removed the batch and kept the biology: before and after, side by
 * side in one table (`role, measure, feature, term, before, after, change, se.before, se.after`):
 * - `classifier`: cross-validated accuracy of predicting batch from all features (and the chance
 *   rate), on the rows complete in both tables;
 * - `batch`: the batch component's variance fraction per feature and its mean;
 * - `signal`: the biological component's fraction per feature and its mean;
 * - `covariate`: the covariate's fixed-effect estimates per feature, with their standard errors;
 * - `scale` (with a `dispersion` formula, e.g. `"~ batch"`): the spread of the per-level residual sds,
 *   max/min − 1, per feature and its mean (0 when every level has the same residual scale).
 * Fractions and estimates come from the same model fitted to both tables (`varpart`; with a
 * dispersion formula the residual is pooled over its levels).
 *
 * @example
 * ```ts
 * const h = await lmmHarmonise(tma, template, "feature_*", { remove: ["batch"] });
 * const proof = await harmonisationProof(tma, h.table, { template, features: "feature_*", batch: "batch", signal: "patient", covariate: "grade" });
 * proof.filter((d) => d.role === "classifier").objects();
 * ```
 */
export async function harmonisationProof(before: TableInput, after: TableInput, options: HarmonisationProofOptions): Promise<ColumnTable> {
  const { template, features, batch, signal, covariate, classifier, beforeVariance, ...fitOptions } = options;
  const a = asTable(before), b = asTable(after);
  if (a.numRows() !== b.numRows()) throw new InvalidArgumentError("after", `${b.numRows()} rows`, `the ${a.numRows()} rows of the table before harmonisation`);
  const vb = beforeVariance ?? (await varpart(a, template, features, fitOptions));
  const va = await varpart(b, template, features, fitOptions);
  const names = vb.features.map((f) => f.feature);
  const rows = new Rows();

  const accuracy = classify(a, b, names, batch, classifier);
  rows.add("classifier", "batch classifier accuracy", null, null, accuracy.before, accuracy.after);
  rows.add("classifier", "batch classifier chance", null, null, accuracy.chance, accuracy.chance);

  for (const [role, component] of [["batch", batch], ["signal", signal]] as const) {
    const fb = fractions(vb, component, role), fa = fractions(va, component, role);
    rows.add(role, `${component} fraction (mean)`, null, null, mean(fb), mean(fa));
    names.forEach((f, i) => rows.add(role, `${component} fraction`, f, null, fb[i], fa[i]));
  }
  if (fitOptions.dispersion !== undefined) {
    const sb = scaleSpread(vb), sa = scaleSpread(va);
    const measure = `${dispersionColumn(fitOptions.dispersion)} residual sd spread (max/min − 1)`;
    rows.add("scale", `${measure} (mean)`, null, null, mean(sb), mean(sa));
    names.forEach((f, i) => rows.add("scale", measure, f, null, sb[i], sa[i]));
  }
  names.forEach((f, i) => {
    const eb = estimates(vb, i, covariate), ea = estimates(va, i, covariate);
    eb.forEach((e, j) => rows.add("covariate", `${covariate} estimate`, f, e.term, e.estimate, ea[j]?.estimate ?? NaN, e.se, ea[j]?.se ?? NaN));
  });
  return rows.table();
}

function classify(a: ColumnTable, b: ColumnTable, names: string[], batch: string, options: BatchClassifierOptions | undefined) {
  const ca = tableColumns(a), cb = tableColumns(b);
  if (!Object.prototype.hasOwnProperty.call(ca, batch)) throw new InvalidArgumentError("batch", batch, `a column of the table (${a.columnNames().join(", ")})`);
  const labels = ca[batch];
  const finite = (v: unknown) => typeof v === "number" && Number.isFinite(v);
  const keep: number[] = [];
  for (let i = 0; i < a.numRows(); i++) {
    if (labels[i] === null || labels[i] === undefined) continue;
    if (names.every((n) => finite(ca[n][i]) && finite(cb[n][i]))) keep.push(i);
  }
  const pick = (cols: typeof ca) => Object.fromEntries(names.map((n) => [n, Float64Array.from(keep, (i) => cols[n][i] as number)]));
  const batchLabels = keep.map((i) => String(labels[i]));
  const before = batchClassifier(pick(ca), batchLabels, options);
  const after = batchClassifier(pick(cb), batchLabels, options);
  return { before: before.accuracy, after: after.accuracy, chance: before.chance };
}

function fractions(v: VarpartResult, component: string, role: string): number[] {
  return v.features.map((f) => {
    if (!f.decomposition) return NaN;
    const c = f.decomposition.components.find((x) => x.name === component);
    if (!c) throw new InvalidArgumentError(role, component, `a component of the model (${f.decomposition.components.map((x) => JSON.stringify(x.name)).join(", ")})`);
    return c.fraction;
  });
}

function estimates(v: VarpartResult, i: number, covariate: string): { term: string; estimate: number; se: number }[] {
  const fit = v.fits.fits[i];
  if (fit.error) return [];
  const X = v.fits.structureOf(fit.feature).fixedMatrix();
  const out = fit.fixef.names.map((term, j) => ({ term, j, label: X.terms[X.assign[j]] })).filter((x) => x.label === covariate);
  if (out.length === 0) throw new InvalidArgumentError("covariate", covariate, `a fixed term of the model (${X.terms.map((t) => JSON.stringify(t)).join(", ")})`);
  return out.map(({ term, j }) => ({ term, estimate: fit.fixef.estimate[j], se: fit.fixef.se[j] }));
}

/** Per feature, max/min − 1 of its dispersion levels' residual sds (NaN for a failed fit). */
function scaleSpread(v: VarpartResult): number[] {
  return v.features.map((f) => {
    const levels = f.decomposition?.residualLevels;
    if (!levels) return NaN;
    const sds = levels.map((l) => l.sd);
    return Math.max(...sds) / Math.min(...sds) - 1;
  });
}

function mean(xs: number[]): number {
  const ok = xs.filter(Number.isFinite);
  return ok.reduce((s, x) => s + x, 0) / ok.length;
}

/** The proof table, column by column. */
class Rows {
  private readonly c = { role: [] as string[], measure: [] as string[], feature: [] as (string | null)[], term: [] as (string | null)[], before: [] as number[], after: [] as number[], seBefore: [] as number[], seAfter: [] as number[] };
  add(role: string, measure: string, feature: string | null, term: string | null, before: number, after: number, seBefore = NaN, seAfter = NaN): void {
    const c = this.c;
    c.role.push(role); c.measure.push(measure); c.feature.push(feature); c.term.push(term);
    c.before.push(before); c.after.push(after); c.seBefore.push(seBefore); c.seAfter.push(seAfter);
  }
  table(): ColumnTable {
    const c = this.c;
    return aqTable(new Map<string, ArrayLike<unknown>>([
      ["role", c.role], ["measure", c.measure], ["feature", c.feature], ["term", c.term],
      ["before", Float64Array.from(c.before)], ["after", Float64Array.from(c.after)],
      ["change", Float64Array.from(c.after, (x, i) => x - c.before[i])],
      ["se.before", Float64Array.from(c.seBefore)], ["se.after", Float64Array.from(c.seAfter)],
    ]));
  }
}
