import { expandFormula, InvalidArgumentError, parseFormula, TRANSFORMS, type TransformName } from "@lmm/core";

const FUNCTIONS: Record<TransformName, (x: number) => number> = {
  factor: (x) => x,
  log: Math.log,
  log2: Math.log2,
  log10: Math.log10,
  log1p: Math.log1p,
  exp: Math.exp,
  sqrt: Math.sqrt,
  abs: Math.abs,
};

/**
 * The response transform of a formula (`log(y) ~ …`) as a function with its label, or null. The
 * fast path reads each feature's values itself, so it applies the transform the frame would.
 */
export function responseTransform(formula: string): { label: string; apply: (x: number) => number } | null {
  const spec = expandFormula(parseFormula(formula));
  const ref = spec.response;
  if (!ref || !ref.transform || ref.transform === "factor") return null;
  const apply = (FUNCTIONS as Partial<Record<string, (x: number) => number>>)[ref.transform];
  if (!apply || !TRANSFORMS.includes(ref.transform)) throw new InvalidArgumentError("response transform", ref.transform, TRANSFORMS.join(", "));
  return { label: ref.label, apply };
}
