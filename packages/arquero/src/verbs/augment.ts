import { ColumnLengthError, type LinearMixedModel } from "@lmm/core";
import { table as aqTable, type ColumnTable } from "arquero";
import { asTable, type TableInput } from "../io/arrow.js";

/** Options of {@link augment}. */
export interface AugmentOptions {
  /**
   * Compute `.hat` (default true). Each row costs one triangular solve through the factor, so
   * very large crossed designs may want to skip it.
   */
  hat?: boolean;
}

/**
 * The data the model was fitted to, with every original column kept and broom.mixed's
 * per-observation columns added: `.fitted` (Xβ̂ + Zb̃), `.fixed` (population level, Xβ̂),
 * `.resid` (response − .fitted), `.hat` (hat-matrix diagonal, as lme4's `hatvalues`), and
 * `.dropped`: true for the rows the fit left out for missing values, whose added columns are NaN.
 * The table must be the one the model was fitted to (same rows, same order).
 *
 * @example
 * ```ts
 * const m = fit(t, "Reaction ~ Days + (Days | Subject)");
 * augment(m, t).filter((d) => d[".dropped"]).numRows(); // rows left out
 * ```
 */
export function augment(model: LinearMixedModel, table: TableInput, options: AugmentOptions = {}): ColumnTable {
  const t = asTable(table);
  const { rows, nDataRows: nRows } = model.structure;
  if (t.numRows() !== nRows) throw new ColumnLengthError("table", t.numRows(), nRows);
  const spread = (values: Float64Array) => {
    const out = new Float64Array(nRows).fill(NaN);
    for (let i = 0; i < rows.length; i++) out[rows[i]] = values[i];
    return out;
  };
  const fitted = model.fitted();
  const fixed = model.fitted({ re: false });
  const y = model.response;
  const resid = Float64Array.from(fitted, (f, i) => y[i] - f);
  const dropped = new Array<boolean>(nRows).fill(true);
  for (let i = 0; i < rows.length; i++) dropped[rows[i]] = false;
  const added = new Map<string, ArrayLike<unknown>>([
    [".fitted", spread(fitted)],
    [".fixed", spread(fixed)],
    [".resid", spread(resid)],
    [".hat", options.hat === false ? new Float64Array(nRows).fill(NaN) : spread(model.hatvalues())],
    [".dropped", dropped],
  ]);
  return t.assign(aqTable(added));
}
