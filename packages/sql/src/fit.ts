// fitSql: a mixed model fitted where the data live. Four kinds of query — the columns' types, the
// rows used and dropped, the levels of categorical variables, and the sums per cell of the grouping
// columns — then the same fitter as an in-memory fit, on the sums alone.
import { dispersionColumn, EmptyDataError, InvalidArgumentError, LmmError, NotAggregableError, ResponseError, UnknownColumnError, type DroppedRows, type LearnedTransforms, type VariableRef } from "@lmm/core";
import { classifyTerms, factorLevels, keepFitSums, modelVariables, planAggregation, productPairs, type AggregationPlan, type AggregatedFit, type AggregatedFitOptions, type ColumnKind, type ModelVariables, type PlanOptions } from "@lmm/core/aggregate";
import { dispersionRowsQuery } from "./dispersion.js";
import { fitCells, payloadCells } from "./each/cells.js";
import { createFitSqlPool, type FitSqlPool } from "./each/pool.js";
import type { CellsFitOptions, CellsPayload, CellsShared } from "./each/types.js";
import type { SqlColumns, SqlEngine, SqlType } from "./engine.js";
import { cellChecks, cellsQuery, columnKind, columnsQuery, countQuery, levelsQuery, summaryQuery, type ColumnTypes, type SqlSource } from "./generate.js";
import { SqlNegativeWeightError, SqlValueError } from "./errors.js";
import { learnBases } from "./learn.js";

/**
 * Options of {@link fitSql}: REML or ML, the optimiser's, codings and learned bases (`transforms`)
 * as `lmm`'s, and prior weights and an offset, each a numeric column of the source.
 */
export interface FitSqlOptions extends AggregatedFitOptions, PlanOptions {
  /** Prior weights: a numeric column (rows of weight 0 are left out, negative weights refused), as `lmm`'s `weights`. */
  weights?: string;
  /** An offset added to the linear predictor: a numeric column, as `lmm`'s `offset`. */
  offset?: string;
}

/** An aggregated fit with the rows it read and dropped, and the SQL it ran. */
export interface SqlFit extends AggregatedFit {
  /** Rows in the source. */
  nRows: number;
  /** Rows dropped for a missing value (NULL, or NaN in a numeric column) in a column the model reads, or a prior weight of 0 (`zeroWeights` of them). */
  droppedRows: Pick<DroppedRows, "count" | "byColumn"> & { zeroWeights: number };
  /** The queries run, in order (for logs and for running them elsewhere). */
  queries: string[];
  /** How each model column is computed, and the source's column types: what `augmentSql` renders. */
  plan: AggregationPlan;
  types: ColumnTypes;
  /** What the bases (`poly`, `scale`, `ns`, `bs`) learned from the rows, by label: `lmm`'s `transforms` (give them to refit other rows the same way). */
  transforms: LearnedTransforms;
}

/**
 * Fits a linear mixed model from sums an SQL engine computes next to the data: the same estimates
 * as `lmm(formula, rows)` on the same rows (up to the order of summation), without the rows ever
 * leaving the engine. Bases (`poly`, `scale`, `ns`, `bs`) learn their parameters in a first pass
 * of queries over the same rows as in memory and are rendered in SQL (splines as piecewise
 * polynomials); `offset()` terms and the `offset` option are subtracted from the response in the
 * sums; prior `weights` weight every sum (Σ w·a·b) and add lme4's Σ log w to the criterion.
 *
 * @example
 * ```ts
 * const engine = await duckdbEngine();
 * const fit = await fitSql(engine, { from: "read_parquet('cells.parquet')" }, "y ~ x + (1 | patient) + (1 | batch)");
 * fit.fixef; fit.varCorr; fit.droppedRows.count;
 * ```
 */
export async function fitSql(engine: SqlEngine, source: SqlSource, formula: string, options: FitSqlOptions = {}): Promise<SqlFit> {
  const prepared = await prepare(engine, source, formula, options);
  const [only] = prepared.groups.values();
  return fitGroup(prepared, only, options);
}

/** One feature's fit of {@link fitSqlEach}, or the error that stopped it. */
export interface SqlFeatureFit {
  feature: string;
  fit: SqlFit | null;
  /**
   * Why the feature has no fit. From a worker it is an `LmmError` with the original's `name`, `code`
   * and `message` (its class does not cross threads); in this thread, the original error.
   */
  error: LmmError | null;
}

/** Options of {@link fitSqlEach}: {@link FitSqlOptions}, the feature column, and where to fit. */
export interface FitSqlEachOptions extends FitSqlOptions {
  /** The column naming the feature of each row of a long table (`GROUP BY by, …`). */
  by: string;
  /**
   * Where the features are fitted after the one grouped query: 0 (default, as `fitEach`) or 1 in
   * this thread; a number of workers (a pool is started and closed for this call); or a pool from
   * {@link createFitSqlPool} to reuse. Each worker receives a feature's cells and fits them with the
   * same code: results are identical in every case. In workers `onEvaluation` and `signal` are not
   * called or watched (they cannot cross threads); `onProgress` is.
   */
  workers?: number | FitSqlPool;
  /** Called as features finish: `done` of `total`. */
  onProgress?: (done: number, total: number) => void;
}

/**
 * One model per feature of a long table (`feature, sample, value` plus design columns): every
 * feature's sums in one grouped pass (`GROUP BY feature, …`), then a fit per feature from its own
 * cells, each the same as `fitSql` on that feature's rows — in this thread or, with `workers`, in a
 * worker pool. A feature that cannot be fitted (all rows missing, a constant response, too few
 * levels) gets its error instead of stopping the others.
 *
 * @example
 * ```ts
 * const fits = await fitSqlEach(engine, { table: "expression" }, "value ~ (1 | donor) + (1 | batch)", { by: "gene", workers: 2 });
 * fits.filter((f) => f.fit).map((f) => [f.feature, f.fit!.sigma]);
 * ```
 */
export async function fitSqlEach(engine: SqlEngine, source: SqlSource, formula: string, options: FitSqlEachOptions): Promise<SqlFeatureFit[]> {
  const { workers = 0, onProgress } = options;
  if (typeof workers === "number" && !(Number.isInteger(workers) && workers >= 0)) throw new InvalidArgumentError("workers", workers, "a whole number ≥ 0 or a pool from createFitSqlPool");
  const prepared = await prepare(engine, source, formula, options, options.by);
  const entries = [...prepared.groups.entries()];
  const out: SqlFeatureFit[] = new Array(entries.length);
  const payloads: CellsPayload[] = [], at: number[] = [];
  entries.forEach(([feature, group], i) => {
    try {
      checkGroup(prepared, group);
      payloads.push(groupPayload(prepared, feature, group));
      at.push(i);
    } catch (e) {
      if (!(e instanceof LmmError)) throw e;
      out[i] = { feature, fit: null, error: e };
    }
  });
  if (typeof workers === "number" && workers <= 1) {
    payloads.forEach((payload, j) => {
      const i = at[j], group = entries[i][1];
      try {
        out[i] = { feature: payload.feature, fit: withSource(prepared, group, fitCells(prepared.shared, payload, options)), error: null };
      } catch (e) {
        if (!(e instanceof LmmError)) throw e;
        out[i] = { feature: payload.feature, fit: null, error: e };
      }
      onProgress?.(j + 1, payloads.length);
    });
    return out;
  }
  const pool = typeof workers === "number" ? createFitSqlPool(workers) : workers;
  try {
    const results = await pool.run("fitCells", payloads, { shared: prepared.shared, label: (p) => p.feature, onProgress: onProgress && ((done, total) => onProgress(done, total)) });
    results.forEach((r, j) => {
      const i = at[j], group = entries[i][1];
      if (r.fit) keepFitSums(r.fit, prepared.plan, () => payloadCells(prepared.shared, payloads[j]), options);
      out[i] = r.fit ? { feature: r.feature, fit: withSource(prepared, group, r.fit), error: null } : { feature: r.feature, fit: null, error: revived(r.error!) };
    });
  } finally {
    if (typeof workers === "number") await pool.close();
  }
  return out;
}

/** A model error sent back by a worker, as an LmmError with the original's name, code and message. */
function revived(error: { name: string; code: string; message: string }): LmmError {
  const e = new LmmError(error.code, error.message);
  Object.defineProperty(e, "name", { value: error.name, enumerable: false, configurable: true, writable: true });
  return e;
}

/** What one fit (or one feature's) reads after the queries. */
interface GroupSums {
  nRows: number;
  dropped: number;
  byColumn: { column: string; missing: number }[];
  yRange: [number, number] | null;
  rows: number[];
  /** With a dispersion formula: rows per value of its column, before dropping. */
  dispersionRows?: { values: unknown[]; counts: number[] };
  /** Σ log w over the rows used, and rows left out for a prior weight of 0 (0 without weights). */
  logWeights: number;
  zeroWeights: number;
}

interface Prepared {
  plan: AggregationPlan;
  answer: SqlColumns;
  queries: string[];
  types: ColumnTypes;
  groups: Map<string, GroupSums>;
  keyed: boolean;
  /** What every group's fit shares (the plan, the grouping values, the options a worker takes). */
  shared: CellsShared;
}

/** Every query: types, rows and missing values, finiteness and range, levels, and the cells (by key when asked). */
async function prepare(engine: SqlEngine, source: SqlSource, formula: string, options: FitSqlOptions, by?: string): Promise<Prepared> {
  const d = engine.dialect;
  const queries: string[] = [];
  const run = (sql: string) => {
    queries.push(sql);
    return engine.query(sql);
  };
  for (const option of ["weights", "offset"] as const) {
    const given: unknown = options[option];
    if (given !== undefined && typeof given !== "string") throw new InvalidArgumentError(option, given, "a numeric column of the source (numbers per row need the rows: fit them with lmm)");
  }
  const dispersion = options.dispersion === undefined ? null : dispersionColumn(options.dispersion);
  const variables = withDispersionColumn(modelVariables(formula, { weights: options.weights, offset: options.offset }), dispersion);
  const head = await run(columnsQuery(source, d));
  const types: Record<string, SqlType> = Object.create(null);
  const kinds: Record<string, ColumnKind> = Object.create(null);
  for (const c of by === undefined ? variables.columns : [by, ...variables.columns]) {
    const j = head.names.indexOf(c);
    if (j < 0) throw new UnknownColumnError(c, head.names);
    types[c] = head.types[j];
    kinds[c] = columnKind(head.types[j]);
  }
  const optionColumns = [variables.weights, variables.offset].filter((c): c is string => c !== null);
  for (const c of optionColumns) if (types[c] !== "number") throw new InvalidArgumentError(c === variables.weights ? "weights" : "offset", c, "a numeric column");
  if (kinds[variables.response.column] === "categorical" || variables.response.kind === "factor") {
    throw new ResponseError(variables.response.column, "is categorical; a linear mixed model needs a numeric response");
  }

  const terms = classifyTerms(variables, kinds, options);
  // Offsets and the option columns must be finite where used, as every numeric variable.
  const asRef = (c: string): VariableRef => ({ label: c, column: c, columns: [c], kind: "column", expr: { kind: "name", name: c, pos: 0, quoted: true } });
  const numeric = [variables.response, ...terms.numeric, ...variables.offsets, ...optionColumns.map(asRef)];
  const k = by === undefined ? 0 : 1, c = variables.columns.length;
  const keyOf = (value: unknown) => (by === undefined ? "" : String(value));
  // Rows per group first (a footer read for Parquet); the cells' pass checks what the summary's pass
  // would, and the summary's pass over the rows (which names the columns with missing values) runs
  // only where a row was dropped or a check failed.
  const counted = await run(countQuery(source, d, by));
  const groups = new Map<string, GroupSums>();
  for (let i = 0; i < (counted.columns[0]?.length ?? 0); i++) {
    const byColumn = variables.columns.map((column) => ({ column, missing: 0 }));
    groups.set(keyOf(counted.columns[0][i]), { nRows: Number(counted.columns[k][i] ?? 0), dropped: 0, byColumn, yRange: null, rows: [], logWeights: 0, zeroWeights: 0 });
  }
  if ([...groups.values()].reduce((s, g) => s + g.nRows, 0) === 0) throw new EmptyDataError("the data have no rows");
  const summarise = async () => {
    const summary = await run(summaryQuery(source, variables, numeric, types, d, by)).catch(async (e: unknown) => {
      // An engine that raises on log(0) or sqrt(−1) instead of returning ±Infinity or NaN: find the variable.
      for (const ref of numeric) await run(summaryQuery(source, variables, [ref], types, d)).catch(() => Promise.reject(new SqlValueError(ref.label, `in some rows (${(e as Error).message})`)));
      throw e;
    });
    const at = (column: number, i: number) => summary.columns[column][i];
    const bad = new Array<number>(numeric.length).fill(0);
    let negative = 0, lowest = Infinity;
    for (let i = 0; i < (summary.columns[0]?.length ?? 0); i++) {
      const group = groups.get(keyOf(at(0, i)));
      if (!group) continue;
      group.byColumn = variables.columns.map((column, j) => ({ column, missing: Number(at(k + 2 + j, i) ?? 0) }));
      const low = at(k + 2 + c, i), high = at(k + 3 + c, i);
      group.yRange = low === null || low === undefined ? null : [Number(low), Number(high)];
      group.dropped = Number(at(k + 1, i) ?? 0);
      numeric.forEach((_, v) => (bad[v] += Number(at(k + 4 + c + v, i) ?? 0)));
      if (variables.weights !== null) {
        const w = k + 4 + c + numeric.length;
        negative += Number(at(w, i) ?? 0);
        if (at(w + 1, i) !== null) lowest = Math.min(lowest, Number(at(w + 1, i)));
        group.logWeights = Number(at(w + 2, i) ?? 0);
        group.zeroWeights = Number(at(w + 3, i) ?? 0);
      }
    }
    // As lmm: a negative weight anywhere is refused (lmm names its row; SQL rows have no order).
    if (negative > 0) throw new SqlNegativeWeightError(variables.weights!, negative, lowest);
    numeric.forEach((ref, v) => {
      if (bad[v] > 0) throw new SqlValueError(ref.label, `in ${bad[v]} row${bad[v] === 1 ? "" : "s"}`);
    });
  };

  const levels = new Map<string, string[]>();
  for (const label of terms.categorical) {
    const ref = variables.terms.get(label)!;
    const distinct = await run(levelsQuery(source, ref.column, variables, types, d));
    levels.set(label, factorLevels(distinct.columns[0], options.levels && Object.prototype.hasOwnProperty.call(options.levels, ref.column) ? options.levels[ref.column] : undefined));
  }
  const bases = [variables.response, ...variables.terms.values()].filter((ref) => ref.kind === "basis");
  if (by !== undefined) {
    const missingBasis = bases.find((ref) => !(options.transforms && Object.prototype.hasOwnProperty.call(options.transforms, ref.label)));
    if (missingBasis) throw new NotAggregableError(missingBasis.label, "per-feature fits would learn its parameters per feature (give them as transforms, or fit each feature with fitSql)");
  }
  const transforms = bases.length === 0 ? {} : await learnBases(run, source, variables, d, options.transforms);
  const plan = planAggregation(variables, kinds, levels, { ...options, transforms });
  if (dispersion !== null) {
    // Rows per level before dropping, so a level whose rows were all dropped is named (as lmm does).
    const rows = await run(dispersionRowsQuery(source, dispersion, types[dispersion], d, by));
    for (let i = 0; i < (rows.columns[0]?.length ?? 0); i++) {
      const group = groups.get(by === undefined ? "" : String(rows.columns[0][i]));
      if (!group) continue;
      group.dispersionRows ??= { values: [], counts: [] };
      group.dispersionRows.values.push(rows.columns[k][i]);
      group.dispersionRows.counts.push(Number(rows.columns[k + 1][i]));
    }
  }
  const checks = cellChecks(plan, d);
  const answer = await run(cellsQuery(source, plan, types, d, by, checks)).catch(async (e: unknown) => {
    await summarise(); // names a variable an engine could not compute, if that is what failed
    throw e;
  });
  // The checks' columns, by the names cellChecks gives them (absent where the model does not need them), taken off the sums.
  const checked = answer.columns.splice(answer.columns.length - checks.length);
  const checkNames = answer.names.splice(answer.names.length - checks.length);
  const check = (name: string) => checked[checkNames.indexOf(name)];
  const [yMin, yMax, minWeight, logWeights] = ["check_y_min", "check_y_max", "check_min_weight", "check_log_weights"].map(check);
  const g = variables.groups.length;
  // Where the sums Σw, Σwy, Σwy² are (the constant column's products with itself and the response).
  const pairs = productPairs(plan), yColumn = plan.products.length, one = plan.products.findIndex((p) => p.atoms.length === 0);
  const pairAt = (a: number, b: number) => pairs.findIndex(([p, q]) => (p === a && q === b) || (p === b && q === a));
  const sw = one < 0 ? -1 : pairAt(one, one), swy = one < 0 ? -1 : pairAt(one, yColumn), swyy = pairAt(yColumn, yColumn);
  const moments = new Map<string, [number, number, number]>();
  const first = k + g + 1;
  let clean = true;
  const used = new Map<string, number>();
  for (let i = 0; i < (answer.columns[0]?.length ?? 0); i++) {
    const key = keyOf(answer.columns[0][i]);
    const group = groups.get(key);
    if (!group) continue;
    group.rows.push(i);
    used.set(key, (used.get(key) ?? 0) + Number(answer.columns[k + g][i]));
    // ±Infinity or NaN in a variable (or an offset, or a weight) makes some sum of its products not finite.
    for (let j = first; j < answer.columns.length; j++) clean &&= Number.isFinite(Number(answer.columns[j][i]));
    if (one >= 0) {
      const m = moments.get(key) ?? [0, 0, 0];
      m[0] += Number(answer.columns[first + sw][i]);
      m[1] += Number(answer.columns[first + swy][i]);
      m[2] += Number(answer.columns[first + swyy][i]);
      moments.set(key, m);
    } else {
      const low = Number(yMin[i]), high = Number(yMax[i]);
      group.yRange = group.yRange === null ? [low, high] : [Math.min(group.yRange[0], low), Math.max(group.yRange[1], high)];
    }
    if (variables.weights !== null) {
      clean &&= Number(minWeight[i]) >= 0;
      group.logWeights += Number(logWeights[i] ?? 0);
    }
  }
  for (const [key, group] of groups) clean &&= (used.get(key) ?? 0) === group.nRows;
  // A response that may be constant (its sum of squares about the mean at rounding level) is decided
  // exactly by the summary's least and greatest value.
  for (const [w, wy, wyy] of moments.values()) clean &&= wyy - (wy * wy) / w > 1e-10 * wyy;
  if (!clean) await summarise();
  const keyed = by !== undefined;
  const dictionaries = variables.groups.map((_, i) => [...new Set(answer.columns[(keyed ? 1 : 0) + i])]);
  return { plan, answer, queries, types, groups, keyed, shared: { plan, dictionaries, options: travellingOptions(options) } };
}

/** The fit of one group's cells (all of them without a key), in this thread. */
function fitGroup(prepared: Prepared, group: GroupSums, options: FitSqlOptions): SqlFit {
  checkGroup(prepared, group);
  return withSource(prepared, group, fitCells(prepared.shared, groupPayload(prepared, "", group), options));
}

/** The errors a group's counts and response range show before any fit: no rows left, a constant response. */
function checkGroup(prepared: Prepared, group: GroupSums): void {
  const { variables } = prepared.plan;
  const { nRows, dropped, byColumn } = group;
  if (dropped === nRows) throw new EmptyDataError(`no rows are left after removing rows with missing values (${byColumn.filter((c) => c.missing > 0).map((c) => `${c.column}: ${c.missing} missing`).join(", ")})`);
  if (group.yRange && group.yRange[0] === group.yRange[1]) {
    throw new ResponseError(variables.response.column, `is constant (every used value is ${group.yRange[0]}); there is no variation to model`);
  }
}

/** A group's cells as typed arrays: grouping values by code into the shared dictionaries, counts and sums. */
function groupPayload(prepared: Prepared, feature: string, group: GroupSums): CellsPayload {
  const { answer, plan, shared } = prepared;
  const k = prepared.keyed ? 1 : 0, g = plan.variables.groups.length;
  const codes = plan.variables.groups.map((_, i) => {
    const index = new Map(shared.dictionaries[i].map((v, c) => [v, c]));
    const column = answer.columns[k + i];
    return Int32Array.from(group.rows, (r) => index.get(column[r])!);
  });
  const numbers = (c: unknown[]) => Float64Array.from(group.rows, (r) => Number(c[r]));
  return { feature, codes, counts: numbers(answer.columns[k + g]), sums: answer.columns.slice(k + g + 1).map(numbers), dispersionRows: group.dispersionRows ?? null, logWeights: group.logWeights, zeroWeights: group.zeroWeights };
}

/** The fit with the rows it read and dropped and the queries (the same object: refits find its sums beside it). */
function withSource(prepared: Prepared, group: GroupSums, fit: AggregatedFit): SqlFit {
  const { nRows, dropped, byColumn } = group;
  return Object.assign(fit, { nRows, droppedRows: { count: dropped, byColumn, zeroWeights: group.zeroWeights }, queries: prepared.queries, plan: prepared.plan, types: prepared.types, transforms: termTransforms(prepared.plan) });
}

/** What the terms' bases learned (as `lmm`'s `structure.transforms`, which leaves out a basis of the response). */
function termTransforms(plan: AggregationPlan): LearnedTransforms {
  const out: Record<string, LearnedTransforms[string]> = Object.create(null);
  for (const label of plan.variables.terms.keys()) if (Object.prototype.hasOwnProperty.call(plan.transforms, label)) out[label] = plan.transforms[label];
  return out;
}

/** The options a worker can take (callbacks and signals stay in this thread). */
function travellingOptions(options: FitSqlOptions): CellsFitOptions {
  const out: CellsFitOptions = {};
  if (options.reml !== undefined) out.reml = options.reml;
  if (options.maxEval !== undefined) out.maxEval = options.maxEval;
  if (options.start !== undefined) out.start = Array.from(options.start);
  if (options.theta !== undefined) out.theta = Array.from(options.theta);
  if (options.checkConvergence !== undefined) out.checkConvergence = options.checkConvergence;
  if (options.polish !== undefined) out.polish = options.polish;
  if (options.keepLog !== undefined) out.keepLog = options.keepLog;
  if (options.dispersion !== undefined) out.dispersion = options.dispersion;
  if (options.delta !== undefined) out.delta = Array.from(options.delta);
  return out;
}

/** The model's variables with the dispersion factor's column read and grouped by too (a cell then lies in one level). */
function withDispersionColumn(variables: ModelVariables, column: string | null): ModelVariables {
  if (column === null) return variables;
  const add = (list: string[]) => (list.includes(column) ? list : [...list, column]);
  return { ...variables, groups: add(variables.groups), columns: add(variables.columns) };
}
