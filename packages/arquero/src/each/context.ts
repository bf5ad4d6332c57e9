import { expandFormula, parseFormula, type DataColumns, type ModelSpec } from "@lmm/core";
import { ResponseFits } from "@lmm/core/engine";
import { formulaName } from "./template.js";
import type { EachShared } from "./types.js";

/** A design and its one workspace that fits every response on it. */
export type FitUnit = ResponseFits;

/** What a thread (main or worker) keeps for a run: the shared design, own-pattern designs, the formula's terms. */
export interface EachContext {
  shared: EachShared;
  formula: string;
  /** The formula's terms: its response expression reads each feature (`log({feature})` …). */
  spec: ModelSpec;
  data: Record<string, ArrayLike<unknown>>;
  base: FitUnit;
  /** Designs of features whose missing values differ from the design's, by missing pattern. */
  own: Map<string, FitUnit>;
}

/** Own-pattern designs kept at most (features with many distinct patterns rebuild the oldest). */
const OWN_CACHE = 32;

/**
 * Builds the shared design of a run: the template with a placeholder response that is complete and
 * varies (1 + i/n), so the frame's rows are exactly the rows complete in the design columns.
 */
export function createContext(shared: EachShared): EachContext {
  const formula = shared.template.replace("{feature}", formulaName(shared.response));
  const data: Record<string, ArrayLike<unknown>> = Object.create(null);
  for (const [name, values] of shared.columns) data[name] = values;
  const base = buildUnit(shared, formula, data, null);
  return { shared, formula, spec: expandFormula(parseFormula(formula)), data, base, own: new Map() };
}

/** The unit for a feature whose missing rows (within the design's rows) are `missing`. */
export function ownUnit(ctx: EachContext, missing: readonly number[]): FitUnit {
  const key = missing.join(",");
  const hit = ctx.own.get(key);
  if (hit) {
    ctx.own.delete(key); // re-insert: most recently used last
    ctx.own.set(key, hit);
    return hit;
  }
  const unit = buildUnit(ctx.shared, ctx.formula, ctx.data, missing);
  ctx.own.set(key, unit);
  if (ctx.own.size > OWN_CACHE) ctx.own.delete(ctx.own.keys().next().value!);
  return unit;
}

function buildUnit(shared: EachShared, formula: string, data: Record<string, ArrayLike<unknown>>, missing: readonly number[] | null): FitUnit {
  const n = shared.nRows;
  const y = Float64Array.from({ length: n }, (_, i) => 1 + i / n);
  if (missing) for (const r of missing) y[r] = NaN;
  const columns: DataColumns = Object.assign(Object.create(null), data, { [shared.response]: y });
  const levels = Object.fromEntries(shared.levels);
  return ResponseFits.build(formula, columns, { ...shared.model, levels, reml: shared.reml });
}
