import { InvalidArgumentError, lmm, type ContrastName, type FitOptions, type LinearMixedModel } from "@lmm/core";
import { checkFormulaColumns } from "@lmm/arquero";
import type { Flags } from "../command.js";
import { READ_OPTIONS, readData, type ReadFlags } from "./files.js";

/** The flags every model command takes. */
export const MODEL_OPTIONS = {
  data: { type: "string", value: "FILE.csv", help: "input CSV (or .tsv) with a header row; for `lmm fit` also FILE.parquet, a glob of Parquet or CSV files, or duckdb:FILE.duckdb" },
  formula: { type: "string", value: "FORMULA", help: 'lme4 formula, e.g. "y ~ poly(t, 2) * arm + scale(age) + (1 + t | patient)" (docs/formulas.md)' },
  ...READ_OPTIONS,
  ml: { type: "boolean", default: false, help: "fit by maximum likelihood (default REML)" },
  json: { type: "boolean", default: false, help: "print the result as JSON" },
  weights: { type: "string", value: "COLUMN", help: "prior weights (lme4's weights =): the residual variance of a row is σ²/w; rows of weight 0 are left out and reported" },
  offset: { type: "string", value: "COLUMN", help: "a known offset added to the linear predictor (lme4's offset =), besides any offset(…) terms" },
  contrasts: { type: "string", value: "COLUMN=CODING,…", help: "contrast coding per factor: treatment (default), sum, helmert or poly, e.g. site=sum,grade=poly" },
  dispersion: { type: "string", value: '"~ COLUMN"', help: 'a residual variance per level of a factor, e.g. "~ vendor" (nlme\'s varIdent; the first level is the reference)' },
  optimizer: { type: "string", value: "NAME", help: "auto (default: quasi-Newton on the exact gradient for large crossed designs, else bobyqa), bobyqa (lme4's, also nloptwrap) or quasi-newton" },
} as const satisfies Flags;

/** `--workers N`, as every command that can fit in worker threads takes it. */
export const WORKERS_FLAG = { type: "string", value: "N", help: "fit in N worker threads (default 0: this thread)" } as const satisfies Flags[string];

const CODINGS: readonly ContrastName[] = ["treatment", "sum", "helmert", "poly"];

/** `--contrasts site=sum,grade=poly`: a coding per factor (R's contr.treatment, contr.sum, contr.helmert, contr.poly). */
export function parseContrasts(text: string | undefined): Record<string, ContrastName> | undefined {
  if (text === undefined) return undefined;
  const out: Record<string, ContrastName> = Object.create(null);
  for (const item of text.split(",")) {
    const at = item.lastIndexOf("=");
    const column = item.slice(0, at).trim(), coding = item.slice(at + 1).trim().replace(/^contr\./, "");
    if (at <= 0 || column === "" || !(CODINGS as readonly string[]).includes(coding)) {
      throw new InvalidArgumentError("--contrasts", item, `COLUMN=CODING pairs separated by commas, CODING one of ${CODINGS.join(", ")} (e.g. site=sum,grade=poly)`);
    }
    out[column] = coding as ContrastName;
  }
  return out;
}

/** What the model flags say besides --data and --formula, as the core's fit options. */
export function modelOptions(values: { ml?: boolean; weights?: string; offset?: string; contrasts?: string; dispersion?: string; optimizer?: string }): FitOptions {
  return {
    reml: !values.ml,
    ...(values.optimizer !== undefined ? { optimizer: values.optimizer as FitOptions["optimizer"] } : {}),
    ...(values.weights !== undefined ? { weights: values.weights } : {}),
    ...(values.offset !== undefined ? { offset: values.offset } : {}),
    ...(values.contrasts !== undefined ? { contrasts: parseContrasts(values.contrasts) } : {}),
    ...(values.dispersion !== undefined ? { dispersion: values.dispersion } : {}),
  };
}

/**
 * Reads `--data` (with `--columns`, `--na`, `--encoding`) and fits `--formula` (REML unless `--ml`; prior
 * weights, offset and contrasts as asked); names a missing flag. Columns the formula uses as numbers are
 * checked first, so a stray cell is an error naming its line rather than a column silently turned into a
 * factor.
 */
export function fitFromArgs(
  values: { data?: string; formula?: string; ml?: boolean; weights?: string; offset?: string; contrasts?: string; dispersion?: string; optimizer?: string } & ReadFlags,
  example = "y ~ x + (1 | g)",
): { model: LinearMixedModel; data: ReturnType<typeof readData>["data"]; levels: ReturnType<typeof readData>["levels"] } {
  if (!values.data) throw new InvalidArgumentError("--data", undefined, "a CSV file");
  if (!values.formula) throw new InvalidArgumentError("--formula", undefined, `a formula such as "${example}"`);
  const options = modelOptions(values);
  const { csv, data, levels, ordered } = readData(values.data, values);
  checkFormulaColumns(csv, values.formula, { levels, ordered, weights: values.weights, offset: values.offset });
  return { model: lmm(values.formula, data, { ...options, levels, ordered }), data, levels };
}

/** `--workers N`: a whole number ≥ 0 (default 0: in this thread). */
export function parseWorkers(text: string | undefined): number {
  if (text === undefined) return 0;
  const n = Number(text);
  if (!Number.isInteger(n) || n < 0 || text.trim() === "") throw new InvalidArgumentError("--workers", text, "a whole number ≥ 0");
  return n;
}

/** JSON has no NaN or Infinity: write them as null. */
export function finiteOrNull(_key: string, value: unknown): unknown {
  return typeof value === "number" && !Number.isFinite(value) ? null : value;
}

/** A name-keyed record without a prototype (a coefficient named `__proto__` stays data). */
export function record(names: string[], values: ArrayLike<number>): Record<string, number> {
  const out: Record<string, number> = Object.create(null);
  names.forEach((n, j) => (out[n] = values[j]));
  return out;
}
