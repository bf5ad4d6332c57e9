import { ColumnLengthError, InvalidArgumentError, InvalidValueError, NewLevelError, UnknownColumnError } from "@lmm/core";
import { toFactor, type Factor } from "../../batch/columns.js";
import { ConfoundedCovariateError } from "../../batch/errors.js";
import { levelsHint } from "../../batch/columns.js";
import { cholesky, crossProduct } from "./normalEquations.js";

/** Biological covariates to protect: numeric columns enter as they are, string columns as factors (treatment contrasts). */
export type CovariateInput = Record<string, ArrayLike<number> | ArrayLike<string>> | ReadonlyMap<string, ArrayLike<number> | ArrayLike<string>>;

/** How a covariate was coded when fitting, so new data are coded the same way. */
export type CovariateSpec = { name: string; kind: "numeric" } | { name: string; kind: "factor"; levels: string[] };

/** Covariate design columns (model.matrix(~ covariates) without its intercept and without all-ones columns). */
export interface CovariateDesign {
  specs: CovariateSpec[];
  /** Column names as R names them: `gradeG2`, `age`. */
  names: string[];
  /** Covariate each column comes from. */
  owners: string[];
  columns: Float64Array[];
}

function entriesOf(covariates: CovariateInput | undefined): [string, ArrayLike<number> | ArrayLike<string>][] {
  if (!covariates) return [];
  if (covariates instanceof Map) return [...covariates.entries()];
  const record = covariates as Record<string, ArrayLike<number> | ArrayLike<string>>;
  return Object.keys(record).map((k) => [k, record[k]]);
}

/**
 * Codes the covariates. When fitting, `specs` is omitted and each covariate's kind is inferred (all numbers →
 * numeric, otherwise factor with levels from `levels[name]` or sorted); when applying, the fitted `specs` fix
 * kinds and levels, and a level the fit did not see is refused.
 */
export function covariateDesign(covariates: CovariateInput | undefined, n: number, specs?: CovariateSpec[], levels?: Record<string, readonly string[]>): CovariateDesign {
  const given = new Map(entriesOf(covariates));
  const order: CovariateSpec[] | string[] = specs ?? [...given.keys()];
  const design: CovariateDesign = { specs: [], names: [], owners: [], columns: [] };
  for (const item of order) {
    const name = typeof item === "string" ? item : item.name;
    const values = given.get(name);
    if (!values) throw new UnknownColumnError(name, [...given.keys()]);
    if (values.length !== n) throw new ColumnLengthError(name, values.length, n);
    const spec: CovariateSpec = typeof item !== "string" ? item : isNumeric(values) ? { name, kind: "numeric" } : { name, kind: "factor", levels: toFactor(name, values as ArrayLike<string>, levels?.[name]).levels };
    design.specs.push(spec);
    if (spec.kind === "numeric") {
      const column = new Float64Array(n);
      for (let i = 0; i < n; i++) {
        const v = values[i] as unknown;
        if (typeof v !== "number" || !Number.isFinite(v)) throw new InvalidValueError(name, i, v, "is not a finite number (covariates must be complete)");
        column[i] = v;
      }
      addColumn(design, name, name, column);
    } else {
      let factor: Factor;
      try {
        factor = toFactor(name, values as ArrayLike<string>, spec.levels);
      } catch (error) {
        if (error instanceof InvalidValueError && typeof error.value === "string") throw new NewLevelError(name, error.value, levelsHint(spec.levels));
        throw error;
      }
      for (let k = 1; k < spec.levels.length; k++) addColumn(design, name + spec.levels[k], name, Float64Array.from(factor.codes, (c) => (c === k ? 1 : 0)));
    }
  }
  return design;
}

function isNumeric(values: ArrayLike<unknown>): boolean {
  for (let i = 0; i < values.length; i++) if (typeof values[i] !== "number") return false;
  return true;
}

/** sva drops every design column that is all ones (the intercept, or a constant covariate). */
function addColumn(design: CovariateDesign, columnName: string, owner: string, column: Float64Array): void {
  if (column.every((v) => v === 1)) return;
  design.names.push(columnName);
  design.owners.push(owner);
  design.columns.push(column);
}

/**
 * Batch indicator columns as sva builds them: one per batch level, the reference batch's column set to all
 * ones when there is one (it then plays the intercept).
 */
export function batchColumns(batch: Factor, reference: number | null): Float64Array[] {
  return batch.levels.map((_, k) => (k === reference ? new Float64Array(batch.codes.length).fill(1) : Float64Array.from(batch.codes, (c) => (c === k ? 1 : 0))));
}

/** Refuses a design in which a covariate column is a combination of the batch columns and earlier covariates. */
export function checkConfounding(batchCols: Float64Array[], covariates: CovariateDesign): void {
  const all = [...batchCols, ...covariates.columns];
  const result = cholesky(crossProduct(all), all.length);
  if (result.ok) return;
  const j = result.column - batchCols.length;
  if (j < 0) throw new InvalidArgumentError("batch", "design", "every batch level to have at least one sample");
  const alone = covariates.columns.length > 1 && !cholesky(crossProduct(covariates.columns), covariates.columns.length).ok;
  throw new ConfoundedCovariateError(covariates.owners[j], covariates.names[j], alone ? "the other covariates" : "batch");
}
