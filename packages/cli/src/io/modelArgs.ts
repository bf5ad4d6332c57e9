import { InvalidArgumentError, lmm, type ContrastName, type FitOptions, type LinearMixedModel } from "@lmm/core";
import { readData } from "./files.js";

/** The options every model command takes (`parseArgs` spec). */
export const MODEL_OPTIONS = {
  data: { type: "string" },
  formula: { type: "string" },
  columns: { type: "string" },
  ml: { type: "boolean", default: false },
  json: { type: "boolean", default: false },
  weights: { type: "string" },
  offset: { type: "string" },
  contrasts: { type: "string" },
} as const;

/** Usage text of the model options beyond --data and --formula, for the commands' usage lines. */
export const MODEL_USAGE = "[--weights COLUMN] [--offset COLUMN] [--contrasts site=sum,grade=poly]";

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

/** What the model options say besides --data and --formula, as the core's fit options. */
export function modelOptions(values: { ml?: boolean; weights?: string; offset?: string; contrasts?: string }): FitOptions {
  return {
    reml: !values.ml,
    ...(values.weights !== undefined ? { weights: values.weights } : {}),
    ...(values.offset !== undefined ? { offset: values.offset } : {}),
    ...(values.contrasts !== undefined ? { contrasts: parseContrasts(values.contrasts) } : {}),
  };
}

/**
 * Reads `--data` (with `--columns`) and fits `--formula` (REML unless `--ml`; prior weights, offset
 * and contrasts as asked); names a missing flag.
 */
export function fitFromArgs(
  values: { data?: string; formula?: string; columns?: string; ml?: boolean; weights?: string; offset?: string; contrasts?: string },
  example = "y ~ x + (1 | g)",
): { model: LinearMixedModel; data: ReturnType<typeof readData>["data"]; levels: ReturnType<typeof readData>["levels"] } {
  if (!values.data) throw new InvalidArgumentError("--data", undefined, "a CSV file");
  if (!values.formula) throw new InvalidArgumentError("--formula", undefined, `a formula such as "${example}"`);
  const options = modelOptions(values);
  const { data, levels, ordered } = readData(values.data, values.columns);
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
