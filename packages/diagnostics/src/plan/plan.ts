import { canonicalJson } from "./canonicalJson.js";
import { normalisePlan } from "./normalise.js";
import { sha256Hex } from "./sha256.js";
import type { NormalisedPlan, PlanSpec } from "./spec.js";

/** A validated, frozen analysis plan with its canonical JSON and SHA-256 fingerprint. */
export interface AnalysisPlan {
  /** The plan with every default filled in. */
  readonly spec: Readonly<NormalisedPlan>;
  /** Canonical JSON (RFC 8785) of `spec`: the same text for the same plan, whatever the key order. */
  readonly canonical: string;
  /** Hex SHA-256 of `canonical`. */
  readonly fingerprint: string;
}

/**
 * Pre-specifies an analysis: validates the plan (formula syntax, known diagnostics and their options,
 * contrasts, hypotheses, alpha), fills in every default, and returns it deep-frozen with its canonical
 * JSON and SHA-256 fingerprint (Web Crypto, so it is async). Any change to any field changes the
 * fingerprint; key order does not.
 *
 * @example
 * ```ts
 * const p = await plan({ formula: "y ~ program * time + (1|clinic) + (1 + time|clinic:patient)",
 *   diagnostics: ["residuals", { name: "influence", group: "clinic" }], alpha: 0.05 });
 * p.fingerprint; // "3f9a…" (64 hex digits)
 * ```
 */
export async function plan(spec: PlanSpec): Promise<AnalysisPlan> {
  const normalised = normalisePlan(spec);
  const canonical = canonicalJson(normalised);
  const fingerprint = await sha256Hex(canonical);
  return deepFreeze({ spec: normalised, canonical, fingerprint });
}

function deepFreeze<T>(value: T): T {
  if (typeof value === "object" && value !== null && !Object.isFrozen(value)) {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}
