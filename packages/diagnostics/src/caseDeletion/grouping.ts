import { type DataColumns, type LinearMixedModel } from "@lmm/core";
import { DataMismatchError, UnknownGroupingError } from "./errors.js";

/** The clusters of a deletion: level labels and the level of each row the model used. */
export interface Grouping {
  /** The name asked for (`site`, `site:patient`, or a data column). */
  group: string;
  levels: string[];
  /** Level index per used row (frame row order). */
  codes: Int32Array;
  /** Whether the grouping is a grouping factor of the model (rather than another data column). */
  isModelFactor: boolean;
}

/**
 * Finds the clusters named `group`: a grouping factor of the model by its lme4 label (`site`,
 * `site:patient`), a categorical variable of the model, or any column of `data` (read as
 * categories, over the rows the model used).
 */
export function resolveGrouping(model: LinearMixedModel, group: string, data?: DataColumns): Grouping {
  const { design } = model;
  const re = design.reterms.find((r) => r.groupLabel === group);
  if (re) return { group, levels: re.levels.slice(), codes: Int32Array.from(re.refs), isModelFactor: true };
  const factor = design.frame.factors.get(group);
  if (factor) return { group, levels: factor.levels.slice(), codes: Int32Array.from(factor.codes), isModelFactor: false };
  if (data && Object.prototype.hasOwnProperty.call(data, group)) {
    const column = data[group];
    if (column.length !== design.frame.nRows) throw new DataMismatchError(column.length, design.frame.nRows);
    return { group, ...codeColumn(column, design.frame.rows), isModelFactor: false };
  }
  const available = [...design.reterms.map((r) => r.groupLabel), ...(data ? Object.keys(data) : [])];
  throw new UnknownGroupingError(group, [...new Set(available)]);
}

/** Levels (in order of first appearance of their sorted labels) and codes of a column at `rows`. */
function codeColumn(column: ArrayLike<unknown>, rows: Int32Array): { levels: string[]; codes: Int32Array } {
  const labels = Array.from(rows, (r) => String(column[r]));
  const numeric = Array.from(rows, (r) => column[r]).every((v) => typeof v === "number");
  const levels = [...new Set(labels)].sort(numeric ? (a, b) => Number(a) - Number(b) : (a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const index = new Map(levels.map((l, i) => [l, i]));
  return { levels, codes: Int32Array.from(labels, (l) => index.get(l)!) };
}
