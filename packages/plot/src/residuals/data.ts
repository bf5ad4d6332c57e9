import { InvalidArgumentError, LinearMixedModel } from "@lmm/core";
import { frameVariable, grouping } from "../model/grouping.js";
import type { ResidualColumns } from "@lmm/diagnostics";

/** Which residuals a view plots. */
export type ResidualType = "pearson" | "studentised" | "response";

/** A labelled variable over the used rows (a grouping factor, a covariate). */
export interface RowVariable {
  name: string;
  values: ArrayLike<number> | readonly string[];
}

/** One observation of a residual plot. */
export interface ResidualPoint {
  /** 1-based data row. */
  row: number;
  x: number | string;
  y: number;
  /** Level of the grouping factor shown in the tip ("" without one). */
  level: string;
}

/**
 * Fitted values and residuals of a model (studentised ones only when asked, as they need the hat values).
 *
 * @example
 * ```ts
 * residualColumns(model, "pearson").pearson;
 * ```
 */
export function residualColumns(model: LinearMixedModel, type: ResidualType = "pearson"): ResidualColumns {
  const fitted = model.fitted();
  const residual = model.residuals();
  const sigma = model.sigma;
  const out: ResidualColumns = { rows: model.structure.rows, fitted, residual, pearson: residual.map((r) => r / sigma) };
  if (type === "studentised") {
    const h = model.hatvalues();
    out.studentised = residual.map((r, i) => r / (sigma * Math.sqrt(1 - h[i])));
  }
  return out;
}

/**
 * The residuals of the requested type, or a typed error when the input lacks them.
 *
 * @example
 * ```ts
 * pickResiduals(columns, "studentised");
 * ```
 */
export function pickResiduals(columns: ResidualColumns, type: ResidualType): ArrayLike<number> {
  const values = type === "pearson" ? columns.pearson : type === "studentised" ? columns.studentised : columns.residual;
  if (!values) throw new InvalidArgumentError("residuals", type, `a residual type present in the input (${["residual", "pearson", "studentised"].filter((k) => k in columns).join(", ")})`);
  return values;
}

/**
 * Axis label of a residual type.
 *
 * @example
 * ```ts
 * residualLabel("response", "ms"); // "Residual (ms)"
 * ```
 */
export function residualLabel(type: ResidualType, unit?: string): string {
  if (type === "pearson") return "Pearson residual (r / σ̂)";
  if (type === "studentised") return "Studentised residual (r / σ̂√(1 − h))";
  return unit ? `Residual (${unit})` : "Residual";
}

/**
 * Points of a residual plot: x and y per used row, with the row number and the group level for tips.
 *
 * @example
 * ```ts
 * residualPoints(columns.fitted, columns.pearson!, columns.rows, { name: "Subject", values: subjects });
 * ```
 */
export function residualPoints(x: ArrayLike<number> | readonly string[], y: ArrayLike<number>, rows?: ArrayLike<number>, group?: RowVariable): ResidualPoint[] {
  if (x.length !== y.length) throw new InvalidArgumentError("x", `${x.length} values`, `${y.length} values, one per residual`);
  return Array.from({ length: y.length }, (_, i) => ({
    row: rows ? rows[i] + 1 : i + 1,
    x: x[i],
    y: y[i],
    level: group ? String(group.values[i]) : "",
  }));
}

/**
 * The model's first grouping factor (or `name`) as a row variable, for tips.
 *
 * @example
 * ```ts
 * groupVariable(model).name; // "Subject"
 * ```
 */
export function groupVariable(model: LinearMixedModel, name?: string): RowVariable {
  const g = grouping(model, name);
  return { name: g.group, values: Array.from(g.codes, (c) => g.levels[c]) };
}

/**
 * A model variable over the used rows as a row variable.
 *
 * @example
 * ```ts
 * modelVariable(model, "Days");
 * ```
 */
export function modelVariable(model: LinearMixedModel, name: string): RowVariable {
  return { name, values: frameVariable(model, name) };
}
