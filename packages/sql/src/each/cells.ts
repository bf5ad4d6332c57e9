// One feature's fit from its cells: the code a worker runs and the in-process path runs alike, so
// both give the same numbers bit for bit.
import { LmmError } from "@lmm/core";
import { fitAggregated, type AggregatedCells, type AggregatedFit, type AggregatedFitOptions } from "@lmm/core/aggregate";
import type { CellsPayload, CellsResult, CellsShared } from "./types.js";

/** The cells of a payload in the shape `fitAggregated` reads (grouping values decoded from the dictionaries). */
export function payloadCells(shared: CellsShared, payload: CellsPayload): AggregatedCells {
  const groups: Record<string, unknown[]> = Object.create(null);
  shared.plan.variables.groups.forEach((column, i) => {
    const dictionary = shared.dictionaries[i], codes = payload.codes[i];
    groups[column] = Array.from(codes, (c) => dictionary[c]);
  });
  return { groups, counts: payload.counts, sums: payload.sums, logWeights: payload.logWeights, zeroWeights: payload.zeroWeights };
}

/** Fits one feature's cells (throws what `fitAggregated` throws); in this thread the caller's options (with callbacks) may replace the shared ones. */
export function fitCells(shared: CellsShared, payload: CellsPayload, options: AggregatedFitOptions = shared.options): AggregatedFit {
  return fitAggregated(shared.plan, payloadCells(shared, payload), payload.dispersionRows ? { ...options, dispersionRows: payload.dispersionRows } : options);
}

/** {@link fitCells} with a model error kept as data (what a worker sends back); anything else is a bug and is thrown. */
export function fitCellsResult(shared: CellsShared, payload: CellsPayload): CellsResult {
  try {
    return { feature: payload.feature, fit: fitCells(shared, payload), error: null };
  } catch (e) {
    if (e instanceof LmmError) return { feature: payload.feature, fit: null, error: { name: e.name, code: e.code, message: e.message } };
    throw e;
  }
}
