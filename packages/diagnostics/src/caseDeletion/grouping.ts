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
  const { structure } = model;
  const factors = structure.groupingFactors();
  const re = factors.find((f) => f.group === group);
  if (re) return { group, levels: re.levels.slice(), codes: Int32Array.from(re.codes), isModelFactor: true };
  const variable = structure.variable(group);
  if (variable?.kind === "factor") return { group, levels: variable.levels, codes: variable.codes, isModelFactor: false };
  if (data && Object.prototype.hasOwnProperty.call(data, group)) {
    const column = data[group];
    if (column.length !== structure.nDataRows) throw new DataMismatchError(column.length, structure.nDataRows);
    return { group, ...codeColumn(column, structure.rows), isModelFactor: false };
  }
  const available = [...factors.map((f) => f.group), ...(data ? Object.keys(data) : [])];
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
