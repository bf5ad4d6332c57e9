// fitSql: a mixed model fitted where the data live. Four kinds of query — the columns' types, the
// rows used and dropped, the levels of categorical variables, and the sums per cell of the grouping
// columns — then the same fitter as an in-memory fit, on the sums alone.
import { EmptyDataError, InvalidArgumentError, LmmError, NotAggregableError, ResponseError, UnknownColumnError, type DroppedRows, type LearnedTransforms, type VariableRef } from "@lmm/core";
import { classifyTerms, factorLevels, fitAggregated, modelVariables, planAggregation, type AggregatedCells, type AggregationPlan, type AggregatedFit, type AggregatedFitOptions, type ColumnKind, type PlanOptions } from "@lmm/core/aggregate";
import type { SqlColumns, SqlEngine, SqlType } from "./engine.js";
import { cellsQuery, columnKind, columnsQuery, levelsQuery, summaryQuery, type ColumnTypes, type SqlSource } from "./generate.js";
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
  error: LmmError | null;
}

/**
 * One model per feature of a long table (`feature, sample, value` plus design columns): every
 * feature's sums in one grouped pass (`GROUP BY feature, …`), then a fit per feature from its own
 * cells, each the same as `fitSql` on that feature's rows. A feature that cannot be fitted (all
 * rows missing, a constant response, too few levels) gets its error instead of stopping the others.
 *
 * @example
 * ```ts
 * const fits = await fitSqlEach(engine, { table: "expression" }, "value ~ (1 | donor) + (1 | batch)", { by: "gene" });
 * fits.filter((f) => f.fit).map((f) => [f.feature, f.fit!.sigma]);
 * ```
 */
export async function fitSqlEach(engine: SqlEngine, source: SqlSource, formula: string, options: FitSqlOptions & { by: string }): Promise<SqlFeatureFit[]> {
  const prepared = await prepare(engine, source, formula, options, options.by);
  return [...prepared.groups.entries()].map(([feature, group]) => {
    try {
      return { feature, fit: fitGroup(prepared, group, options), error: null };
    } catch (e) {
      if (e instanceof LmmError) return { feature, fit: null, error: e };
      throw e;
    }
  });
}

/** What one fit (or one feature's) reads after the queries. */
interface GroupSums {
  nRows: number;
  dropped: number;
  byColumn: { column: string; missing: number }[];
  yRange: [number, number] | null;
  rows: number[];
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
  const variables = modelVariables(formula, { weights: options.weights, offset: options.offset });
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
  const summary = await run(summaryQuery(source, variables, numeric, types, d, by)).catch(async (e: unknown) => {
    // An engine that raises on log(0) or sqrt(−1) instead of returning ±Infinity or NaN: find the variable.
    for (const ref of numeric) await run(summaryQuery(source, variables, [ref], types, d)).catch(() => Promise.reject(new SqlValueError(ref.label, `in some rows (${(e as Error).message})`)));
    throw e;
  });
  const k = by === undefined ? 0 : 1, c = variables.columns.length;
  const at = (column: number, i: number) => summary.columns[column][i];
  const groups = new Map<string, GroupSums>();
  const bad = new Array<number>(numeric.length).fill(0);
  let negative = 0, lowest = Infinity;
  for (let i = 0; i < (summary.columns[0]?.length ?? 0); i++) {
    const byColumn = variables.columns.map((column, j) => ({ column, missing: Number(at(k + 2 + j, i) ?? 0) }));
    const low = at(k + 2 + c, i), high = at(k + 3 + c, i);
    const yRange: [number, number] | null = low === null || low === undefined ? null : [Number(low), Number(high)];
    groups.set(by === undefined ? "" : String(at(0, i)), { nRows: Number(at(k, i) ?? 0), dropped: Number(at(k + 1, i) ?? 0), byColumn, yRange, rows: [], logWeights: 0, zeroWeights: 0 });
    numeric.forEach((_, v) => (bad[v] += Number(at(k + 4 + c + v, i) ?? 0)));
    if (variables.weights !== null) {
      const w = k + 4 + c + numeric.length;
      negative += Number(at(w, i) ?? 0);
      if (at(w + 1, i) !== null) lowest = Math.min(lowest, Number(at(w + 1, i)));
      const group = groups.get(by === undefined ? "" : String(at(0, i)))!;
      group.logWeights = Number(at(w + 2, i) ?? 0);
      group.zeroWeights = Number(at(w + 3, i) ?? 0);
    }
  }
  // As lmm: a negative weight anywhere is refused (lmm names its row; SQL rows have no order).
  if (negative > 0) throw new SqlNegativeWeightError(variables.weights!, negative, lowest);
  const total = [...groups.values()].reduce((s, g) => s + g.nRows, 0);
  if (total === 0) throw new EmptyDataError("the data have no rows");
  numeric.forEach((ref, v) => {
    if (bad[v] > 0) throw new SqlValueError(ref.label, `in ${bad[v]} row${bad[v] === 1 ? "" : "s"}`);
  });

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
  const answer = await run(cellsQuery(source, plan, types, d, by));
  for (let i = 0; i < (answer.columns[0]?.length ?? 0); i++) groups.get(by === undefined ? "" : String(answer.columns[0][i]))?.rows.push(i);
  return { plan, answer, queries, types, groups, keyed: by !== undefined };
}

/** The fit of one group's cells (all of them without a key). */
function fitGroup(prepared: Prepared, group: GroupSums, options: FitSqlOptions): SqlFit {
  const { plan, answer, queries } = prepared;
  const { variables } = plan;
  const { nRows, dropped, byColumn } = group;
  if (dropped === nRows) throw new EmptyDataError(`no rows are left after removing rows with missing values (${byColumn.filter((c) => c.missing > 0).map((c) => `${c.column}: ${c.missing} missing`).join(", ")})`);
  if (group.yRange && group.yRange[0] === group.yRange[1]) {
    throw new ResponseError(variables.response.column, `is constant (every used value is ${group.yRange[0]}); there is no variation to model`);
  }
  const k = prepared.keyed ? 1 : 0, g = variables.groups.length;
  const pick = (c: unknown[]) => group.rows.map((i) => c[i]);
  const groups: Record<string, unknown[]> = Object.create(null);
  variables.groups.forEach((column, i) => (groups[column] = pick(answer.columns[k + i])));
  const cells: AggregatedCells = { groups, counts: pick(answer.columns[k + g]).map(Number), sums: answer.columns.slice(k + g + 1).map((c) => pick(c).map(Number)), logWeights: group.logWeights, zeroWeights: group.zeroWeights };
  const fit = fitAggregated(plan, cells, options);
  // The same object (not a copy): refits (ML for anova, profiles) find its sums beside it.
  return Object.assign(fit, { nRows, droppedRows: { count: dropped, byColumn, zeroWeights: group.zeroWeights }, queries, plan, types: prepared.types, transforms: termTransforms(plan) });
}

/** What the terms' bases learned (as `lmm`'s `structure.transforms`, which leaves out a basis of the response). */
function termTransforms(plan: AggregationPlan): LearnedTransforms {
  const out: Record<string, LearnedTransforms[string]> = Object.create(null);
  for (const label of plan.variables.terms.keys()) if (Object.prototype.hasOwnProperty.call(plan.transforms, label)) out[label] = plan.transforms[label];
  return out;
}
