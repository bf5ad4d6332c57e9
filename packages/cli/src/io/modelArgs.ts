import { InvalidArgumentError, lmm, type LinearMixedModel } from "@lmm/core";
import type { Flags } from "../command.js";
import { readData } from "./files.js";

/** The flags every model command takes. */
export const MODEL_OPTIONS = {
  data: { type: "string", value: "FILE.csv", help: "input CSV with a header row" },
  formula: { type: "string", value: "FORMULA", help: 'lme4 formula, e.g. "y ~ x + (1 | g)"' },
  columns: { type: "string", value: "FILE.columns.json", help: "column types and factor level order (default: read from the data)" },
  ml: { type: "boolean", default: false, help: "fit by maximum likelihood (default REML)" },
  json: { type: "boolean", default: false, help: "print the result as JSON" },
} as const satisfies Flags;

/** `--workers N`, as every command that can fit in worker threads takes it. */
export const WORKERS_FLAG = { type: "string", value: "N", help: "fit in N worker threads (default 0: this thread)" } as const satisfies Flags[string];

/** Reads `--data` (with `--columns`) and fits `--formula` (REML unless `--ml`); names a missing flag. */
export function fitFromArgs(values: { data?: string; formula?: string; columns?: string; ml?: boolean }, example = "y ~ x + (1 | g)"): { model: LinearMixedModel; data: ReturnType<typeof readData>["data"]; levels: ReturnType<typeof readData>["levels"] } {
  if (!values.data) throw new InvalidArgumentError("--data", undefined, "a CSV file");
  if (!values.formula) throw new InvalidArgumentError("--formula", undefined, `a formula such as "${example}"`);
  const { data, levels } = readData(values.data, values.columns);
  return { model: lmm(values.formula, data, { levels, reml: !values.ml }), data, levels };
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
