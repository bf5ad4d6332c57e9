import { AbortedError, dispersionColumn, InvalidArgumentError, InvalidValueError, type ContrastName, type DdfMethod, type ModelStructure } from "@lmm/core";
import { RunAbortedError } from "@lmm/core/parallel";
import type { ColumnTable } from "arquero";
import { asTable, type TableInput } from "../io/arrow.js";
import { tableColumns } from "../io/columns.js";
import { selectColumns } from "../io/select.js";
import { classifyCell, missingTokens } from "../io/csv/cells.js";
import { tableLevels } from "../verbs/fit.js";
import { ReportBuilder, type MaskedColumn, type MissingReport } from "../missing/report.js";
import { formulaColumns, missingMask } from "../missing/roles.js";
import { createContext, ownUnit, type EachContext } from "./context.js";
import { failedFit, fitFeature } from "./fitFeature.js";
import { createFitEachPool, type FitEachPool } from "./pool.js";
import { eachGlanceTable, eachTidyTable } from "./tables.js";
import { checkTemplate, featureFormula, formulaName } from "./template.js";
import type { EachShared, FeatureFit, FeaturePayload } from "./types.js";
import { yieldNow } from "./yieldNow.js";

/** Options of {@link fitEach}. */
export interface FitEachOptions {
  /** Level order per categorical column (overrides Arrow dictionary order). */
  levels?: Readonly<Record<string, readonly string[]>>;
  /** REML (default) or ML (`reml: false`). */
  reml?: boolean;
  /**
   * Denominator df and p-values of the fixed effects (the core's `coefficients`). Default `"none"`:
   * Satterthwaite and Kenward–Roger cost extra criterion evaluations per feature, so ask for them.
   */
  ddf?: DdfMethod | "none";
  /** Maximum criterion evaluations per fit. */
  maxEval?: number;
  /** Called as features finish: `done` of `total`, and a fraction that also counts work in progress. */
  onProgress?: (done: number, total: number, fraction: number) => void;
  /** Stops the run: it rejects with `RunAbortedError` (partial results on `partial`) within one feature. */
  signal?: AbortSignal;
  /**
   * Where to fit: 0 (default) in this thread, yielding to the event loop between features; a number
   * of workers (a pool is started and closed for this call); or a pool from {@link createFitEachPool}
   * to reuse. Results are identical in every case.
   */
  workers?: number | FitEachPool;
  /** Parametric bootstrap of every feature's parameters: `n` replicates, seeded per feature. */
  bootstrap?: { n: number; seed?: number };
  /** Contrast coding per factor (`{ site: "sum" }`), as the core's `contrasts` option. */
  contrasts?: Readonly<Record<string, ContrastName>>;
  /** Columns whose factor is ordered (default coding `"poly"`), as the core's `ordered` option. */
  ordered?: readonly string[];
  /** Prior weights: the column holding them (lme4's `weights =`). */
  weights?: string;
  /** A known offset: the column holding it (lme4's `offset =`); `offset(…)` terms go in the template. */
  offset?: string;
  /** A residual variance per level of a factor (`"~ vendor"`), as the core's `dispersion` option. */
  dispersion?: string;
}

/** What {@link fitEach} returns. */
export interface FitEachResult {
  template: string;
  /** The one tidy table: fixed effects and random-effect parameters (with variance and fraction) of every feature. */
  table: ColumnTable;
  /** One row per feature: fit statistics, which design it used, and its error if it failed. */
  glance: ColumnTable;
  /** What was dropped, per column and per row, for every feature. */
  missing: MissingReport;
  /** The numbers behind the tables, one entry per feature in order. */
  fits: FeatureFit[];
  /** The feature's formula (the template with the feature's column in place). */
  formulaOf(feature: string): string;
  /**
   * The rows, grouping factors and matrices a feature was fitted on, rebuilt here on demand for
   * features that had a frame of their own (its response is a placeholder).
   */
  structureOf(feature: string): ModelStructure;
}

/**
 * Fits one linear mixed model per feature column: `template` is a formula whose response is
 * `{feature}`, e.g. `"{feature} ~ grade + (1|patient) + (1|batch) + (1|reader)"`. The design (frame,
 * X, Z, Z'Z) is built once; every feature whose missing values are the design's is fitted on it by
 * one workspace of the core's engine (`ResponseFits`), from lme4's own starting point, so each fit equals a separate
 * `lmm()` fit. A feature with missing values of its own gets a frame of its own (shared by features
 * with the same missing pattern), and `design: "own"` says so. A feature that cannot be fitted
 * (constant, non-numeric …) gets an `error` and the run goes on.
 *
 * @example
 * ```ts
 * const r = await fitEach(tma, "{feature} ~ grade + (1|patient) + (1|batch) + (1|reader)", "feature_*", { workers: 2 });
 * r.table.filter((d) => d.group === "batch").objects(); // batch variance and fraction per feature
 * ```
 */
export async function fitEach(table: TableInput, template: string, features: string | readonly string[], options: FitEachOptions = {}): Promise<FitEachResult> {
  checkTemplate(template);
  const t = asTable(table);
  const names = selectColumns(features, t.columnNames());
  const columns = tableColumns(t);
  const shared = sharedInput(template, t, columns, options);
  const design = formulaColumns(template.replace("{feature}", formulaName(shared.response))).filter((c) => c.column !== shared.response);
  const dispersion = options.dispersion === undefined ? undefined : dispersionColumn(options.dispersion);
  for (const [role, column] of [["weights", options.weights], ["offset", options.offset], ["dispersion", dispersion]] as const) if (column !== undefined && !design.some((d) => d.column === column)) design.push({ column, role });
  if (names.some((n) => design.some((d) => d.column === n))) {
    throw new InvalidArgumentError("features", names.find((n) => design.some((d) => d.column === n)), "feature columns that the formula's right-hand side does not use");
  }
  const main = createContext(shared);

  const fits: (FeatureFit | undefined)[] = new Array(names.length);
  const payloads: FeaturePayload[] = [];
  names.forEach((feature, index) => {
    const values = featureValues(columns[feature], feature);
    if (values instanceof InvalidValueError) fits[index] = failedFit(shared, { feature, index }, null, values);
    else payloads.push({ feature, index, y: values });
  });
  const results = await run(main, payloads, options);
  results.forEach((r) => (fits[r.index] = r));
  const done = fits as FeatureFit[];

  const masks = design.map(({ column, role }): MaskedColumn => ({ column, role, mask: missingMask(columns[column]) }));
  const report = new ReportBuilder();
  names.forEach((feature) => report.add(feature, [{ column: feature, role: "response", mask: missingMask(columns[feature]) }, ...masks]));

  const byName = new Map(done.map((f) => [f.feature, f]));
  return {
    template,
    table: eachTidyTable(done),
    glance: eachGlanceTable(done),
    missing: report.build(),
    fits: done,
    formulaOf: (feature) => featureFormula(template, feature),
    structureOf: (feature) => structureOf(main, byName.get(feature), feature),
  };
}

function sharedInput(template: string, t: ColumnTable, columns: ReturnType<typeof tableColumns>, options: FitEachOptions): EachShared {
  let response = ".feature";
  while (Object.prototype.hasOwnProperty.call(columns, response)) response = `.${response}`;
  const used = formulaColumns(template.replace("{feature}", formulaName(response))).filter((c) => c.column !== response).map((c) => c.column);
  for (const [name, column] of [["weights", options.weights], ["offset", options.offset]] as const) {
    if (column === undefined) continue;
    if (typeof column !== "string") throw new InvalidArgumentError(name, column, "the name of a column of the table");
    if (!used.includes(column)) used.push(column);
  }
  if (options.dispersion !== undefined) {
    const column = dispersionColumn(options.dispersion);
    if (!used.includes(column)) used.push(column);
  }
  const boot = options.bootstrap;
  if (boot && !(Number.isInteger(boot.n) && boot.n >= 1)) throw new InvalidArgumentError("bootstrap.n", boot.n, "a positive whole number");
  const ddf = options.ddf ?? "none";
  if (!["none", "residual", "satterthwaite", "kenward-roger"].includes(ddf)) throw new InvalidArgumentError("ddf", ddf, '"none", "residual", "satterthwaite" or "kenward-roger"');
  const levels = tableLevels(t, options.levels);
  return {
    template,
    response,
    // Only what the right-hand side uses travels to workers.
    columns: used.filter((c) => Object.prototype.hasOwnProperty.call(columns, c)).map((c) => [c, columns[c]]),
    levels: Object.keys(levels).map((k) => [k, levels[k]]),
    model: {
      ...(options.contrasts ? { contrasts: { ...options.contrasts } } : {}),
      ...(options.ordered ? { ordered: [...options.ordered] } : {}),
      ...(options.weights !== undefined ? { weights: options.weights } : {}),
      ...(options.offset !== undefined ? { offset: options.offset } : {}),
      ...(options.dispersion !== undefined ? { dispersion: options.dispersion } : {}),
    },
    nRows: t.numRows(),
    reml: options.reml ?? true,
    ddf,
    maxEval: options.maxEval,
    bootstrap: boot ? { n: boot.n, seed: boot.seed ?? 1 } : null,
  };
}

/** A feature column as numbers (NaN = missing), or the error naming its first unusable value. */
function featureValues(values: ArrayLike<unknown>, feature: string): Float64Array | InvalidValueError {
  const out = new Float64Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v === null || v === undefined) out[i] = NaN;
    else if (typeof v === "number" || typeof v === "bigint") {
      const x = Number(v);
      if (x === Infinity || x === -Infinity) return new InvalidValueError(feature, i, v, "is not finite");
      out[i] = x;
    } else return textFeatureError(values, feature, i);
  }
  return out;
}

/**
 * The error for a feature column holding text: it blames the first cell that is not a number at all
 * (not the first row, which may hold a perfectly good number written as text); a column of numbers
 * written as text is named as such.
 */
function textFeatureError(values: ArrayLike<unknown>, feature: string, first: number): InvalidValueError {
  for (let i = first; i < values.length; i++) {
    const v = values[i];
    const kind = typeof v === "string" ? classifyCell(v, MISSING) : null;
    if (kind === "text" || kind === "infinite") return new InvalidValueError(feature, i, v, kind === "infinite" ? "is not finite" : "is not a number");
    if (typeof v !== "string" && typeof v !== "number" && v !== null && v !== undefined) return new InvalidValueError(feature, i, v, "is not a number");
  }
  return new InvalidValueError(feature, first, values[first], "is a number stored as text (read the file with readCsv, which types numeric columns)");
}

const MISSING = missingTokens();

async function run(main: EachContext, payloads: FeaturePayload[], options: FitEachOptions): Promise<FeatureFit[]> {
  const { workers = 0, onProgress, signal } = options;
  if (typeof workers === "number") {
    if (!(Number.isInteger(workers) && workers >= 0)) throw new InvalidArgumentError("workers", workers, "a whole number ≥ 0 or a pool from createFitEachPool");
    if (workers === 0) return runHere(main, payloads, onProgress, signal);
    const pool = createFitEachPool(workers);
    try {
      return await pool.run("fitFeature", payloads, { shared: main.shared, onProgress, signal, label: (p) => p.feature });
    } finally {
      await pool.close();
    }
  }
  return workers.run("fitFeature", payloads, { shared: main.shared, onProgress, signal, label: (p) => p.feature });
}

/** Fits in this thread, letting the event loop run (progress bars, a stop button) every ~50 ms. */
async function runHere(ctx: EachContext, payloads: FeaturePayload[], onProgress: FitEachOptions["onProgress"], signal?: AbortSignal): Promise<FeatureFit[]> {
  const out: FeatureFit[] = [];
  const total = payloads.length;
  let last = Date.now();
  const abort = () => new RunAbortedError("fitFeature", out.length, total, [...out], signal?.reason);
  for (const payload of payloads) {
    if (signal?.aborted) throw abort();
    try {
      out.push(fitFeature(ctx, payload, signal));
    } catch (e) {
      if (e instanceof AbortedError) throw abort();
      throw e;
    }
    onProgress?.(out.length, total, out.length / total);
    if (Date.now() - last >= 50) {
      await yieldNow();
      last = Date.now();
    }
  }
  return out;
}

function structureOf(main: EachContext, fit: FeatureFit | undefined, feature: string): ModelStructure {
  if (!fit) throw new InvalidArgumentError("feature", feature, "one of the features of this run");
  if (fit.design === "own") {
    const dropped = new Set(fit.dropped);
    const base = new Set(main.base.structure.droppedRows.indices);
    return ownUnit(main, [...dropped].filter((r) => !base.has(r))).structure;
  }
  return main.base.structure;
}
