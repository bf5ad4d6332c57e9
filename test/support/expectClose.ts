// Element-wise relative comparison against a reference, naming the failing element.
import { expect } from "vitest";
import { relClose } from "./reference.js";

/** Asserts |a − b| ≤ tol · max(|b|, floor) element-wise (null entries of the reference are skipped). */
export function expectClose(label: string, actual: ArrayLike<number>, expected: ArrayLike<number | null>, tol: number, floor = 1e-8, reference = "lme4"): void {
  expect(actual.length, `${label}: length`).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) {
    const e = expected[i];
    if (e === null) continue;
    expect(relClose(actual[i], e, tol, floor), `${label}[${i}]: ${actual[i]} vs ${reference} ${e} (tol ${tol})`).toBe(true);
  }
}
