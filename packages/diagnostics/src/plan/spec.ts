import type { DdfMethod } from "@lmm/core";
import type { QQResidualType } from "../qq/qq.js";

/**
 * The diagnostics a plan can list.
 *
 * @example
 * ```ts
 * DIAGNOSTIC_NAMES.includes("influence"); // true
 * ```
 */
export const DIAGNOSTIC_NAMES = ["residuals", "residualTrend", "qq", "observationInfluence", "influence", "loso", "shrinkage"] as const;
/** A diagnostic's name. */
export type DiagnosticName = (typeof DIAGNOSTIC_NAMES)[number];

/** A diagnostic as written in a plan: a bare name (when it needs no option) or an object. */
export type DiagnosticSpec =
  | "residuals"
  | "qq"
  | "observationInfluence"
  | { name: "residuals" }
  | { name: "residualTrend"; against: string; residuals?: "pearson" | "studentised" | "response" | "marginal" }
  | { name: "qq"; nsim?: number; seed?: number; level?: number; residuals?: QQResidualType }
  | { name: "observationInfluence" }
  | { name: "influence"; group: string; start?: "warm" | "cold" }
  | { name: "loso"; group: string; partialPooling?: { k: number } | null; predictWith?: "population" | "otherLevels" }
  | { name: "shrinkage"; group: string };

/** A diagnostic with every option spelled out (the canonical form). */
export type PlannedDiagnostic =
  | { name: "residuals" }
  | { name: "residualTrend"; against: string; residuals: "pearson" | "studentised" | "response" | "marginal" }
  | { name: "qq"; nsim: number; seed: number; level: number; residuals: QQResidualType }
  | { name: "observationInfluence" }
  | { name: "influence"; group: string; start: "warm" | "cold" }
  | { name: "loso"; group: string; partialPooling: { k: number } | null; predictWith: "population" | "otherLevels" }
  | { name: "shrinkage"; group: string };

/** Treatment contrasts, optionally with a chosen reference level (default: the first level). */
export type ContrastSpec = "treatment" | { type: "treatment"; reference?: string | null };

/** A linear hypothesis on the fixed effects: Σ coefficients[name] · β_name = rhs. */
export interface HypothesisSpec {
  name: string;
  coefficients: Record<string, number>;
  rhs?: number;
}

/** What a statistical analysis plan says, as the user writes it. */
export interface PlanSpec {
  /** lme4 formula. */
  formula: string;
  /** REML (default true) or ML. */
  reml?: boolean;
  /** Optimiser; only `"bobyqa"` (lme4's) exists. */
  optimizer?: "bobyqa";
  /** Diagnostics to run, in order. */
  diagnostics?: DiagnosticSpec[];
  /** Rows with missing values: dropped (`"omit"`, default) or refused (`"fail"`). */
  missing?: "omit" | "fail";
  /** Contrasts per factor column. */
  contrasts?: Record<string, ContrastSpec>;
  /** Pre-specified hypotheses on the fixed effects (t tests). */
  hypotheses?: HypothesisSpec[];
  /** Denominator df of the hypotheses' t tests (default `"satterthwaite"`, as lmerTest and the report). */
  ddf?: DdfMethod;
  /** Significance level of the hypotheses (default 0.05). */
  alpha?: number;
}

/** The plan with every default filled in: what is fingerprinted. */
export interface NormalisedPlan {
  schema: "lmm-analysis-plan/2";
  formula: string;
  reml: boolean;
  optimizer: "bobyqa";
  diagnostics: PlannedDiagnostic[];
  missing: "omit" | "fail";
  contrasts: Record<string, { type: "treatment"; reference: string | null }>;
  hypotheses: { name: string; coefficients: Record<string, number>; rhs: number }[];
  ddf: DdfMethod;
  alpha: number;
}
